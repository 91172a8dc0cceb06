package dev.dinggate.support;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.dinggate.dingtalk.internal.DingTalkTransport;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The gateway as production runs it (JWT, real HTTP on a random port) with WireMock standing in
 * for both DingTalk and the identity provider's JWK set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("production")
// The audit store is PostgreSQL, as in production, in a schema of this class's own (NeedsPostgres); the
// context is closed after the class, which drops the schema, so nothing one class wrote is seen by another.
@NeedsPostgres
@DirtiesContext
// A subclass that needs another DingTalk address or route to the database registers dingtalk.base-url or
// spring.datasource.url with @DynamicPropertySource, which takes precedence over these (a base class's
// own @DynamicPropertySource would not: its values are applied after the subclass's).
// The request budget per client is generous here (all test tokens share a client id); InboundLimitsTests
// checks the limit itself with a small one.
// The response timeout is generous for a WireMock answer on a busy machine; tests of timeouts hold the
// answer (HeldAnswers) rather than bet on a delay.
// The reconciler's own passes would read DingTalk in the middle of tests that count DingTalk's requests;
// the reconciliation tests run each pass themselves. For the same reason the directory mirror (its full sync,
// the event stream) is off here; the directory tests switch it on.
@TestPropertySource(
        properties = {
            "dingtalk.base-url=${test.dingtalk.url}",
            "dingtalk.legacy-base-url=${test.dingtalk.url}",
            "dingtalk.app-key=it-app-key",
            "dingtalk.app-secret=" + ProductionGatewayTest.APP_SECRET,
            "dingtalk.retry.initial-backoff=1ms",
            "dingtalk.retry.max-backoff=5ms",
            "dingtalk.timeout.response=3s",
            "gateway.inbound.rate-limit.requests-per-second=100000",
            "gateway.inbound.rate-limit.burst=100000",
            "gateway.reconciliation.interval=1h",
            "gateway.directory.enabled=false",
            "dingtalk.stream.enabled=false"
        })
public abstract class ProductionGatewayTest {

    protected static final String APP_SECRET = "it-app-secret-7f3a9c1e5b2d4f60";
    /** Answers of stubs made with {@code HeldAnswers.held(...)} wait while held; released before each test. */
    protected static final HeldAnswers heldAnswers = new HeldAnswers();

    protected static final WireMockServer dingTalk =
            new WireMockServer(options().dynamicPort().extensions(heldAnswers));
    protected static final TestJwts jwts = new TestJwts();

    static {
        dingTalk.start();
    }

    @LocalServerPort
    protected int port;

    @Autowired
    private DingTalkTransport transport;

    protected GatewayHttp http;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("test.dingtalk.url", dingTalk::baseUrl);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> dingTalk.baseUrl() + "/idp/jwks");
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestJwts.ISSUER);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> TestJwts.AUDIENCE);
    }

    @BeforeEach
    void resetUpstream() {
        heldAnswers.release();
        dingTalk.resetAll();
        dingTalk.stubFor(get(urlEqualTo("/idp/jwks")).willReturn(okJson(jwts.jwkSetJson())));
        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(okJson("{\"accessToken\":\"it-token-1\",\"expireIn\":7200}")));
        // Every test starts with the gateway holding it-token-1, whatever an earlier test left in its cache.
        transport.refreshToken();
        dingTalk.resetRequests();
        http = new GatewayHttp(port);
    }

    /** How many requests reached DingTalk's API paths (the JWK set is not DingTalk). */
    protected static int dingTalkCalls() {
        return dingTalk.countRequestsMatching(WireMock.anyRequestedFor(urlPathMatching("/(v1\\.0|topapi|gettoken).*"))
                        .build())
                .getCount();
    }
}
