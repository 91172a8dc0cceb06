package dev.dinggate.security;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.MutableClock;
import dev.dinggate.support.ProductionGatewayTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** CORS for the configured internal web app, and the per-client request budget. */
@Import(InboundLimitsTests.HandMovedClock.class)
class InboundLimitsTests extends ProductionGatewayTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());

    private static final String WEB_APP = "https://hr.example.internal";

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("gateway.inbound.cors-allowed-origins", () -> WEB_APP);
        registry.add("gateway.inbound.rate-limit.requests-per-second", () -> "1");
        registry.add("gateway.inbound.rate-limit.burst", () -> "3");
        // The frozen clock would leave DingTalk's budget without refills too: out of reach here.
        registry.add("dingtalk.rate-limit.qps", () -> "100000");
    }

    @Test
    void theConfiguredWebAppMayCallFromTheBrowser() {
        GatewayHttp.Answer preflight = http.preflight("/api/v1/users/user1001", WEB_APP, "GET");

        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(WEB_APP);
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
        GatewayHttp.Answer call = http.sendWithOrigin(
                "GET",
                "/api/v1/departments",
                jwts.builder("alice", "users:read", null)
                        .claim("azp", "cors-check")
                        .sign(),
                WEB_APP);
        assertThat(call.header("Access-Control-Allow-Origin")).isEqualTo(WEB_APP);
        assertThat(call.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
    }

    @Test
    void theWebAppMaySendAnIdempotencyKeyAndSeeWhetherTheAnswerWasReplayed() {
        GatewayHttp.Answer preflight = http.preflight(
                "/api/v1/org-accounts/visibility", WEB_APP, "PUT", "authorization, content-type, idempotency-key");
        GatewayHttp.Answer call = http.sendWithOrigin(
                "GET",
                "/api/v1/departments",
                jwts.builder("alice", "users:read", null)
                        .claim("azp", "cors-idempotency")
                        .sign(),
                WEB_APP);

        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("idempotency-key");
        assertThat(call.header("Access-Control-Expose-Headers")).contains("Idempotency-Replayed");
    }

    @Test
    void otherOriginsAreRefused() {
        GatewayHttp.Answer preflight = http.preflight("/api/v1/users/user1001", "https://evil.example", "GET");

        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aClientOverItsBudgetGets429WithRetryAfterWhileOthersCarryOn() {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/get"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid\":\"user1001\",\"name\":\"Li Si\"}}")));
        String noisyJob = jwts.builder("sync-job", "users:read", null)
                .claim("azp", "noisy-hr-job")
                .sign();
        String webApp = jwts.builder("alice", "users:read", null)
                .claim("azp", "intranet")
                .sign();

        // The clock stands still: the burst of three is all the job gets until it moves.
        List<Integer> statuses = new ArrayList<>();
        GatewayHttp.Answer last = null;
        for (int i = 0; i < 5; i++) {
            last = http.send("GET", "/api/v1/users/user1001", noisyJob, null, null);
            statuses.add(last.status());
        }

        assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
        assertThat(last.field("code")).isEqualTo("request.rate-limited");
        assertThat(last.header("Retry-After")).isEqualTo("1");
        assertThat(http.send("GET", "/api/v1/users/user1001", webApp, null, null)
                        .status())
                .isEqualTo(200);

        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(http.send("GET", "/api/v1/users/user1001", noisyJob, null, null)
                        .status())
                .as("one more request a second")
                .isEqualTo(200);
        assertThat(http.send("GET", "/api/v1/users/user1001", noisyJob, null, null)
                        .status())
                .isEqualTo(429);
    }

    /** The gateway's clock, moved by this test alone: budgets refill only when it says so. */
    @TestConfiguration(proxyBeanMethods = false)
    static class HandMovedClock {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }
}
