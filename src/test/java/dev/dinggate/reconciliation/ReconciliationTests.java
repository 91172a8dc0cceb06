package dev.dinggate.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.dinggate.audit.AuditOutcome;
import dev.dinggate.audit.ChangeReconciled;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.HeldAnswers;
import dev.dinggate.support.MutableClock;
import dev.dinggate.support.ProductionGatewayTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import tools.jackson.databind.JsonNode;

/**
 * Changes whose answer was lost (an unreadable answer from DingTalk: UNKNOWN) are settled by the
 * reconciler's read of DingTalk where one settles them, and the rest are counted and listed for
 * operators. The clock is moved by hand and each pass is run by the test, so nothing waits.
 */
@Import(ReconciliationTests.HandMovedClock.class)
@RecordApplicationEvents
class ReconciliationTests extends ProductionGatewayTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final Duration DELAY = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        // The clock stands still between the test's moves: DingTalk's budget would not refill either.
        registry.add("dingtalk.rate-limit.qps", () -> "100000");
        // No pass of its own during the test: the test runs each one.
        registry.add("gateway.reconciliation.interval", () -> "1h");
        registry.add("gateway.reconciliation.delay", () -> "30s");
        registry.add("gateway.reconciliation.max-attempts", () -> "3");
    }

    @TestConfiguration
    static class HandMovedClock {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @Autowired
    Reconciler reconciler;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationEvents events;

    @LocalManagementPort
    int managementPort;

    private final String userId = "rec" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
    private final String mobile = "+86-139" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);

    @BeforeEach
    void dingTalksAnswersToChangesAreUnreadable() {
        for (String change : new String[] {"create", "update", "delete"}) {
            dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/" + change))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"errcode\":0,")));
        }
    }

    @Test
    void createdUserFoundByItsMobileIsSettledSucceededWithItsUserId() {
        UUID id = unknownCreate();
        assertThat(factsOf(id)).as("kept beside the row for the check").isEqualTo(1);
        stubGetByMobile(okJson("{\"errcode\":0,\"result\":{\"userid\":\"" + userId + "\"}}"));

        reconciler.reconcileDue();
        assertThat(dingTalk.countRequestsMatching(postRequestedFor(urlPathEqualTo("/topapi/v2/user/getbymobile"))
                                .build())
                        .getCount())
                .as("not before gateway.reconciliation.delay")
                .isZero();
        assertThat(event(id).path("outcome").asString()).isEqualTo("UNKNOWN");

        CLOCK.advance(DELAY);
        reconciler.reconcileDue();

        JsonNode event = event(id);
        assertThat(event.path("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(event.path("failure").asString())
                .as("how it first ended stays visible")
                .isNotEmpty();
        assertThat(event.path("reconciled").path("from").asString()).isEqualTo("UNKNOWN");
        assertThat(Instant.parse(event.path("reconciled").path("at").asString()))
                .as("stored to the microsecond")
                .isCloseTo(CLOCK.instant(), within(1, ChronoUnit.MILLIS));
        assertThat(event.path("reconciled").path("how").asString())
                .contains(userId)
                .contains("found by the mobile number")
                .doesNotContain(mobile.substring(4));
        assertThat(factsOf(id)).as("the mobile number is not kept once settled").isZero();
        assertThat(events.stream(ChangeReconciled.class)).singleElement().satisfies(settled -> {
            assertThat(settled.auditEventId()).isEqualTo(id);
            assertThat(settled.outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
            assertThat(settled.reconciledAt()).isEqualTo(CLOCK.instant());
        });
        assertThat(ids("?operation=user.create&reconciled=true")).contains(id.toString());
    }

    @Test
    void createdUserNobodyFindsByItsMobileIsSettledFailed() {
        UUID id = unknownCreate();
        stubGetByMobile(okJson("{\"errcode\":60121,\"errmsg\":\"找不到该用户\"}"));

        CLOCK.advance(DELAY);
        reconciler.reconcileDue();

        JsonNode event = event(id);
        assertThat(event.path("outcome").asString()).isEqualTo("FAILED");
        assertThat(event.path("reconciled").path("how").asString())
                .contains("60121")
                .contains("invited");
        assertThat(factsOf(id)).isZero();
    }

    @Test
    void deletedUserDingTalkNoLongerFindsIsSettledSucceeded() {
        UUID id = unknownDelete();
        stubUserGet(okJson("{\"errcode\":60121,\"errmsg\":\"找不到该用户\"}"));

        CLOCK.advance(DELAY);
        reconciler.reconcileDue();

        JsonNode event = event(id);
        assertThat(event.path("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(event.path("reconciled").path("how").asString())
                .isEqualTo("user read answered 60121 (user not found)");
    }

    @Test
    void deletedUserStillThereIsSettledFailed() {
        UUID id = unknownDelete();
        stubUserGet(okJson(user("Zhang San", "Engineer")));

        CLOCK.advance(DELAY);
        reconciler.reconcileDue();

        assertThat(event(id).path("outcome").asString()).isEqualTo("FAILED");
        assertThat(factsOf(id)).isZero();
    }

    @Test
    void updateWhoseFieldsReadBackAsSentIsSettledSucceeded() {
        UUID id = unknownUpdate("{\"name\":\"Li Si\",\"title\":\"Lead\"}");
        stubUserGet(okJson(user("Li Si", "Lead")));

        CLOCK.advance(DELAY);
        reconciler.reconcileDue();

        JsonNode event = event(id);
        assertThat(event.path("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(event.path("reconciled").path("how").asString()).isEqualTo("user read back as sent: name, title");
    }

    @Test
    void updateWhoseFieldsReadBackOtherwiseStaysUnknownIsCheckedAgainLaterAndIsFinallyLeftForAPerson() {
        UUID id = unknownUpdate("{\"title\":\"Lead\"}");
        stubUserGet(okJson(user("Li Si", "Engineer")));
        CLOCK.advance(DELAY);
        reconciler.reconcileDue();
        JsonNode counts = unknownChanges();
        assertThat(event(id).path("outcome").asString())
                .as("another writer may have changed the title since: never FAILED")
                .isEqualTo("UNKNOWN");
        assertThat(factsOf(id)).isEqualTo(1);
        assertThat(counts.path("awaitingReconciler").asLong()).isPositive();

        // Checked again after the delay doubled (30 s, then 60 s), and given up after max-attempts (3).
        CLOCK.advance(DELAY);
        reconciler.reconcileDue();
        assertThat(userGets()).isEqualTo(2);
        CLOCK.advance(DELAY);
        reconciler.reconcileDue();
        assertThat(userGets()).as("the third check waits 60 s").isEqualTo(2);
        CLOCK.advance(DELAY);
        reconciler.reconcileDue();
        assertThat(userGets()).isEqualTo(3);

        assertThat(event(id).path("outcome").asString()).isEqualTo("UNKNOWN");
        assertThat(event(id).path("reconciled").isNull()).isTrue();
        assertThat(factsOf(id)).as("given up: the fields sent are not kept").isZero();
        assertThat(unknownChanges().path("awaitingOperator").asLong())
                .isEqualTo(counts.path("awaitingOperator").asLong() + 1);
        assertThat(ids("?outcome=UNKNOWN&reconciled=false")).contains(id.toString());
    }

    @Test
    void aChangeNoReadSettlesStaysUnknownAndIsCountedInTheEndpointTheMetricAndTheQuery() {
        reconciler.reconcileDue();
        long before = unknownChanges().path("awaitingOperator").asLong();
        dingTalk.stubFor(post(urlEqualTo("/v1.0/contact/orgAccounts/dingTalkIds/change"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"result\":")));
        assertThat(http.putJson(
                                "/api/v1/org-accounts/" + userId + "/dingtalk-id",
                                jwts.token("alice", "accounts:write", "manager4220"),
                                "{\"dingTalkId\":\"lisi2026\"}")
                        .status())
                .isEqualTo(502);
        UUID id = UUID.fromString(
                event(userId, "org-account.change-dingtalk-id").path("id").asString());
        assertThat(factsOf(id))
                .as("DingTalk has no read of a DingTalk ID: no facts")
                .isZero();

        CLOCK.advance(DELAY);
        reconciler.reconcileDue();

        assertThat(event(userId, "org-account.change-dingtalk-id")
                        .path("outcome")
                        .asString())
                .isEqualTo("UNKNOWN");
        JsonNode counts = unknownChanges();
        assertThat(counts.path("awaitingOperator").asLong()).isEqualTo(before + 1);
        assertThat(counts.path("unsettled").asLong())
                .isEqualTo(counts.path("awaitingOperator").asLong()
                        + counts.path("awaitingReconciler").asLong());
        assertThat(new GatewayHttp(managementPort)
                        .get("/actuator/prometheus")
                        .response()
                        .body())
                .contains("gateway_audit_unknown_unsettled{awaiting=\"operator\"} " + (before + 1) + ".0\n")
                .contains("gateway_audit_unknown_unsettled{awaiting=\"reconciler\"}");
        assertThat(ids("?outcome=UNKNOWN&reconciled=false")).contains(id.toString());
        assertThat(ids("?reconciled=true")).doesNotContain(id.toString());
    }

    @Test
    void factsAreWrittenBeforeDingTalkIsCalledAndGoOnceTheOutcomeIsKnown() {
        dingTalk.stubFor(
                HeldAnswers.held(post(urlPathEqualTo("/topapi/v2/user/delete"))).willReturn(okJson("{\"errcode\":0}")));
        heldAnswers.hold();

        CompletableFuture<GatewayHttp.Answer> inFlight = CompletableFuture.supplyAsync(this::delete);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> dingTalk.countRequestsMatching(postRequestedFor(urlPathEqualTo("/topapi/v2/user/delete"))
                                        .build())
                                .getCount()
                        == 1);

        // DingTalk has the request and has not answered: a crash now would still leave the facts.
        UUID id = UUID.fromString(event(userId, "user.delete").path("id").asString());
        assertThat(event(userId, "user.delete").path("outcome").asString()).isEqualTo("PENDING");
        assertThat(factsOf(id)).isEqualTo(1);
        heldAnswers.release();
        assertThat(inFlight.join().status()).isEqualTo(204);

        assertThat(event(userId, "user.delete").path("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(factsOf(id)).as("a known outcome needs no settling").isZero();
    }

    private UUID unknownCreate() {
        GatewayHttp.Answer answer = http.send(
                "POST",
                "/api/v1/users",
                writer(),
                "application/json",
                "{\"name\":\"Wu Shi\",\"mobile\":\"" + mobile + "\",\"departmentIds\":[3],\"userId\":\"" + userId
                        + "\"}");
        assertThat(answer.status()).isEqualTo(502);
        return unknownIdOf(userId, "user.create");
    }

    private UUID unknownDelete() {
        assertThat(delete().status()).isEqualTo(502);
        return unknownIdOf(userId, "user.delete");
    }

    private GatewayHttp.Answer delete() {
        return http.send("DELETE", "/api/v1/users/" + userId, writer(), null, null);
    }

    private UUID unknownUpdate(String patch) {
        GatewayHttp.Answer answer = http.send("PATCH", "/api/v1/users/" + userId, writer(), "application/json", patch);
        assertThat(answer.status()).isEqualTo(502);
        return unknownIdOf(userId, "user.update");
    }

    private UUID unknownIdOf(String target, String operation) {
        JsonNode event = event(target, operation);
        assertThat(event.path("outcome").asString()).isEqualTo("UNKNOWN");
        return UUID.fromString(event.path("id").asString());
    }

    private String user(String name, String title) {
        return "{\"errcode\":0,\"result\":{\"userid\":\"" + userId + "\",\"name\":\"" + name + "\",\"title\":\"" + title
                + "\",\"dept_id_list\":[3]}}";
    }

    private void stubGetByMobile(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/getbymobile"))
                .withRequestBody(matchingJsonPath("$.mobile", equalTo(mobile)))
                .willReturn(answer));
    }

    private void stubUserGet(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        MappingBuilder get = post(urlPathEqualTo("/topapi/v2/user/get"))
                .withRequestBody(matchingJsonPath("$.userid", equalTo(userId)));
        dingTalk.stubFor(get.willReturn(answer));
    }

    private int userGets() {
        return dingTalk.countRequestsMatching(postRequestedFor(urlPathEqualTo("/topapi/v2/user/get"))
                        .withRequestBody(matchingJsonPath("$.userid", equalTo(userId)))
                        .build())
                .getCount();
    }

    private int factsOf(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_settlement WHERE audit_event_id = :id")
                .param("id", id)
                .query(Integer.class)
                .single();
    }

    private JsonNode event(UUID id) {
        for (JsonNode event : page("?target=" + userId)) {
            if (event.path("id").asString().equals(id.toString())) {
                return event;
            }
        }
        throw new AssertionError("no audit event " + id);
    }

    private JsonNode event(String target, String operation) {
        JsonNode items = page("?target=" + target + "&operation=" + operation);
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private java.util.List<String> ids(String query) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        page(query + (query.contains("?") ? "&" : "?") + "size=200")
                .forEach(event -> ids.add(event.path("id").asString()));
        return ids;
    }

    private JsonNode page(String query) {
        GatewayHttp.Answer page =
                http.send("GET", "/api/v1/audit-events" + query, jwts.token("auditor", "audit:read", null), null, null);
        assertThat(page.status()).isEqualTo(200);
        return page.json().path("items");
    }

    private JsonNode unknownChanges() {
        GatewayHttp.Answer state = new GatewayHttp(managementPort)
                .send("GET", "/actuator/dingtalk", jwts.token("oncall", "ops", null), null, null);
        assertThat(state.status()).isEqualTo(200);
        return state.json().path("unknownChanges");
    }

    private static String writer() {
        return jwts.token("hr-admin", "users:write", "user1002");
    }
}
