package dev.dinggate.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.dinggate.directory.WireMockOrg.DEPARTMENT_GET;
import static dev.dinggate.directory.WireMockOrg.USER_GET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dinggate.GatewayApplication;
import dev.dinggate.dingtalk.stream.DingTalkStream;
import dev.dinggate.dingtalk.stream.FakeStreamGateway;
import dev.dinggate.dingtalk.stream.FakeStreamGateway.Session;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TestJwts;
import dev.dinggate.support.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two gateway replicas (two application contexts) on one PostgreSQL schema, each with its own connection to
 * DingTalk's event stream (the fake): DingTalk delivers an event to one of them, and the other serves the change,
 * through the shared mirror. The replicas start one after the other, so the fake's first connection is the
 * first replica's.
 */
@NeedsPostgres
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryStreamReplicasTests {

    private static final int PAGE_SIZE = 2;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String APP_KEY = "directory-stream-app";
    private static final String APP_SECRET = "directory-stream-secret-0123456789";
    private static final String SUCCESS = "{\"status\":\"SUCCESS\"}";

    private static final WireMockServer dingTalk = new WireMockServer(options().dynamicPort());
    private static final TestJwts jwts = new TestJwts();
    private static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private static final List<Session> connections = new ArrayList<>();
    private static final String CARD_READER = jwts.token("web-app", "users:read", null);
    private static FakeStreamGateway stream;
    private static WireMockOrg org;

    @BeforeAll
    static void startTwoReplicasEachWithItsStreamAndAFullMirror() {
        dingTalk.start();
        dingTalk.stubFor(get(urlEqualTo("/idp/jwks")).willReturn(okJson(jwts.jwkSetJson())));
        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(okJson("{\"accessToken\":\"directory-token\",\"expireIn\":7200}")));
        org = WireMockOrg.acme(dingTalk, PAGE_SIZE).serve();
        stream = new FakeStreamGateway(APP_KEY, APP_SECRET);
        TestPostgres.Schema schema = TestPostgres.schemaFor(DirectoryStreamReplicasTests.class);
        Flyway.configure()
                .dataSource(schema.dataSource())
                .schemas(schema.name())
                .load()
                .migrate();
        Map<String, String> settings = Map.ofEntries(
                Map.entry("spring.profiles.active", "production"),
                Map.entry("spring.datasource.url", schema.jdbcUrl()),
                Map.entry("spring.datasource.username", schema.server().user()),
                Map.entry("spring.datasource.password", schema.server().password()),
                Map.entry("dingtalk.base-url", dingTalk.baseUrl()),
                Map.entry("dingtalk.legacy-base-url", dingTalk.baseUrl()),
                Map.entry("dingtalk.app-key", APP_KEY),
                Map.entry("dingtalk.app-secret", APP_SECRET),
                Map.entry("dingtalk.timeout.response", "10s"),
                Map.entry("dingtalk.stream.enabled", "true"),
                Map.entry("dingtalk.stream.base-url", stream.baseUrl()),
                Map.entry("gateway.directory.enabled", "true"),
                // The test runs the one full sync itself.
                Map.entry("gateway.directory.check-interval", "1h"),
                Map.entry("gateway.directory.page-size", Integer.toString(PAGE_SIZE)),
                // Far beyond the test: only the other replica's notification can make a kept user fresh.
                Map.entry("gateway.directory.read-cache-time", "10m"),
                Map.entry("gateway.reconciliation.interval", "1h"),
                Map.entry("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", dingTalk.baseUrl() + "/idp/jwks"),
                Map.entry("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.ISSUER),
                Map.entry("spring.security.oauth2.resourceserver.jwt.audiences", TestJwts.AUDIENCE));
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0"));
        settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        for (int replica = 0; replica < 2; replica++) {
            replicas.add(new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new)));
            int opened = replica + 1;
            await().atMost(WAIT).until(() -> stream.sessions().size() == opened);
            connections.add(stream.sessions().get(replica));
        }
        assertThat(replicas.getFirst().getBean(FullSync.class).syncNow()).isPresent();
    }

    @AfterAll
    static void stopTheReplicas() {
        replicas.forEach(ConfigurableApplicationContext::close);
        if (stream != null) {
            stream.close();
        }
        dingTalk.stop();
        TestPostgres.drop(DirectoryStreamReplicasTests.class);
    }

    @Test
    @Order(1)
    void anEventDeliveredToEitherReplicaIsServedByTheOther() {
        String reader = jwts.token("people-picker", "users:read", null);
        String operator = jwts.token("oncall", "ops", null);
        for (int replica = 0; replica < 2; replica++) {
            int which = replica;
            await().atMost(WAIT)
                    .alias("replica " + which + "'s own stream connection")
                    .until(() -> read(which, "/api/v1/directory/status", operator)
                            .json()
                            .path("streamConnected")
                            .asBoolean());
        }
        String since = read(1, "/api/v1/directory/changes", reader).field("nextCursor");

        org.user("a", "A Via The First", 2L, 4L).serve();
        connections
                .get(0)
                .push(FakeStreamGateway.event(
                        "m-first", "ev-first", "user_modify_org", System.currentTimeMillis(), "{\"userId\":[\"a\"]}"));
        assertThat(acknowledgement("m-first")).isEqualTo(SUCCESS);
        assertThat(eventsOnTheStreamOf(0)).as("the first replica's connection").isEqualTo(1);
        assertThat(eventsOnTheStreamOf(1)).isZero();

        assertThat(names(read(1, "/api/v1/directory/users?q=A%20Via", reader))).containsExactly("A Via The First");
        assertThat(changes(read(1, "/api/v1/directory/changes?since=" + since, reader)))
                .containsExactly("user a modified");

        org.department(6, "Legal", 1).serve();
        connections
                .get(1)
                .push(FakeStreamGateway.event(
                        "m-second", "ev-second", "org_dept_create", System.currentTimeMillis(), "{\"deptId\":[6]}"));
        assertThat(acknowledgement("m-second")).isEqualTo(SUCCESS);

        assertThat(read(0, "/api/v1/departments", reader).json().toString()).contains("{\"id\":6,\"name\":\"Legal\"");
        assertThat(changes(read(0, "/api/v1/directory/changes?since=" + since, reader)))
                .containsExactly("user a modified", "department 6 added");

        // DingTalk delivering the first event again, to the other replica: nobody reads it again.
        int userReads = org.requests(USER_GET);
        connections
                .get(1)
                .push(FakeStreamGateway.event(
                        "m-first-again",
                        "ev-first",
                        "user_modify_org",
                        System.currentTimeMillis(),
                        "{\"userId\":[\"a\"]}"));
        assertThat(acknowledgement("m-first-again")).isEqualTo(SUCCESS);
        assertThat(org.requests(USER_GET)).isEqualTo(userReads).isEqualTo(1);
        assertThat(org.requests(DEPARTMENT_GET, "{\"dept_id\":6}")).isEqualTo(1);
        for (int replica = 0; replica < 2; replica++) {
            assertThat(read(replica, "/api/v1/directory/status", operator)
                            .json()
                            .path("eventsReceived")
                            .asLong())
                    .isEqualTo(2);
        }
    }

    @Test
    @Order(2)
    void aUserKeptInOneReplicasMemoryIsFreshThereOnceTheOtherAppliesAnEvent() {
        awaitBothReplicasAnsweringFromMemory();
        assertTheSecondReplicaKeeps("b", "User B");

        renameThroughTheFirstReplica("b", "B Renamed Elsewhere", "ev-rename");

        awaitTheSecondReplicaServes("b", "B Renamed Elsewhere");
    }

    @Test
    @Order(3)
    void aReplicaWhoseListeningConnectionDiesListensAgainAndItsMemoryFollowsTheFleetAgain() throws Exception {
        TestPostgres.Schema schema = TestPostgres.schemaFor(DirectoryStreamReplicasTests.class);
        String channel;
        try (Connection connection = schema.dataSource().getConnection()) {
            channel = new MirrorChannel(schema.dataSource(), new MirrorReadCache(Duration.ZERO)).name(connection);
        }
        List<Integer> before = listeners(schema, channel);
        assertThat(before).as("each replica's listening connection").hasSize(2);

        schema.jdbc()
                .sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (:pids)")
                .param("pids", before)
                .query((row, n) -> row.getBoolean(1))
                .list();

        await().atMost(WAIT)
                .alias("both replicas listen again, on new connections")
                .until(() -> {
                    List<Integer> now = listeners(schema, channel);
                    return now.size() == 2 && now.stream().noneMatch(before::contains);
                });
        awaitBothReplicasAnsweringFromMemory();
        assertTheSecondReplicaKeeps("b", "B Renamed Elsewhere");

        renameThroughTheFirstReplica("b", "B After The Reconnect", "ev-again");

        awaitTheSecondReplicaServes("b", "B After The Reconnect");
    }

    private static void awaitBothReplicasAnsweringFromMemory() {
        for (ConfigurableApplicationContext replica : replicas) {
            await().atMost(WAIT)
                    .until(() -> replica.getBean(MirrorReadCache.class).live());
        }
    }

    /** The second replica serves the user with this name, the second time from memory. */
    private static void assertTheSecondReplicaKeeps(String userId, String name) {
        assertThat(read(1, "/api/v1/users/" + userId, CARD_READER).field("name"))
                .isEqualTo(name);
        double hits = cacheHits(1);
        assertThat(read(1, "/api/v1/users/" + userId, CARD_READER).field("name"))
                .isEqualTo(name);
        assertThat(cacheHits(1)).as("the second read answered from memory").isEqualTo(hits + 1);
    }

    /** DingTalk renames the user and tells the first replica, which applies it before acknowledging. */
    private static void renameThroughTheFirstReplica(String userId, String name, String eventId) {
        org.user(userId, name, 2L).serve();
        String messageId = "m-" + eventId;
        connections
                .get(0)
                .push(FakeStreamGateway.event(
                        messageId,
                        eventId,
                        "user_modify_org",
                        System.currentTimeMillis(),
                        "{\"userId\":[\"" + userId + "\"]}"));
        assertThat(acknowledgement(messageId)).isEqualTo(SUCCESS);
    }

    /** Only the first replica's write notification can make the second one's kept user fresh (10 min cache). */
    private static void awaitTheSecondReplicaServes(String userId, String name) {
        await().atMost(Duration.ofSeconds(10))
                .alias("the second replica dropped " + userId + " when the write's notification arrived")
                .until(() -> read(1, "/api/v1/users/" + userId, CARD_READER)
                        .field("name")
                        .equals(name));
    }

    /** The backends listening on the channel (their last statement was its LISTEN). */
    private static List<Integer> listeners(TestPostgres.Schema schema, String channel) {
        return schema.jdbc()
                .sql("SELECT pid FROM pg_stat_activity WHERE query = :listen ORDER BY pid")
                .param("listen", "LISTEN " + channel)
                .query(Integer.class)
                .list();
    }

    private static double cacheHits(int replica) {
        return replicas.get(replica)
                .getBean(MeterRegistry.class)
                .get("cache.gets")
                .tag("cache", "directory-users")
                .tag("result", "hit")
                .functionCounter()
                .count();
    }

    private static long eventsOnTheStreamOf(int replica) {
        return replicas.get(replica).getBean(DingTalkStream.class).status().eventsReceived();
    }

    private static String acknowledgement(String messageId) {
        JsonNode reply = await().atMost(WAIT).until(() -> stream.reply(messageId), answer -> answer != null);
        return reply.path("data").asString();
    }

    private static GatewayHttp.Answer read(int replica, String path, String bearer) {
        GatewayHttp.Answer answer = new GatewayHttp(((WebServerApplicationContext) replicas.get(replica))
                        .getWebServer()
                        .getPort())
                .send("GET", path, bearer, null, null);
        assertThat(answer.status()).as(path + ": " + answer.response().body()).isEqualTo(200);
        return answer;
    }

    private static List<String> names(GatewayHttp.Answer page) {
        List<String> names = new ArrayList<>();
        page.json().path("items").forEach(user -> names.add(user.path("name").asString()));
        return names;
    }

    private static List<String> changes(GatewayHttp.Answer feed) {
        List<String> changes = new ArrayList<>();
        feed.json()
                .path("changes")
                .forEach(change -> changes.add(
                        change.path("kind").asString() + " " + change.path("id").asString() + " "
                                + change.path("change").asString()));
        return changes;
    }
}
