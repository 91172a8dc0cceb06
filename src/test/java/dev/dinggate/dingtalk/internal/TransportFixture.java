package dev.dinggate.dingtalk.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.dinggate.budget.Budgets;
import dev.dinggate.dingtalk.DingTalkProperties;
import dev.dinggate.dingtalk.internal.DingTalkClientConfiguration.Timing;
import dev.dinggate.support.MutableClock;
import io.github.bucket4j.BlockingStrategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/** Builds a transport against a WireMock server with short back-offs, and the calls the tests send. */
final class TransportFixture {

    static final String TOKEN_PATH = "/v1.0/oauth2/accessToken";
    static final String CHANGE_PATH = "/v1.0/contact/orgAccounts/dingTalkIds/change";
    static final String LEGACY_READ_PATH = "/topapi/v2/user/get";
    static final RequestPatternBuilder TOKEN_REQUESTS = postRequestedFor(urlEqualTo(TOKEN_PATH));

    static final ApiCall CHANGE = new ApiCall(
            "test.change",
            HttpMethod.POST,
            ApiCall.Host.NEW,
            CHANGE_PATH,
            "qyapi_manage_addresslist",
            false,
            Map.of("userId", "user1", "dingTalkId", "abc123"));
    static final ApiCall NEW_STYLE_READ = new ApiCall(
            "test.read",
            HttpMethod.POST,
            ApiCall.Host.NEW,
            CHANGE_PATH,
            "qyapi_get_member",
            true,
            Map.of("userId", "user1"));
    static final ApiCall LEGACY_READ = new ApiCall(
            "test.legacyRead",
            HttpMethod.POST,
            ApiCall.Host.LEGACY,
            LEGACY_READ_PATH,
            "qyapi_get_member",
            true,
            Map.of("userid", "user1"));

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WireMockExtension wireMock;

    TransportFixture(WireMockExtension wireMock) {
        this.wireMock = wireMock;
    }

    DingTalkTransport transport() {
        return transport(4, Duration.ofSeconds(3));
    }

    DingTalkTransport transport(int maxAttempts, Duration responseTimeout) {
        return transport(URI.create(wireMock.baseUrl()), maxAttempts, responseTimeout);
    }

    DingTalkTransport transport(URI baseUrl, int maxAttempts, Duration responseTimeout) {
        return transport(
                baseUrl,
                new DingTalkProperties.Retry(
                        maxAttempts, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(20)),
                responseTimeout);
    }

    DingTalkTransport transport(URI baseUrl, DingTalkProperties.Retry retry, Duration responseTimeout) {
        return transport(
                baseUrl,
                retry,
                new DingTalkProperties.Timeout(Duration.ofMillis(500), responseTimeout),
                new DingTalkProperties.RateLimit(1000, Map.of(), Duration.ofSeconds(5), 5));
    }

    /** No retries, DingTalk's pacing out of reach: every caller goes for a connection at once. */
    DingTalkTransport unpacedTransport(Duration connectTimeout) {
        return transport(
                URI.create(wireMock.baseUrl()),
                new DingTalkProperties.Retry(1, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(20)),
                new DingTalkProperties.Timeout(connectTimeout, Duration.ofSeconds(10)),
                new DingTalkProperties.RateLimit(1_000_000, Map.of(), Duration.ofSeconds(5), 5));
    }

    private DingTalkTransport transport(
            URI baseUrl,
            DingTalkProperties.Retry retry,
            DingTalkProperties.Timeout timeout,
            DingTalkProperties.RateLimit rateLimit) {
        DingTalkProperties properties = new DingTalkProperties(
                baseUrl,
                baseUrl,
                "test-app-key",
                "test-app-secret-0123456789abcdef",
                new DingTalkProperties.Token(Duration.ofMinutes(10)),
                retry,
                timeout,
                rateLimit);
        // Token lifetimes and the retry deadline run on the fixture's clock, and back-offs move it instead of
        // waiting; pacing (out of reach at these rates) keeps real time, which OutboundPacerTests takes in hand.
        Timing timing = new Timing(
                clock, backOffMillis -> clock.advance(Duration.ofMillis(backOffMillis)), BlockingStrategy.PARKING);
        return DingTalkClientConfiguration.create(
                properties,
                WebClient.builder(),
                JsonMapper.builder().build(),
                Budgets.inMemory(Clock.systemUTC()),
                timing,
                meters);
    }

    /** DingTalk hands out {@code token} valid for two hours. */
    void stubToken(String token) {
        wireMock.stubFor(post(urlEqualTo(TOKEN_PATH))
                .willReturn(okJson("{\"accessToken\":\"" + token + "\",\"expireIn\":7200}")));
    }

    void stubTokenAnswer(String json) {
        wireMock.stubFor(post(urlEqualTo(TOKEN_PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(json)));
    }

    int tokenFetches() {
        return wireMock.countRequestsMatching(TOKEN_REQUESTS.build()).getCount();
    }
}
