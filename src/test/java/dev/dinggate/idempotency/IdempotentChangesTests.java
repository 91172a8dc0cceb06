package dev.dinggate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.HeldAnswers;
import dev.dinggate.support.ProductionGatewayTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Retries with an Idempotency-Key, in production's set-up on PostgreSQL: replayed, refused, or processed anew. */
class IdempotentChangesTests extends ProductionGatewayTest {

    private static final String CHANGE_UPSTREAM = "/v1.0/contact/orgAccounts/dingTalkIds/change";
    private static final String VISIBILITY_UPSTREAM = "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg";

    @DynamicPropertySource
    static void patientUpstream(DynamicPropertyRegistry registry) {
        // A held answer waits for the test to release it, never for a response timeout to win a race.
        registry.add("dingtalk.timeout.response", () -> "2m");
    }

    @Autowired
    JdbcClient jdbc;

    private KeyedHttp keyed;
    private final String userId = "idem" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
    private final String key = "\"retry-" + userId + "\"";

    @BeforeEach
    void upstreamAccepts() {
        keyed = new KeyedHttp(port);
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
        dingTalk.stubFor(put(urlEqualTo(VISIBILITY_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
    }

    private GatewayHttp.Answer changeDingTalkId(String dingTalkId, String... keys) {
        return keyed.send(
                "PUT",
                "/api/v1/org-accounts/" + userId + "/dingtalk-id",
                "Bearer " + jwts.token("alice", "accounts:write", "manager4220"),
                "{\"dingTalkId\":\"" + dingTalkId + "\"}",
                keys);
    }

    private long auditRowsFor(String target) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE target = :target")
                .param("target", target)
                .query(Long.class)
                .single();
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerWithoutDingTalkOrTheAuditSeeingItAgain() {
        GatewayHttp.Answer first = changeDingTalkId("lisi2026", key);
        GatewayHttp.Answer retry = changeDingTalkId("lisi2026", key);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Idempotency-Replayed")).isNull();
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(retry.response().body()).isEqualTo(first.response().body());
        assertThat(retry.contentType()).isEqualTo(first.contentType());
        assertThat(retry.header("X-Request-Id"))
                .as("each response has its own request id")
                .isNotEqualTo(first.header("X-Request-Id"));
        dingTalk.verify(exactly(1), postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
        assertThat(auditRowsFor(userId)).isEqualTo(1);
    }

    @Test
    void aRefusalIsReplayedTooAndTheRetryDoesNotMeetDingTalkAgain() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .willReturn(okJson("{\"result\":true}")
                        .withStatus(400)
                        .withBody("{\"code\":\"incorrect.reserved\",\"message\":\"taken\",\"requestid\":\"UP-1\"}")));

        GatewayHttp.Answer first = changeDingTalkId("zhangsan01", key);
        GatewayHttp.Answer retry = changeDingTalkId("zhangsan01", key);

        assertThat(first.field("code")).isEqualTo("dingtalk-id.taken");
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.contentType()).isEqualTo("application/problem+json");
        assertThat(retry.response().body()).isEqualTo(first.response().body());
        assertThat(retry.header("Idempotency-Replayed")).isEqualTo("true");
        dingTalk.verify(exactly(1), postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
    }

    @Test
    void aCreatedUserIsReplayedWithItsLocation() {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/create"))
                .willReturn(okJson(
                        "{\"errcode\":0,\"result\":{\"userid\":\"emp9\",\"unionId\":\"u-9\"},\"request_id\":\"r\"}")));
        String writer = "Bearer " + jwts.token("hr-job", "users:write", null);
        String body = "{\"name\":\"Zhou Jiu\",\"mobile\":\"13912345678\",\"departmentIds\":[3]}";

        GatewayHttp.Answer first = keyed.send("POST", "/api/v1/users", writer, body, key);
        GatewayHttp.Answer retry = keyed.send("POST", "/api/v1/users", writer, body, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Location")).isEqualTo("/api/v1/users/emp9");
        assertThat(retry.json()).isEqualTo(first.json());
        dingTalk.verify(exactly(1), postRequestedFor(urlPathEqualTo("/topapi/v2/user/create")));
    }

    @Test
    void theSameKeyForAnotherBodyOrPathIs422AndNothingIsSent() {
        assertThat(changeDingTalkId("lisi2026", key).status()).isEqualTo(200);

        GatewayHttp.Answer otherBody = changeDingTalkId("lisi2027", key);
        GatewayHttp.Answer otherPath = keyed.send(
                "PUT",
                "/api/v1/org-accounts/visibility",
                "Bearer " + jwts.token("alice", "accounts:write", "manager4220"),
                "{\"corpIds\":[\"ding1\"]}",
                key);

        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.field("code")).isEqualTo("idempotency.key-reused");
        assertThat(otherBody.field("requestId")).isEqualTo(otherBody.header("X-Request-Id"));
        assertThat(otherPath.status()).isEqualTo(422);
        assertThat(otherPath.field("code")).isEqualTo("idempotency.key-reused");
        dingTalk.verify(exactly(1), postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
        dingTalk.verify(exactly(0), putRequestedFor(urlEqualTo(VISIBILITY_UPSTREAM)));
        assertThat(auditRowsFor(userId)).isEqualTo(1);
    }

    @Test
    void theSameKeyWhileTheFirstRequestRunsIs409ThenTheFirstAnswer() {
        heldAnswers.hold();
        dingTalk.stubFor(HeldAnswers.held(post(urlEqualTo(CHANGE_UPSTREAM))).willReturn(okJson("{\"result\":true}")));
        CompletableFuture<GatewayHttp.Answer> first =
                CompletableFuture.supplyAsync(() -> changeDingTalkId("lisi2026", key));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> dingTalk.countRequestsMatching(postRequestedFor(urlEqualTo(CHANGE_UPSTREAM))
                                        .build())
                                .getCount()
                        == 1);

        GatewayHttp.Answer whileRunning = changeDingTalkId("lisi2026", key);

        assertThat(whileRunning.status()).isEqualTo(409);
        assertThat(whileRunning.field("code")).isEqualTo("idempotency.in-flight");
        assertThat(whileRunning.header("Retry-After")).isEqualTo("1");
        heldAnswers.release();
        assertThat(first.join().status()).isEqualTo(200);
        GatewayHttp.Answer afterwards = changeDingTalkId("lisi2026", key);
        assertThat(afterwards.status()).isEqualTo(200);
        assertThat(afterwards.header("Idempotency-Replayed")).isEqualTo("true");
        dingTalk.verify(exactly(1), postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
    }

    @Test
    void aKeyBelongsToItsCallerAndItsClient() {
        String body = "{\"corpIds\":[\"ding12345678\"]}";
        String alice = "Bearer " + jwts.token("alice", "accounts:write", "manager4220");
        String bob = "Bearer " + jwts.token("bob", "accounts:write", "user1002");
        String aliceElsewhere = "Bearer "
                + jwts.builder("alice", "accounts:write", "manager4220")
                        .claim("azp", "intranet")
                        .sign();

        GatewayHttp.Answer byAlice = keyed.send("PUT", "/api/v1/org-accounts/visibility", alice, body, key);
        GatewayHttp.Answer byBob = keyed.send("PUT", "/api/v1/org-accounts/visibility", bob, body, key);
        GatewayHttp.Answer byAliceInAnotherApp =
                keyed.send("PUT", "/api/v1/org-accounts/visibility", aliceElsewhere, body, key);
        GatewayHttp.Answer aliceAgain = keyed.send("PUT", "/api/v1/org-accounts/visibility", alice, body, key);

        assertThat(byAlice.status()).isEqualTo(200);
        assertThat(byBob.status()).isEqualTo(200);
        assertThat(byBob.header("Idempotency-Replayed")).isNull();
        assertThat(byAliceInAnotherApp.status()).isEqualTo(200);
        assertThat(byAliceInAnotherApp.header("Idempotency-Replayed")).isNull();
        assertThat(aliceAgain.header("Idempotency-Replayed")).isEqualTo("true");
        dingTalk.verify(exactly(3), putRequestedFor(urlEqualTo(VISIBILITY_UPSTREAM)));
    }

    @Test
    void aReadIgnoresTheKeyEvenAMalformedOne() {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/get"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid\":\"user1001\",\"name\":\"Li Si\"}}")));
        String reader = "Bearer " + jwts.token("alice", "users:read", null);

        GatewayHttp.Answer first = keyed.send("GET", "/api/v1/users/user1001", reader, null, key);
        GatewayHttp.Answer second = keyed.send("GET", "/api/v1/users/user1001", reader, null, key);
        GatewayHttp.Answer malformed = keyed.send("GET", "/api/v1/users/user1001", reader, null, "\"unterminated");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("Idempotency-Replayed")).isNull();
        assertThat(malformed.status()).isEqualTo(200);
        dingTalk.verify(exactly(3), postRequestedFor(urlPathEqualTo("/topapi/v2/user/get")));
    }
}
