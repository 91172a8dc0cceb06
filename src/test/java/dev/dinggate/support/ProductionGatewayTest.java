package dev.dinggate.support;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

/**
 * The gateway as production runs it (JWT, real HTTP on a random port) with WireMock standing in
 * for both DingTalk and the identity provider's JWK set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("production")
// A subclass that needs its own audit database or DingTalk address registers spring.datasource.url or
// dingtalk.base-url with @DynamicPropertySource, which takes precedence over these (a base class's
// own @DynamicPropertySource would not: its values are applied after the subclass's).
// The request budget per client is generous here (all test tokens share a client id); InboundLimitsTests
// checks the limit itself with a small one.
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:production-test;DB_CLOSE_DELAY=-1",
        "dingtalk.base-url=${test.dingtalk.url}", "dingtalk.legacy-base-url=${test.dingtalk.url}",
        "gateway.inbound.rate-limit.requests-per-second=100000", "gateway.inbound.rate-limit.burst=100000"})
public abstract class ProductionGatewayTest {

    protected static final String APP_SECRET = "it-app-secret-7f3a9c1e5b2d4f60";
    protected static final WireMockServer dingTalk = new WireMockServer(options().dynamicPort());
    protected static final TestJwts jwts = new TestJwts();

    static {
        dingTalk.start();
    }

    @LocalServerPort
    protected int port;

    protected GatewayHttp http;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("test.dingtalk.url", dingTalk::baseUrl);
        registry.add("dingtalk.app-key", () -> "it-app-key");
        registry.add("dingtalk.app-secret", () -> APP_SECRET);
        registry.add("dingtalk.retry.initial-backoff", () -> "1ms");
        registry.add("dingtalk.retry.max-backoff", () -> "5ms");
        registry.add("dingtalk.timeout.response", () -> "1s");
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> dingTalk.baseUrl() + "/idp/jwks");
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestJwts.ISSUER);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> TestJwts.AUDIENCE);
    }

    @BeforeEach
    void resetUpstream() {
        dingTalk.resetAll();
        dingTalk.stubFor(get(urlEqualTo("/idp/jwks")).willReturn(okJson(jwts.jwkSetJson())));
        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(okJson("{\"accessToken\":\"it-token-1\",\"expireIn\":7200}")));
        http = new GatewayHttp(port);
    }

    /** How many requests reached DingTalk's API paths (the JWK set is not DingTalk). */
    protected static int dingTalkCalls() {
        return dingTalk.countRequestsMatching(WireMock.anyRequestedFor(urlPathMatching("/(v1\\.0|topapi|gettoken).*"))
                .build()).getCount();
    }
}
