package dev.dinggate.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.MutableClock;
import dev.dinggate.support.ProductionGatewayTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How long a key holds, on PostgreSQL and a clock the test moves: the retention, a claim whose replica
 * died, failures that give the key back or keep it, the purge, and keys that are no keys.
 */
@Import(IdempotencyKeyLifecycleTests.HandMovedClock.class)
class IdempotencyKeyLifecycleTests extends ProductionGatewayTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final String CHANGE_UPSTREAM = "/v1.0/contact/orgAccounts/dingTalkIds/change";

    @DynamicPropertySource
    static void budgets(DynamicPropertyRegistry registry) {
        // The clock stands still between the test's moves: DingTalk's budget would not refill either.
        registry.add("dingtalk.rate-limit.qps", () -> "100000");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IdempotencyStore store;

    @Autowired
    IdempotencyPurge purge;

    private KeyedHttp keyed;
    private final String userId = "idem" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
    private final String key = "retry-" + userId;

    @BeforeEach
    void upstreamAccepts() {
        keyed = new KeyedHttp(port);
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
    }

    private String body(String dingTalkId) {
        return "{\"dingTalkId\":\"" + dingTalkId + "\"}";
    }

    private GatewayHttp.Answer changeDingTalkId(String dingTalkId, String... keys) {
        return keyed.send(
                "PUT",
                "/api/v1/org-accounts/" + userId + "/dingtalk-id",
                "Bearer " + jwts.token("alice", "accounts:write", "manager4220"),
                body(dingTalkId),
                keys);
    }

    private long rows(String sql) {
        return jdbc.sql(sql).param("target", userId).query(Long.class).single();
    }

    @Test
    void aKeyIsFreeAgainOnceItsRetentionHasPassed() {
        assertThat(changeDingTalkId("lisi2026", key).status()).isEqualTo(200);
        CLOCK.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(changeDingTalkId("lisi2026", key).header("Idempotency-Replayed"))
                .isEqualTo("true");

        CLOCK.advance(Duration.ofSeconds(1));
        GatewayHttp.Answer sameRequest = changeDingTalkId("lisi2026", key);
        CLOCK.advance(Duration.ofHours(24));
        GatewayHttp.Answer otherRequest = changeDingTalkId("lisi2027", key);

        assertThat(sameRequest.status()).isEqualTo(200);
        assertThat(sameRequest.header("Idempotency-Replayed")).isNull();
        assertThat(otherRequest.status())
                .as("not idempotency.key-reused: the key is forgotten")
                .isEqualTo(200);
        dingTalk.verify(exactly(3), postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
    }

    @Test
    void aClaimLeftByAReplicaThatDiedLetsTheKeyGoAfterTheInFlightExpiry() {
        // What a replica that died mid-request leaves behind: its claim, never completed.
        JwtAuthenticationToken alice = new JwtAuthenticationToken(Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .subject("alice")
                .claim("azp", "hr-system")
                .build());
        store.claim(
                Fingerprints.keyId(alice, new IdempotencyKey(key)),
                Fingerprints.request(
                        "PUT",
                        "/api/v1/org-accounts/" + userId + "/dingtalk-id",
                        body("lisi2026").getBytes(StandardCharsets.UTF_8)),
                CLOCK.instant(),
                CLOCK.instant().plus(Duration.ofMinutes(10)));

        GatewayHttp.Answer meanwhile = changeDingTalkId("lisi2026", key);
        CLOCK.advance(Duration.ofMinutes(10));
        GatewayHttp.Answer afterExpiry = changeDingTalkId("lisi2026", key);

        assertThat(meanwhile.field("code")).isEqualTo("idempotency.in-flight");
        assertThat(afterExpiry.status()).isEqualTo(200);
        assertThat(afterExpiry.header("Idempotency-Replayed")).isNull();
        dingTalk.verify(exactly(1), postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
    }

    @Test
    void aChangeThatCertainlyFailedGivesItsKeyBackForTheRetry() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"system.busy\",\"message\":\"busy\",\"requestid\":\"r1\"}")));
        assertThat(changeDingTalkId("lisi2026", key).field("code")).isEqualTo("upstream.busy");
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
        dingTalk.resetRequests();

        GatewayHttp.Answer retry = changeDingTalkId("lisi2026", key);

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotency-Replayed")).isNull();
        dingTalk.verify(exactly(1), postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
    }

    @Test
    void anUnknownOutcomeIsReplayedAndTheChangeNeverSentAgain() {
        dingTalk.stubFor(
                post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        GatewayHttp.Answer first = changeDingTalkId("lisi2026", key);
        GatewayHttp.Answer retry = changeDingTalkId("lisi2026", key);

        assertThat(first.status()).isEqualTo(504);
        assertThat(first.field("code")).isEqualTo("upstream.outcome-unknown");
        assertThat(retry.status()).isEqualTo(504);
        assertThat(retry.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(retry.response().body()).isEqualTo(first.response().body());
        dingTalk.verify(exactly(1), postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
        assertThat(rows("SELECT COUNT(*) FROM audit_event WHERE target = :target AND outcome = 'UNKNOWN'"))
                .isEqualTo(1);
    }

    @Test
    void theHourlyPurgeDeletesKeysPastTheirRetentionOnly() {
        assertThat(changeDingTalkId("lisi2026", key).status()).isEqualTo(200);
        CLOCK.advance(Duration.ofHours(25));
        assertThat(changeDingTalkId("lisi2026", key + "-fresh").status()).isEqualTo(200);

        purge.purgeExpired();

        assertThat(jdbc.sql("SELECT COUNT(*) FROM idempotency_key")
                        .query(Long.class)
                        .single())
                .as("every key but the fresh one was used more than 24 h ago")
                .isEqualTo(1);
        assertThat(changeDingTalkId("lisi2026", key + "-fresh").header("Idempotency-Replayed"))
                .isEqualTo("true");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "256", "\"unterminated", "unopened\"", "\"in\"side\"", "twice"})
    void aMalformedKeyIs400AndNothingChanges(String field) {
        String[] keys = switch (field) {
            case "256" -> new String[] {"k".repeat(256)};
            case "twice" -> new String[] {"first", "second"};
            default -> new String[] {field};
        };

        GatewayHttp.Answer answer = changeDingTalkId("lisi2026", keys);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.field("code")).isEqualTo("idempotency.key-invalid");
        assertThat(dingTalkCalls()).isZero();
        assertThat(rows("SELECT COUNT(*) FROM audit_event WHERE target = :target"))
                .isZero();
    }

    // UTF-8 whose bytes read as control characters (most of CJK) is already refused by Spring Security's
    // firewall, as request.invalid; these reach the key's own check.
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"schl\u00fcssel", "\"cl\u00e9\""})
    void aKeyBeyondAsciiIs400AndNothingChanges(String key) {
        String answer = keyed.putWithRawKey(
                "/api/v1/org-accounts/" + userId + "/dingtalk-id",
                "Bearer " + jwts.token("alice", "accounts:write", "manager4220"),
                body("lisi2026"),
                key.getBytes(StandardCharsets.UTF_8));

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"idempotency.key-invalid\"");
        assertThat(dingTalkCalls()).isZero();
        assertThat(rows("SELECT COUNT(*) FROM audit_event WHERE target = :target"))
                .isZero();
    }

    /** The gateway's clock, moved by this class alone. */
    @TestConfiguration(proxyBeanMethods = false)
    static class HandMovedClock {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }
}
