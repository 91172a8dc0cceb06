package dev.dinggate.audit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.HeldAnswers;
import dev.dinggate.support.ProductionGatewayTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The audit trail as callers and auditors meet it: every change recorded ahead, completed, queryable. */
class AuditApiTests extends ProductionGatewayTest {

    private static final String CHANGE_UPSTREAM = "/v1.0/contact/orgAccounts/dingTalkIds/change";

    @Autowired
    JdbcClient jdbc;

    private final String userId = "audit" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);

    private GatewayHttp.Answer change() {
        return http.putJson(
                "/api/v1/org-accounts/" + userId + "/dingtalk-id",
                jwts.token("alice", "accounts:write", "manager4220"),
                "{\"dingTalkId\":\"lisi2026\"}");
    }

    private JsonNode onlyEventFor(String target) {
        GatewayHttp.Answer page = http.send(
                "GET", "/api/v1/audit-events?target=" + target, jwts.token("auditor", "audit:read", null), null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().path("totalItems").asLong()).isEqualTo(1);
        return page.json().path("items").get(0);
    }

    @Test
    void successfulChangeIsRecordedWithWhoWhatWhenAndOutcome() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(okJson("{\"result\":true}")));

        GatewayHttp.Answer answer = change();

        assertThat(answer.status()).isEqualTo(200);
        JsonNode event = onlyEventFor(userId);
        assertThat(event.path("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(event.path("operation").asString()).isEqualTo("org-account.change-dingtalk-id");
        assertThat(event.path("summary").asString()).isEqualTo("set DingTalk ID to lisi2026");
        assertThat(event.path("actor").asString()).isEqualTo("alice");
        assertThat(event.path("clientId").asString()).isEqualTo("hr-system");
        assertThat(event.path("actorDingTalkUserId").asString()).isEqualTo("manager4220");
        assertThat(event.path("requestId").asString()).isEqualTo(answer.header("X-Request-Id"));
        assertThat(event.path("occurredAt").asString()).endsWith("Z");
        assertThat(event.path("completedAt").isNull()).isFalse();
        assertThat(event.path("durationMs").asLong()).isNotNegative();
    }

    @Test
    void refusedChangeIsRecordedAsFailedWithDingTalksCode() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"incorrect.reserved\",\"message\":\"taken\",\"requestid\":\"UP-9\"}")));

        assertThat(change().status()).isEqualTo(409);

        JsonNode event = onlyEventFor(userId);
        assertThat(event.path("outcome").asString()).isEqualTo("FAILED");
        assertThat(event.path("failure").asString()).isEqualTo("dingtalk-id.taken");
        assertThat(event.path("upstreamCode").asString()).isEqualTo("incorrect.reserved");
        assertThat(event.path("upstreamRequestId").asString()).isEqualTo("UP-9");
    }

    @Test
    void changeWhoseAnswerWasLostIsRecordedAsUnknown() {
        // DingTalk keeps the answer past the response timeout: the gateway cannot know whether it was applied.
        heldAnswers.hold();
        dingTalk.stubFor(HeldAnswers.held(post(urlEqualTo(CHANGE_UPSTREAM))).willReturn(okJson("{\"result\":true}")));

        assertThat(change().status()).isEqualTo(504);

        assertThat(onlyEventFor(userId).path("outcome").asString()).isEqualTo("UNKNOWN");
    }

    @Test
    void pendingRowIsCommittedBeforeDingTalkIsCalled() {
        dingTalk.stubFor(HeldAnswers.held(post(urlEqualTo(CHANGE_UPSTREAM))).willReturn(okJson("{\"result\":true}")));
        heldAnswers.hold();

        CompletableFuture<GatewayHttp.Answer> inFlight = CompletableFuture.supplyAsync(this::change);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> dingTalk.countRequestsMatching(postRequestedFor(urlEqualTo(CHANGE_UPSTREAM))
                                        .build())
                                .getCount()
                        == 1);

        // DingTalk has the request and has not answered: the row is already there, PENDING, and committed
        // (this JdbcClient reads through its own connection).
        assertThat(outcomesOf(userId)).containsExactly("PENDING");
        heldAnswers.release();
        assertThat(inFlight.join().status()).isEqualTo(200);
        assertThat(outcomesOf(userId)).containsExactly("SUCCEEDED");
    }

    @Test
    void storedRowsHoldNeitherTheAppSecretNorAnAccessToken() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
        change();

        List<String> rows = jdbc.sql("SELECT * FROM audit_event")
                .query((row, n) -> {
                    StringBuilder text = new StringBuilder();
                    for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                        text.append(row.getString(column)).append('|');
                    }
                    return text.toString();
                })
                .list();

        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row).doesNotContain(APP_SECRET, "it-token"));
    }

    @Test
    void auditQueryNeedsTheAuditReadScope() {
        assertThat(http.send("GET", "/api/v1/audit-events", null, null, null).status())
                .isEqualTo(401);
        GatewayHttp.Answer forbidden = http.send(
                "GET", "/api/v1/audit-events", jwts.token("bob", "accounts:write users:read", "user1002"), null, null);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.field("code")).isEqualTo("auth.forbidden");
        assertThat(http.send("GET", "/api/v1/audit-events", jwts.token("auditor", "audit:read", null), null, null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void auditTrailCannotBeEditedThroughTheApi() {
        String auditor = jwts.token("auditor", "audit:read accounts:write users:write", null);
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            assertThat(http.send(method, "/api/v1/audit-events", auditor, "application/json", "{}")
                            .status())
                    .as(method)
                    .isIn(403, 405);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "outcome=BOGUS",
                "from=yesterday",
                "size=0",
                "size=201",
                "page=-1",
                "from=2026-11-21T10:00:00Z&to=2026-11-21T09:00:00Z"
            })
    void badFiltersAreRefusedWithAProblem(String filter) {
        GatewayHttp.Answer answer = http.send(
                "GET", "/api/v1/audit-events?" + filter, jwts.token("auditor", "audit:read", null), null, null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.field("code")).isEqualTo("request.invalid");
        assertThat(answer.response().body()).doesNotContain("Exception", "java.");
    }

    private List<String> outcomesOf(String target) {
        return jdbc.sql("SELECT outcome FROM audit_event WHERE target = :target")
                .param("target", target)
                .query(String.class)
                .list();
    }
}
