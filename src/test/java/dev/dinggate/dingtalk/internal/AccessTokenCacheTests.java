package dev.dinggate.dingtalk.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.dinggate.dingtalk.internal.TransportFixture.CHANGE;
import static dev.dinggate.dingtalk.internal.TransportFixture.CHANGE_PATH;
import static dev.dinggate.dingtalk.internal.TransportFixture.LEGACY_READ;
import static dev.dinggate.dingtalk.internal.TransportFixture.LEGACY_READ_PATH;
import static dev.dinggate.dingtalk.internal.TransportFixture.TOKEN_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.support.HeldAnswers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The access token cache against a WireMock DingTalk: single flight, refresh ahead, safe invalidation. */
class AccessTokenCacheTests {

    private static final HeldAnswers held = new HeldAnswers();

    @RegisterExtension
    static final WireMockExtension wireMock = WireMockExtension.newInstance()
            .options(options().dynamicPort().extensions(held))
            .build();

    private static final String OK = "{\"result\":true}";

    private TransportFixture fixture;

    @BeforeEach
    void freshFixture() {
        held.release();
        fixture = new TransportFixture(wireMock);
    }

    @Test
    void concurrentCallsOnColdCacheFetchExactlyOneToken() throws Exception {
        // A slow token answer widens the window in which every caller finds the cache empty.
        wireMock.stubFor(post(urlEqualTo(TOKEN_PATH))
                .willReturn(okJson("{\"accessToken\":\"t1\",\"expireIn\":7200}").withFixedDelay(300)));
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH)).willReturn(okJson(OK)));
        DingTalkTransport transport = fixture.transport();

        List<Object> results = runConcurrently(64, () -> transport.call(CHANGE, JsonNode.class));

        assertThat(results)
                .hasSize(64)
                .allSatisfy(result -> assertThat(result.toString()).contains("true"));
        assertThat(fixture.tokenFetches()).isEqualTo(1);
        assertThat(wireMock.countRequestsMatching(postRequestedFor(urlEqualTo(CHANGE_PATH))
                                .withHeader(UpstreamExchange.TOKEN_HEADER, equalTo("t1"))
                                .build())
                        .getCount())
                .isEqualTo(64);
    }

    @Test
    void tokenNearExpiryIsRefreshedInTheBackgroundWhileCallersKeepTheCurrentOne() throws Exception {
        wireMock.stubFor(post(urlEqualTo(TOKEN_PATH))
                .inScenario("tokens")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("second")
                .willReturn(okJson("{\"accessToken\":\"t1\",\"expireIn\":7200}")));
        // The refresh is held until the callers are done: any caller that waited for it would use t2.
        wireMock.stubFor(HeldAnswers.held(
                        post(urlEqualTo(TOKEN_PATH)).inScenario("tokens").whenScenarioStateIs("second"))
                .willReturn(okJson("{\"accessToken\":\"t2\",\"expireIn\":7200}")));
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH)).willReturn(okJson(OK)));
        DingTalkTransport transport = fixture.transport();
        transport.call(CHANGE, JsonNode.class);
        held.hold();

        fixture.clock.advance(Duration.ofSeconds(7200 - 600 + 1));
        runConcurrently(16, () -> transport.call(CHANGE, JsonNode.class));

        assertThat(wireMock.countRequestsMatching(postRequestedFor(urlEqualTo(CHANGE_PATH))
                                .withHeader(UpstreamExchange.TOKEN_HEADER, equalTo("t1"))
                                .build())
                        .getCount())
                .isEqualTo(17);
        assertThat(fixture.tokenFetches())
                .as("the refresh was asked for while the callers went on")
                .isEqualTo(2);
        held.release();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            transport.call(CHANGE, JsonNode.class);
            assertThat(wireMock.countRequestsMatching(postRequestedFor(urlEqualTo(CHANGE_PATH))
                                    .withHeader(UpstreamExchange.TOKEN_HEADER, equalTo("t2"))
                                    .build())
                            .getCount())
                    .isPositive();
        });
        assertThat(fixture.tokenFetches())
                .as("one refresh however many callers saw the token near expiry")
                .isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"accessToken\":\"t1\",\"expireIn\":0}", "{\"accessToken\":\"t1\"}"})
    void tokenWithoutLifetimeIsTreatedAsTwoHours(String answer) {
        fixture.stubTokenAnswer(answer);
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH)).willReturn(okJson(OK)));
        DingTalkTransport transport = fixture.transport();

        transport.call(CHANGE, JsonNode.class);
        fixture.clock.advance(Duration.ofMinutes(60));
        transport.call(CHANGE, JsonNode.class);
        transport.call(CHANGE, JsonNode.class);

        assertThat(fixture.tokenFetches()).isEqualTo(1);
    }

    @Test
    void rejectedTokenIsReplacedOnceAndEveryCallerRetriesWithTheFreshOne() throws Exception {
        stubTokensInTurn("t1", "t2", "t3");
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .withHeader(UpstreamExchange.TOKEN_HEADER, equalTo("t1"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"InvalidAuthentication\",\"message\":\"不合法的access_token\"}")
                        .withFixedDelay(100)));
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .withHeader(UpstreamExchange.TOKEN_HEADER, equalTo("t2"))
                .willReturn(okJson(OK)));
        DingTalkTransport transport = fixture.transport();

        List<Object> results = runConcurrently(20, () -> transport.call(CHANGE, JsonNode.class));

        assertThat(results).hasSize(20);
        assertThat(fixture.tokenFetches())
                .as("a herd of failures with t1 must not fetch t3")
                .isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"errcode\":40014,\"errmsg\":\"invalid access_token\"}",
                "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}",
                "{\"errcode\":40001,\"errmsg\":\"invalid credential\"}",
                "{\"errcode\":\"40014\",\"errmsg\":\"invalid access_token\"}",
                "{\"errcode\":88,\"errmsg\":\"ding talk error\",\"sub_code\":\"40014\",\"sub_msg\":\"invalid token\"}"
            })
    void legacyTokenErrorsAlsoReplaceTheTokenOnce(String rejection) {
        stubTokensInTurn("t1", "t2", "t3");
        wireMock.stubFor(post(urlPathEqualTo(LEGACY_READ_PATH))
                .withQueryParam("access_token", equalTo("t1"))
                .willReturn(okJson(rejection)));
        wireMock.stubFor(post(urlPathEqualTo(LEGACY_READ_PATH))
                .withQueryParam("access_token", equalTo("t2"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"result\":{\"userid\":\"user1\"}}")));
        DingTalkTransport transport = fixture.transport();

        assertThat(transport.call(LEGACY_READ, JsonNode.class).path("userid").asString())
                .isEqualTo("user1");
        assertThat(fixture.tokenFetches()).isEqualTo(2);
    }

    @Test
    void tokenRejectedAgainAfterAFreshFetchEndsTheCall() {
        stubTokensInTurn("t1", "t2", "t3");
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"InvalidAuthentication\"}")));
        DingTalkTransport transport = fixture.transport();

        assertThatThrownBy(() -> transport.call(CHANGE, JsonNode.class))
                .isInstanceOf(DingTalkException.TokenRejected.class);
        assertThat(fixture.tokenFetches()).isEqualTo(2);
        assertThat(wireMock.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_PATH)).build())
                        .getCount())
                .isEqualTo(2);
    }

    @Test
    void badAppCredentialsAreReportedAndNotRetried() {
        wireMock.stubFor(post(urlEqualTo(TOKEN_PATH))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"invalidClientIdOrSecret\",\"message\":\"无效的clientId或者clientSecret\"}")));
        DingTalkTransport transport = fixture.transport();

        assertThatThrownBy(() -> transport.call(CHANGE, JsonNode.class))
                .isInstanceOf(DingTalkException.CredentialsRejected.class)
                .hasMessageNotContaining("test-app-secret");
        assertThat(fixture.tokenFetches()).isEqualTo(1);
    }

    @Test
    void oldStyleCallsCarryTheTokenInTheQueryAndNewStyleCallsInTheHeader() {
        fixture.stubToken("t1");
        wireMock.stubFor(post(urlPathEqualTo(LEGACY_READ_PATH)).willReturn(okJson("{\"errcode\":0,\"result\":{}}")));
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH)).willReturn(okJson(OK)));
        DingTalkTransport transport = fixture.transport();

        transport.call(LEGACY_READ, JsonNode.class);
        transport.call(CHANGE, JsonNode.class);

        wireMock.verify(postRequestedFor(urlPathEqualTo(LEGACY_READ_PATH))
                .withQueryParam("access_token", equalTo("t1"))
                .withoutHeader(UpstreamExchange.TOKEN_HEADER));
        wireMock.verify(
                postRequestedFor(urlEqualTo(CHANGE_PATH)).withHeader(UpstreamExchange.TOKEN_HEADER, equalTo("t1")));
        wireMock.verify(postRequestedFor(urlEqualTo(TOKEN_PATH))
                .withRequestBody(equalTo(
                                "{\"appKey\":\"test-app-key\",\"appSecret\":\"test-app-secret-0123456789abcdef\"}")
                        .or(equalTo(
                                "{\"appSecret\":\"test-app-secret-0123456789abcdef\",\"appKey\":\"test-app-key\"}"))));
    }

    private void stubTokensInTurn(String... tokens) {
        for (int i = 0; i < tokens.length; i++) {
            String state = i == 0 ? STARTED : "token-" + i;
            wireMock.stubFor(post(urlEqualTo(TOKEN_PATH))
                    .inScenario("tokens")
                    .whenScenarioStateIs(state)
                    .willSetStateTo("token-" + (i + 1))
                    .willReturn(okJson("{\"accessToken\":\"" + tokens[i] + "\",\"expireIn\":7200}")));
        }
    }

    private static List<Object> runConcurrently(int callers, java.util.concurrent.Callable<Object> call)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
