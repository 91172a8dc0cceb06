package dev.dinggate.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.dinggate.directory.WireMockOrg.DEPARTMENT_GET;
import static dev.dinggate.directory.WireMockOrg.USER_GET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.deploy.MonitoringFiles;
import dev.dinggate.dingtalk.stream.FakeStreamGateway;
import dev.dinggate.dingtalk.stream.FakeStreamGateway.Session;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.PrometheusScrape;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole path in the production profile: a frame pushed by DingTalk's stream server (the fake) reaches the
 * gateway's stream client, the directory listener reads what it names from DingTalk (WireMock, paced) and writes
 * the mirror, and the change shows through the API; the acknowledgement comes back only then. Each test starts
 * from the Acme org (WireMockOrg) read by a full sync, and an open stream connection.
 */
@TestPropertySource(
        properties = {
            "dingtalk.stream.enabled=true",
            "dingtalk.stream.reconnect-min-backoff=50ms",
            "dingtalk.stream.reconnect-max-backoff=200ms",
            "gateway.directory.stale-after=10m"
        })
@Import(DirectoryStreamTests.ClockMovedByHand.class)
class DirectoryStreamTests extends DirectoryGatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String USER_NOT_FOUND = "{\"errcode\":60121,\"errmsg\":\"找不到该用户\"}";
    private static final String DEPARTMENT_NOT_FOUND = "{\"errcode\":60003,\"errmsg\":\"部门不存在\"}";
    private static final String BUSY = "{\"errcode\":-1,\"errmsg\":\"系统繁忙\"}";
    private static final String SUCCESS = "{\"status\":\"SUCCESS\"}";
    private static final String LATER = "{\"status\":\"LATER\"}";

    private static final AheadClock CLOCK = new AheadClock();
    private static final FakeStreamGateway stream = new FakeStreamGateway("it-app-key", APP_SECRET);
    private static final AtomicInteger messages = new AtomicInteger();

    @DynamicPropertySource
    static void streamServer(DynamicPropertyRegistry registry) {
        registry.add("dingtalk.stream.base-url", stream::baseUrl);
    }

    @AfterAll
    static void closeStreamServer() {
        stream.close();
    }

    @Autowired
    FullSync fullSync;

    @Autowired
    MeterRegistry meters;

    @LocalManagementPort
    int managementPort;

    private WireMockOrg org;
    private Session session;
    private String reader;
    private String operator;
    private String since;

    @BeforeEach
    void syncedMirrorAndAnOpenStream() {
        stream.onReply(reply -> {});
        stream.refuseOpensWith(0);
        org = acme().serve();
        assertThat(fullSync.syncNow()).isPresent();
        dingTalk.resetRequests();
        reader = jwts.token("people-picker", "users:read", null);
        operator = jwts.token("oncall", "ops", null);
        session = openSession();
        await().atMost(WAIT).until(() -> status().path("streamConnected").asBoolean());
        since = get("/api/v1/directory/changes", reader).field("nextCursor");
    }

    @Test
    void eachUserEventIsInTheMirrorWhenItsAcknowledgementArrives() {
        Map<String, MirrorView> atAcknowledgement = viewAtEachAcknowledgement();

        org.user("n", "New Hire", 5L).serve();
        String added = push("ev-add", "user_add_org", "{\"userId\":[\"n\"]}");
        assertThat(acknowledgement(added)).isEqualTo(SUCCESS);
        assertThat(atAcknowledgement.get(added).users()).containsEntry("n", "New Hire");
        assertThat(atAcknowledgement.get(added).changes()).containsExactly("user n added");

        org.user("a", "A Renamed", 3L).serve();
        String modified = push("ev-modify", "user_modify_org", "{\"userId\":[\"a\"]}");
        assertThat(acknowledgement(modified)).isEqualTo(SUCCESS);
        assertThat(atAcknowledgement.get(modified).users()).containsEntry("a", "A Renamed");
        assertThat(atAcknowledgement.get(modified).changes()).containsExactly("user n added", "user a modified");

        org.answerUserGet("h", USER_NOT_FOUND);
        String left = push("ev-leave", "user_leave_org", "{\"userId\":[\"h\"]}");
        assertThat(acknowledgement(left)).isEqualTo(SUCCESS);
        assertThat(atAcknowledgement.get(left).users()).doesNotContainKey("h").containsKeys("n", "a", "boss");
        assertThat(atAcknowledgement.get(left).changes())
                .containsExactly("user n added", "user a modified", "user h removed");

        assertThat(userIds(get("/api/v1/directory/users?departmentId=3", reader)))
                .containsExactly("a", "c", "f", "g");
        assertThat(userIds(get("/api/v1/directory/users?departmentId=5", reader)))
                .containsExactly("n");
        assertThat(org.requests(USER_GET)).isEqualTo(3);
        JsonNode status = status();
        assertThat(status.path("eventsReceived").asLong()).isEqualTo(3);
        assertThat(status.path("lastEventAt").isString()).isTrue();
    }

    @Test
    void eachDepartmentEventIsInTheMirrorWhenItsAcknowledgementArrives() {
        Map<String, MirrorView> atAcknowledgement = viewAtEachAcknowledgement();

        org.department(6, "Legal", 1).serve();
        String created = push("ev-create", "org_dept_create", "{\"deptId\":[6]}");
        assertThat(acknowledgement(created)).isEqualTo(SUCCESS);
        assertThat(atAcknowledgement.get(created).departments()).contains("6 1 Legal");
        assertThat(atAcknowledgement.get(created).changes()).containsExactly("department 6 added");

        org.department(5, "Late shift", 2).serve();
        String modified = push("ev-modify", "org_dept_modify", "{\"deptId\":[5]}");
        assertThat(acknowledgement(modified)).isEqualTo(SUCCESS);
        assertThat(atAcknowledgement.get(modified).departments())
                .contains("5 2 Late shift")
                .doesNotContain("5 3 Night shift");
        assertThat(atAcknowledgement.get(modified).changes())
                .containsExactly("department 6 added", "department 5 modified");

        org.answerDepartmentGet(4, DEPARTMENT_NOT_FOUND);
        String removed = push("ev-remove", "org_dept_remove", "{\"deptId\":[4]}");
        assertThat(acknowledgement(removed)).isEqualTo(SUCCESS);
        assertThat(atAcknowledgement.get(removed).departments())
                .containsExactly("2 1 Sales", "5 2 Late shift", "3 1 Support", "6 1 Legal");
        assertThat(atAcknowledgement.get(removed).changes())
                .containsExactly("department 6 added", "department 5 modified", "department 4 removed");

        assertThat(org.requests(DEPARTMENT_GET)).isEqualTo(3);
    }

    @Test
    void aFrameDeliveredAgainIsAcknowledgedWithoutReadingDingTalkAgain() {
        org.user("b", "B Renamed", 2L).serve();

        String first = push("ev-twice", "user_modify_org", "{\"userId\":[\"b\"]}");
        assertThat(acknowledgement(first)).isEqualTo(SUCCESS);
        String again = push("ev-twice", "user_modify_org", "{\"userId\":[\"b\"]}");
        assertThat(acknowledgement(again)).isEqualTo(SUCCESS);

        assertThat(org.requests(USER_GET)).isEqualTo(1);
        assertThat(view().users()).containsEntry("b", "B Renamed");
        assertThat(view().changes()).containsExactly("user b modified");
        assertThat(status().path("eventsReceived").asLong()).isEqualTo(1);
    }

    @Test
    void aLeaveFollowedByAnOlderModifyEndsWithTheUserGone() {
        long bornAt = System.currentTimeMillis();
        org.answerUserGet("c", USER_NOT_FOUND);

        String leave = push("ev-leave", "user_leave_org", bornAt, "{\"userId\":[\"c\"]}");
        assertThat(acknowledgement(leave)).isEqualTo(SUCCESS);
        String olderModify = push("ev-modify", "user_modify_org", bornAt - 60_000, "{\"userId\":[\"c\"]}");
        assertThat(acknowledgement(olderModify)).isEqualTo(SUCCESS);

        assertThat(view().users()).doesNotContainKey("c").containsKey("d");
        assertThat(userIds(get("/api/v1/directory/users?q=User%20C", reader))).isEmpty();
        assertThat(view().changes()).containsExactly("user c removed");
    }

    @Test
    void anEventDingTalkCannotBeAskedAboutIsAskedForAgainAndAppliedOnceDingTalkAnswers() {
        dingTalk.stubFor(post(urlPathEqualTo(USER_GET))
                .withRequestBody(equalToJson("{\"userid\":\"d\"}", true, true))
                .willReturn(aResponse().withStatus(503)));

        String unavailable = push("ev-retried", "user_modify_org", "{\"userId\":[\"d\"]}");
        assertThat(acknowledgement(unavailable)).isEqualTo(LATER);
        org.answerUserGet("d", BUSY);
        String busy = push("ev-retried", "user_modify_org", "{\"userId\":[\"d\"]}");
        assertThat(acknowledgement(busy)).isEqualTo(LATER);
        assertThat(view().users()).containsEntry("d", "User D");
        assertThat(view().changes()).isEmpty();
        assertThat(status().path("eventsReceived").asLong()).isZero();

        org.user("d", "D Renamed", 2L).serve();
        String recovered = push("ev-retried", "user_modify_org", "{\"userId\":[\"d\"]}");
        assertThat(acknowledgement(recovered)).isEqualTo(SUCCESS);

        assertThat(view().users()).containsEntry("d", "D Renamed");
        assertThat(view().changes()).containsExactly("user d modified");
        assertThat(status().path("eventsReceived").asLong()).isEqualTo(1);
    }

    @Test
    void whileTheStreamIsDownTheStatusSaysSoAndEventsFlowAgainAfterTheReconnect() {
        int sessions = stream.sessions().size();
        int opens = stream.openRequests().size();
        stream.refuseOpensWith(503);

        session.drop();

        await().atMost(WAIT).until(() -> !status().path("streamConnected").asBoolean());
        await().atMost(WAIT).until(() -> stream.openRequests().size() >= opens + 2);
        assertThat(status().path("streamConnected").asBoolean())
                .as("DingTalk refuses to open a connection")
                .isFalse();
        assertThat(stream.sessions()).hasSize(sessions);

        stream.refuseOpensWith(0);
        session = openSession();
        await().atMost(WAIT).until(() -> status().path("streamConnected").asBoolean());
        assertThat(stream.sessions()).hasSize(sessions + 1);

        org.user("e", "E After The Reconnect", 2L).serve();
        String modified = push("ev-after-reconnect", "user_modify_org", "{\"userId\":[\"e\"]}");
        assertThat(acknowledgement(modified)).isEqualTo(SUCCESS);
        assertThat(view().users()).containsEntry("e", "E After The Reconnect");
        assertThat(view().changes()).containsExactly("user e modified");
    }

    @Test
    void operatorsSeeTheDirectoryInTheDingTalkEndpointAndInHealth() {
        GatewayHttp management = new GatewayHttp(managementPort);

        GatewayHttp.Answer facts = management.send("GET", "/actuator/dingtalk", operator, null, null);
        GatewayHttp.Answer health = management.send("GET", "/actuator/health", operator, null, null);
        GatewayHttp.Answer anonymousHealth = management.get("/actuator/health");

        assertThat(facts.status()).isEqualTo(200);
        JsonNode directory = facts.json().path("directory");
        assertThat(directory.path("state").asString()).isEqualTo("ready");
        assertThat(directory.path("users").asLong()).isEqualTo(9);
        assertThat(directory.path("departments").asLong()).isEqualTo(5);
        assertThat(directory.path("streamConnected").asBoolean()).isTrue();
        assertThat(health.status()).isEqualTo(200);
        JsonNode component = health.json().path("components").path("directory");
        assertThat(component.path("status").asString()).isEqualTo("UP");
        assertThat(component.path("details").path("state").asString()).isEqualTo("ready");
        assertThat(component.path("details").path("users").asLong()).isEqualTo(9);
        assertThat(anonymousHealth.json().has("components")).isFalse();
    }

    @Test
    void healthSaysStaleOnceNothingConfirmedTheMirrorForStaleAfterAndAnEventConfirmsItAgain() {
        GatewayHttp management = new GatewayHttp(managementPort);

        CLOCK.moveAhead(Duration.ofMinutes(11));
        // The age the GatewayDirectoryStale alert compares with stale-after (10 minutes here), as health does.
        assertThat(confirmedAge()).isGreaterThan(600);

        GatewayHttp.Answer stale = management.send("GET", "/actuator/health", operator, null, null);
        assertThat(stale.field("status")).isEqualTo("STALE");
        assertThat(stale.json()
                        .path("components")
                        .path("directory")
                        .path("status")
                        .asString())
                .isEqualTo("STALE");
        assertThat(stale.json()
                        .path("components")
                        .path("directory")
                        .path("details")
                        .path("state")
                        .asString())
                .isEqualTo("stale");
        assertThat(status().path("state").asString()).isEqualTo("stale");
        assertThat(get("/api/v1/directory/users?q=User%20B", reader).status())
                .as("a stale mirror still answers")
                .isEqualTo(200);
        assertThat(management.get("/actuator/health/readiness").field("status"))
                .as("a stale mirror takes no replica out of service")
                .isEqualTo("UP");

        org.user("b", "B Confirmed", 2L).serve();
        assertThat(acknowledgement(push("ev-confirms", "user_modify_org", "{\"userId\":[\"b\"]}")))
                .isEqualTo(SUCCESS);

        GatewayHttp.Answer confirmed = management.send("GET", "/actuator/health", operator, null, null);
        assertThat(confirmed
                        .json()
                        .path("components")
                        .path("directory")
                        .path("status")
                        .asString())
                .isEqualTo("UP");
        assertThat(status().path("state").asString()).isEqualTo("ready");
        assertThat(confirmedAge()).as("the event confirmed the mirror").isLessThan(60);
    }

    @Test
    void everySeriesTheRulesAndTheDashboardReadAboutTheDirectoryIsInTheScrape() {
        // MetricNamesTests checks the other series, on a gateway with the mirror off.
        Map<String, Set<String>> used = new TreeMap<>(MonitoringFiles.usedSeriesAndTheirMatcherLabels());
        used.keySet().removeIf(series -> !MonitoringFiles.directoryOnly(series));
        assertThat(used).containsKeys("gateway_directory_confirmed_age_seconds", "gateway_dingtalk_stream_connected");

        GatewayHttp.Answer scrape = new GatewayHttp(managementPort).get("/actuator/prometheus");

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(PrometheusScrape.missing(
                        used, PrometheusScrape.series(scrape.response().body())))
                .as(
                        "series (and labels their matchers test) read by an alert or a panel but not in /actuator/prometheus")
                .isEmpty();
        assertThat(scrape.response().body())
                .containsPattern("(?m)^gateway_dingtalk_stream_connected(\\{[^}]*\\})? 1(\\.0)?$")
                .containsPattern("(?m)^gateway_directory_confirmed_age_seconds(\\{[^}]*\\})? \\d");
    }

    private double confirmedAge() {
        return meters.get("gateway.directory.confirmed.age").gauge().value();
    }

    /** The connection the client opened last, once it is open. */
    private static Session openSession() {
        return await().atMost(WAIT)
                .until(
                        () -> stream.sessions().isEmpty()
                                ? null
                                : stream.sessions().getLast(),
                        open -> open != null && !open.closed().isDone());
    }

    private String push(String eventId, String eventType, String data) {
        return push(eventId, eventType, System.currentTimeMillis(), data);
    }

    /** Pushes an event on the open connection, in a frame of its own; its message id. */
    private String push(String eventId, String eventType, long bornAtMillis, String data) {
        String messageId = "directory-stream-" + messages.incrementAndGet();
        session.push(FakeStreamGateway.event(messageId, eventId, eventType, bornAtMillis, data));
        return messageId;
    }

    /** The status the gateway acknowledged the frame with. */
    private static String acknowledgement(String messageId) {
        JsonNode reply = await().atMost(WAIT).until(() -> stream.reply(messageId), answer -> answer != null);
        assertThat(reply.path("code").asInt()).isEqualTo(200);
        return reply.path("data").asString();
    }

    /** Records what the API shows as each acknowledgement arrives, before the test sees it. */
    private Map<String, MirrorView> viewAtEachAcknowledgement() {
        Map<String, MirrorView> views = new ConcurrentHashMap<>();
        stream.onReply(reply -> {
            String messageId = reply.path("headers").path("messageId").asString();
            try {
                views.put(messageId, view());
            } catch (RuntimeException | AssertionError failed) {
                views.put(messageId, new MirrorView(Map.of("failed", failed.toString()), List.of(), List.of()));
            }
        });
        return views;
    }

    /** The mirror as the API shows it: users by id, departments as "id parent name", changes since the test began. */
    private MirrorView view() {
        Map<String, String> users = new LinkedHashMap<>();
        get("/api/v1/directory/users?limit=200", reader)
                .json()
                .path("items")
                .forEach(user -> users.put(
                        user.path("userId").asString(), user.path("name").asString()));
        List<String> departments = new ArrayList<>();
        flatten(get("/api/v1/departments", reader).json(), departments);
        List<String> changes = new ArrayList<>();
        get("/api/v1/directory/changes?since=" + since, reader)
                .json()
                .path("changes")
                .forEach(change -> changes.add(
                        change.path("kind").asString() + " " + change.path("id").asString() + " "
                                + change.path("change").asString()));
        return new MirrorView(users, departments, changes);
    }

    private static void flatten(JsonNode nodes, List<String> into) {
        nodes.forEach(node -> {
            into.add(node.path("id").asLong() + " " + node.path("parentId").asLong() + " "
                    + node.path("name").asString());
            flatten(node.path("children"), into);
        });
    }

    private JsonNode status() {
        return get("/api/v1/directory/status", operator).json();
    }

    private GatewayHttp.Answer get(String path, String bearer) {
        GatewayHttp.Answer answer = http.send("GET", path, bearer, null, null);
        assertThat(answer.status()).as(path + ": " + answer.response().body()).isEqualTo(200);
        return answer;
    }

    private static List<String> userIds(GatewayHttp.Answer page) {
        List<String> ids = new ArrayList<>();
        page.json().path("items").forEach(item -> ids.add(item.path("userId").asString()));
        return ids;
    }

    record MirrorView(Map<String, String> users, List<String> departments, List<String> changes) {}

    /** The system clock, moved ahead by hand: time keeps passing (the mirror orders reads by it), and jumps. */
    static final class AheadClock extends Clock {

        private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

        void moveAhead(Duration duration) {
            ahead.updateAndGet(current -> current.plus(duration));
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ClockMovedByHand {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }
}
