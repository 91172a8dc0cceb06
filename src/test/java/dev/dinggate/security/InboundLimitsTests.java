package dev.dinggate.security;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;

/** CORS for the configured internal web app, and the per-client request budget. */
class InboundLimitsTests extends ProductionGatewayTest {

    private static final String WEB_APP = "https://hr.example.internal";

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("gateway.inbound.cors-allowed-origins", () -> WEB_APP);
        registry.add("gateway.inbound.rate-limit.requests-per-second", () -> "1");
        registry.add("gateway.inbound.rate-limit.burst", () -> "3");
    }

    @Test
    void theConfiguredWebAppMayCallFromTheBrowser() {
        GatewayHttp.Answer preflight = http.preflight("/api/v1/users/user1001", WEB_APP, "GET");

        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(WEB_APP);
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
        GatewayHttp.Answer call = http.sendWithOrigin("GET", "/api/v1/departments",
                jwts.builder("alice", "users:read", null).claim("azp", "cors-check").sign(), WEB_APP);
        assertThat(call.header("Access-Control-Allow-Origin")).isEqualTo(WEB_APP);
        assertThat(call.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
    }

    @Test
    void otherOriginsAreRefused() {
        GatewayHttp.Answer preflight = http.preflight("/api/v1/users/user1001", "https://evil.example", "GET");

        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aClientOverItsBudgetGets429WithRetryAfterWhileOthersCarryOn() {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/get")).willReturn(okJson(
                "{\"errcode\":0,\"result\":{\"userid\":\"user1001\",\"name\":\"Li Si\"}}")));
        String noisyJob = jwts.builder("sync-job", "users:read", null).claim("azp", "noisy-hr-job").sign();
        String webApp = jwts.builder("alice", "users:read", null).claim("azp", "intranet").sign();

        int refused = 0;
        GatewayHttp.Answer last = null;
        for (int i = 0; i < 6; i++) {
            last = http.send("GET", "/api/v1/users/user1001", noisyJob, null, null);
            refused += last.status() == 429 ? 1 : 0;
        }

        assertThat(refused).isPositive();
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.field("code")).isEqualTo("request.rate-limited");
        assertThat(Integer.parseInt(last.header("Retry-After"))).isBetween(1, 2);
        assertThat(http.send("GET", "/api/v1/users/user1001", webApp, null, null).status()).isEqualTo(200);
    }
}
