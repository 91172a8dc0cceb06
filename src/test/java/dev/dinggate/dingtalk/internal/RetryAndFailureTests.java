package dev.dinggate.dingtalk.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.dinggate.dingtalk.internal.TransportFixture.CHANGE;
import static dev.dinggate.dingtalk.internal.TransportFixture.CHANGE_PATH;
import static dev.dinggate.dingtalk.internal.TransportFixture.LEGACY_READ;
import static dev.dinggate.dingtalk.internal.TransportFixture.LEGACY_READ_PATH;
import static dev.dinggate.dingtalk.internal.TransportFixture.NEW_STYLE_READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkProperties;
import java.net.URI;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Which failures are retried, how often, and what each becomes; against a WireMock DingTalk. */
class RetryAndFailureTests {

    @RegisterExtension
    static final WireMockExtension wireMock =
            WireMockExtension.newInstance().options(options().dynamicPort()).build();

    private static final int MAX_ATTEMPTS = 4;

    private TransportFixture fixture;

    @BeforeEach
    void freshFixture() {
        fixture = new TransportFixture(wireMock);
        fixture.stubToken("t1");
    }

    static Stream<Arguments> newStyleAnswers() {
        return Stream.of(
                Arguments.of(
                        500,
                        "{\"code\":\"system.busy\",\"message\":\"busy\"}",
                        MAX_ATTEMPTS,
                        DingTalkException.Busy.class),
                Arguments.of(
                        429,
                        "{\"code\":\"systemBusy\",\"message\":\"busy\"}",
                        MAX_ATTEMPTS,
                        DingTalkException.Busy.class),
                Arguments.of(503, "{\"code\":\"ServiceUnavailable\"}", MAX_ATTEMPTS, DingTalkException.Busy.class),
                Arguments.of(
                        403,
                        "{\"code\":\"Forbidden.AccessDenied.QpsLimitForAppkeyAndApi\"}",
                        MAX_ATTEMPTS,
                        DingTalkException.Throttled.class),
                Arguments.of(
                        403,
                        "{\"code\":\"Forbidden.AccessDenied.QpsLimitForApi\"}",
                        MAX_ATTEMPTS,
                        DingTalkException.Throttled.class),
                Arguments.of(
                        403,
                        "{\"code\":\"Forbidden.AccessDenied.QpmLimitForAppkeyAndApi\"}",
                        MAX_ATTEMPTS,
                        DingTalkException.Throttled.class),
                Arguments.of(400, "{\"code\":\"qps.exceed.limit\"}", MAX_ATTEMPTS, DingTalkException.Throttled.class),
                Arguments.of(400, "{\"code\":\"request.too.fast\"}", MAX_ATTEMPTS, DingTalkException.Throttled.class),
                Arguments.of(
                        403,
                        "{\"status\":1111,\"wait\":5,\"source\":\"x5\",\"punish\":\"deny\"}",
                        MAX_ATTEMPTS,
                        DingTalkException.Throttled.class),
                Arguments.of(
                        502,
                        "<html><body>Bad Gateway</body></html>",
                        MAX_ATTEMPTS,
                        DingTalkException.UnexpectedResponse.class),
                Arguments.of(
                        403,
                        "{\"code\":\"Forbidden.AccessDenied.ApiCountLimitForOrg\"}",
                        1,
                        DingTalkException.QuotaExhausted.class),
                Arguments.of(
                        403,
                        "{\"code\":\"Forbidden.AccessDenied.AccessTokenPermissionDenied\"}",
                        1,
                        DingTalkException.PermissionMissing.class),
                Arguments.of(
                        400,
                        "{\"code\":\"incorrect.reserved\",\"message\":\"taken\"}",
                        1,
                        DingTalkException.Rejected.class),
                Arguments.of(
                        400, "{\"code\":\"have.been.set\",\"message\":\"set\"}", 1, DingTalkException.Rejected.class),
                Arguments.of(200, "<html>captcha</html>", 1, DingTalkException.UnexpectedResponse.class),
                Arguments.of(400, "{\"message\":\"no code\"}", 1, DingTalkException.UnexpectedResponse.class));
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2} attempt(s)")
    @MethodSource("newStyleAnswers")
    void newStyleFailuresAreRetriedOnlyWhenTransient(
            int status, String body, int attempts, Class<? extends DingTalkException> kind) {
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));

        DingTalkException failure = catchThrowableOfType(
                DingTalkException.class, () -> fixture.transport().call(CHANGE, JsonNode.class));

        assertThat(failure).isInstanceOf(kind);
        assertThat(failure.isTransient()).isEqualTo(attempts > 1);
        assertThat(wireMock.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_PATH)).build())
                        .getCount())
                .isEqualTo(attempts);
    }

    static Stream<Arguments> oldStyleAnswers() {
        return Stream.of(
                Arguments.of("{\"errcode\":-1,\"errmsg\":\"系统繁忙\"}", MAX_ATTEMPTS, DingTalkException.Busy.class, "-1"),
                Arguments.of(
                        "{\"errcode\":90018,\"errmsg\":\"qps\"}",
                        MAX_ATTEMPTS,
                        DingTalkException.Throttled.class,
                        "90018"),
                Arguments.of(
                        "{\"errcode\":90002,\"errmsg\":\"qps\"}",
                        MAX_ATTEMPTS,
                        DingTalkException.Throttled.class,
                        "90002"),
                Arguments.of(
                        "{\"errcode\":90020,\"errmsg\":\"monthly\"}",
                        1,
                        DingTalkException.QuotaExhausted.class,
                        "90020"),
                Arguments.of(
                        "{\"errcode\":\"60121\",\"errmsg\":\"找不到该用户\"}", 1, DingTalkException.Rejected.class, "60121"),
                Arguments.of(
                        "{\"errcode\":88,\"sub_code\":\"60011\",\"sub_msg\":\"no permission\"}",
                        1,
                        DingTalkException.PermissionMissing.class,
                        "60011"),
                Arguments.of(
                        "{\"errcode\":40096,\"errmsg\":\"bad appkey\"}",
                        1,
                        DingTalkException.CredentialsRejected.class,
                        "40096"));
    }

    @ParameterizedTest(name = "errcode answer {0} -> {1} attempt(s)")
    @MethodSource("oldStyleAnswers")
    void oldStyleFailuresArriveWithHttp200AndAreClassifiedByErrcode(
            String body, int attempts, Class<? extends DingTalkException> kind, String code) {
        wireMock.stubFor(post(urlPathEqualTo(LEGACY_READ_PATH)).willReturn(okJson(body)));

        DingTalkException failure = catchThrowableOfType(
                DingTalkException.class, () -> fixture.transport().call(LEGACY_READ, JsonNode.class));

        assertThat(failure).isInstanceOf(kind);
        assertThat(failure.upstreamCode()).isEqualTo(code);
        assertThat(wireMock.countRequestsMatching(postRequestedFor(urlPathEqualTo(LEGACY_READ_PATH))
                                .build())
                        .getCount())
                .isEqualTo(attempts);
    }

    @Test
    void deadlineEndsRetriesEvenWithAttemptsLeft() {
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"system.busy\"}")));
        // Ten attempts allowed, but the back-offs (200-400 ms, then 400 ms, on the fixture's clock) pass the 500 ms
        // deadline before the third.
        DingTalkTransport transport = fixture.transport(
                URI.create(wireMock.baseUrl()),
                new DingTalkProperties.Retry(
                        10, Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(500)),
                Duration.ofSeconds(3));

        DingTalkException failure =
                catchThrowableOfType(DingTalkException.class, () -> transport.call(CHANGE, JsonNode.class));

        assertThat(failure).isInstanceOf(DingTalkException.Busy.class);
        assertThat(wireMock.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_PATH)).build())
                        .getCount())
                .isEqualTo(2);
    }

    @Test
    void upstreamRequestIdIsKeptFromTheBodyOrTheHeader() {
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-acs-request-id", "HEADER-ID")
                        .withBody("{\"code\":\"emp.not.exist\",\"message\":\"The employee does not exist.\"}")));

        DingTalkException.Rejected rejected = catchThrowableOfType(
                DingTalkException.Rejected.class, () -> fixture.transport().call(CHANGE, JsonNode.class));

        assertThat(rejected.upstreamRequestId()).isEqualTo("HEADER-ID");
        assertThat(rejected.upstreamMessage()).isEqualTo("The employee does not exist.");
        assertThat(rejected.httpStatus()).isEqualTo(400);
    }

    @Test
    void throttlingByIpCarriesDingTalksWait() {
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"status\":1111,\"wait\":7,\"source\":\"x5\",\"punish\":\"deny\"}")));

        DingTalkException.Throttled throttled = catchThrowableOfType(
                DingTalkException.Throttled.class, () -> fixture.transport().call(CHANGE, JsonNode.class));

        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void busyOnceThenSuccessSucceeds() {
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .inScenario("busy")
                .willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(500).withBody("{\"code\":\"system.busy\"}")));
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .inScenario("busy")
                .whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"result\":true}")));

        assertThat(fixture.transport()
                        .call(CHANGE, JsonNode.class)
                        .path("result")
                        .asBoolean())
                .isTrue();
        assertThat(wireMock.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_PATH)).build())
                        .getCount())
                .isEqualTo(2);
    }

    @Test
    void changeIsNeverResentAfterAResponseTimeout() {
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .willReturn(okJson("{\"result\":true}").withFixedDelay(1500)));

        DingTalkException failure = catchThrowableOfType(
                DingTalkException.class,
                () -> fixture.transport(MAX_ATTEMPTS, Duration.ofMillis(300)).call(CHANGE, JsonNode.class));

        assertThat(failure).isInstanceOf(DingTalkException.OutcomeUnknown.class);
        assertThat(wireMock.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_PATH)).build())
                        .getCount())
                .isEqualTo(1);
    }

    @Test
    void readIsRetriedAfterAResponseTimeout() {
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH))
                .willReturn(okJson("{\"result\":true}").withFixedDelay(1500)));

        DingTalkException failure = catchThrowableOfType(
                DingTalkException.class,
                () -> fixture.transport(MAX_ATTEMPTS, Duration.ofMillis(300)).call(NEW_STYLE_READ, JsonNode.class));

        assertThat(failure).isInstanceOf(DingTalkException.Timeout.class);
        assertThat(wireMock.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_PATH)).build())
                        .getCount())
                .isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void changeIsNeverResentAfterTheConnectionDropsMidAnswer() {
        wireMock.stubFor(
                post(urlEqualTo(CHANGE_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        DingTalkException failure = catchThrowableOfType(
                DingTalkException.class, () -> fixture.transport().call(CHANGE, JsonNode.class));

        assertThat(failure).isInstanceOf(DingTalkException.OutcomeUnknown.class);
        assertThat(wireMock.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_PATH)).build())
                        .getCount())
                .isEqualTo(1);
    }

    @Test
    void readIsRetriedAfterTheConnectionDropsMidAnswer() {
        wireMock.stubFor(post(urlEqualTo(CHANGE_PATH)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        DingTalkException failure = catchThrowableOfType(
                DingTalkException.class, () -> fixture.transport().call(NEW_STYLE_READ, JsonNode.class));

        assertThat(failure).isInstanceOf(DingTalkException.Unreachable.class);
        assertThat(wireMock.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_PATH)).build())
                        .getCount())
                .isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void refusedConnectionIsUnreachableAndTransientEvenForAChange() {
        // Port 1 on loopback: privileged, nothing listens there, so the connection is always refused.
        DingTalkTransport transport = fixture.transport(URI.create("http://127.0.0.1:1"), 2, Duration.ofSeconds(1));

        DingTalkException failure =
                catchThrowableOfType(DingTalkException.class, () -> transport.call(CHANGE, JsonNode.class));

        assertThat(failure).isInstanceOf(DingTalkException.Unreachable.class);
        assertThat(failure.isTransient()).isTrue();
    }
}
