package dev.dinggate.orgaccount;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.HeldAnswers;
import dev.dinggate.support.ProductionGatewayTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The two Enterprise Account operations, end to end: real HTTP in, real JWTs, WireMock as DingTalk. */
@ExtendWith(OutputCaptureExtension.class)
class OrgAccountApiTests extends ProductionGatewayTest {

    private static final String CHANGE_UPSTREAM = "/v1.0/contact/orgAccounts/dingTalkIds/change";
    private static final String VISIBILITY_UPSTREAM = "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg";
    private static final String CHANGE = "/api/v1/org-accounts/user1001/dingtalk-id";
    private static final String VISIBILITY = "/api/v1/org-accounts/visibility";

    private String adminToken() {
        return jwts.token("alice", "accounts:write users:read", "manager4220");
    }

    @Test
    void changeDingTalkIdIsForwardedAndAnswered() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(okJson("{\"result\":true}")));

        GatewayHttp.Answer answer = http.putJson(CHANGE, adminToken(), "{\"dingTalkId\":\"lisi2026\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().toString()).isEqualTo("{\"userId\":\"user1001\",\"dingTalkId\":\"lisi2026\"}");
        dingTalk.verify(postRequestedFor(urlEqualTo(CHANGE_UPSTREAM))
                .withHeader("x-acs-dingtalk-access-token", matching("it-token-.+"))
                .withRequestBody(equalToJson("{\"userId\":\"user1001\",\"dingTalkId\":\"lisi2026\"}")));
    }

    @Test
    void visibilityIsSentWithTheCallersOwnDingTalkUserIdAndMobileByDefault() {
        dingTalk.stubFor(put(urlEqualTo(VISIBILITY_UPSTREAM)).willReturn(okJson("{\"result\":true}")));

        GatewayHttp.Answer answer = http.putJson(VISIBILITY, adminToken(), "{\"corpIds\":[\"ding12345678\"]}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().toString()).isEqualTo("{\"corpIds\":[\"ding12345678\"],\"fields\":[\"mobile\"]}");
        dingTalk.verify(putRequestedFor(urlEqualTo(VISIBILITY_UPSTREAM))
                .withRequestBody(equalToJson(
                        "{\"toCorpIds\":[\"ding12345678\"],\"optUserId\":\"manager4220\",\"fields\":[\"mobile\"]}")));
    }

    @Test
    void visibilityPassesBothFieldsWhenAsked() {
        dingTalk.stubFor(put(urlEqualTo(VISIBILITY_UPSTREAM)).willReturn(okJson("{\"result\":true}")));

        GatewayHttp.Answer answer = http.putJson(
                VISIBILITY, adminToken(), "{\"corpIds\":[\"ding1\",\"ding2\"],\"fields\":[\"status\",\"mobile\"]}");

        assertThat(answer.status()).isEqualTo(200);
        dingTalk.verify(
                putRequestedFor(urlEqualTo(VISIBILITY_UPSTREAM))
                        .withRequestBody(
                                equalToJson(
                                        "{\"toCorpIds\":[\"ding1\",\"ding2\"],\"optUserId\":\"manager4220\",\"fields\":[\"status\",\"mobile\"]}")));
    }

    @Test
    void optUserIdInTheRequestIsRejectedNotForwarded() {
        GatewayHttp.Answer answer = http.putJson(
                VISIBILITY, adminToken(), "{\"corpIds\":[\"ding12345678\"],\"optUserId\":\"someone-else\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field("code")).isEqualTo("request.unknown-field");
        assertThat(answer.field("detail")).contains("optUserId");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void callerWithoutALinkedDingTalkUserIdCannotChangeVisibility() {
        GatewayHttp.Answer answer = http.putJson(
                VISIBILITY, jwts.token("svc-hr", "accounts:write", null), "{\"corpIds\":[\"ding12345678\"]}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.field("code")).isEqualTo("caller.not-linked");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void requestWithoutTokenIsUnauthorizedWithABearerChallenge() {
        GatewayHttp.Answer answer = http.putJson(CHANGE, null, "{\"dingTalkId\":\"lisi2026\"}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.field("code")).isEqualTo("auth.unauthenticated");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void tokenWithoutTheAccountsScopeIsForbidden() {
        GatewayHttp.Answer answer =
                http.putJson(CHANGE, jwts.token("bob", "users:read", "user1002"), "{\"dingTalkId\":\"lisi2026\"}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("WWW-Authenticate")).contains("insufficient_scope");
        assertThat(answer.field("code")).isEqualTo("auth.forbidden");
        assertThat(dingTalkCalls()).isZero();
    }

    static Stream<Arguments> rejectedTokens() {
        return Stream.of(
                Arguments.of(
                        "expired",
                        jwts.builder("alice", "accounts:write", "manager4220")
                                .expiredAgo(java.time.Duration.ofMinutes(5))
                                .sign()),
                Arguments.of(
                        "wrong issuer",
                        jwts.builder("alice", "accounts:write", "manager4220")
                                .issuer("https://evil.example.test")
                                .sign()),
                Arguments.of(
                        "signed by another key",
                        new dev.dinggate.support.TestJwts().token("alice", "accounts:write", "manager4220")),
                Arguments.of("not a JWT", "not-a-jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedTokens")
    void invalidTokensAreUnauthorized(String why, String token) {
        GatewayHttp.Answer answer = http.putJson(CHANGE, token, "{\"dingTalkId\":\"lisi2026\"}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(dingTalkCalls()).isZero();
    }

    static Stream<Arguments> seedErrorCodes() {
        return Stream.of(
                Arguments.of(400, "incorrect.format", 400, "dingtalk-id.invalid"),
                Arguments.of(400, "incorrect.length", 400, "dingtalk-id.invalid"),
                Arguments.of(400, "incorrect.reserved", 409, "dingtalk-id.taken"),
                Arguments.of(400, "have.been.set", 409, "dingtalk-id.already-changed"),
                Arguments.of(400, "emp.not.exist", 404, "account.not-found"),
                Arguments.of(400, "internalenterpriseaccount.limit", 422, "account.not-enterprise-account"),
                Arguments.of(500, "system.busy", 503, "upstream.busy"));
    }

    @ParameterizedTest(name = "DingTalk {1} -> {2} {3}")
    @MethodSource("seedErrorCodes")
    void everySeedErrorCodeOfTheChangeBecomesItsProblem(
            int upstreamStatus, String upstreamCode, int status, String code) {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .willReturn(aResponse()
                        .withStatus(upstreamStatus)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"" + upstreamCode
                                + "\",\"message\":\"seed message\",\"requestid\":\"UP-42\"}")));

        GatewayHttp.Answer answer = http.putJson(CHANGE, adminToken(), "{\"dingTalkId\":\"lisi2026\"}");

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.field("code")).isEqualTo(code);
        assertThat(answer.field("type")).isEqualTo("urn:dinggate:problem:" + code);
        assertThat(answer.field("upstreamCode")).isEqualTo(upstreamCode);
        assertThat(answer.field("upstreamRequestId")).isEqualTo("UP-42");
        assertThat(answer.field("requestId")).isEqualTo(answer.header("X-Request-Id"));
        assertThat(answer.field("title")).doesNotContain("Exception").isNotBlank();
        if (status == 503) {
            assertThat(answer.header("Retry-After")).isNotBlank();
        }
    }

    @Test
    void visibilityRefusedByDingTalkIsABadRequest() {
        dingTalk.stubFor(
                put(urlEqualTo(VISIBILITY_UPSTREAM))
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"code\":\"invalid.param\",\"message\":\"Invalid parameter\",\"requestid\":\"UP-7\"}")));

        GatewayHttp.Answer answer = http.putJson(VISIBILITY, adminToken(), "{\"corpIds\":[\"ding12345678\"]}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field("code")).isEqualTo("visibility.invalid");
        assertThat(answer.field("upstreamCode")).isEqualTo("invalid.param");
    }

    @Test
    void changeWhoseAnswerIsLostIsReportedAsOutcomeUnknownAndSentOnce() {
        // DingTalk keeps the answer past the response timeout: the gateway cannot know whether it was applied.
        heldAnswers.hold();
        dingTalk.stubFor(HeldAnswers.held(post(urlEqualTo(CHANGE_UPSTREAM))).willReturn(okJson("{\"result\":true}")));

        GatewayHttp.Answer answer = http.putJson(CHANGE, adminToken(), "{\"dingTalkId\":\"lisi2026\"}");

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.field("code")).isEqualTo("upstream.outcome-unknown");
        dingTalk.verify(1, postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)));
    }

    @Test
    void rotatedAppSecretIsAnOperatorProblemWithoutTheSecret() {
        // The cached token stops working and the configured secret no longer fetches a new one.
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"InvalidAuthentication\"}")));
        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"invalidClientIdOrSecret\"}")));

        GatewayHttp.Answer answer = http.putJson(CHANGE, adminToken(), "{\"dingTalkId\":\"lisi2026\"}");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.field("code")).isEqualTo("dingtalk.credentials-rejected");
        assertThat(answer.response().body()).doesNotContain(APP_SECRET);
    }

    static Stream<Arguments> badInput() {
        String tooLong = "{\"dingTalkId\":\"" + "a".repeat(20_000) + "\"}";
        return Stream.of(
                Arguments.of(
                        "malformed JSON", CHANGE, "application/json", "{\"dingTalkId\":", 400, "request.malformed"),
                Arguments.of("not JSON", CHANGE, "application/json", "dingTalkId=lisi2026", 400, "request.malformed"),
                Arguments.of(
                        "wrong type",
                        CHANGE,
                        "application/json",
                        "{\"dingTalkId\":[\"lisi2026\"]}",
                        400,
                        "request.malformed"),
                Arguments.of("missing field", CHANGE, "application/json", "{}", 400, "dingtalk-id.invalid"),
                Arguments.of(
                        "null field", CHANGE, "application/json", "{\"dingTalkId\":null}", 400, "dingtalk-id.invalid"),
                Arguments.of(
                        "too short",
                        CHANGE,
                        "application/json",
                        "{\"dingTalkId\":\"ab12\"}",
                        400,
                        "dingtalk-id.invalid"),
                Arguments.of(
                        "too long",
                        CHANGE,
                        "application/json",
                        "{\"dingTalkId\":\"a123456789012345678901\"}",
                        400,
                        "dingtalk-id.invalid"),
                Arguments.of(
                        "starts with a digit",
                        CHANGE,
                        "application/json",
                        "{\"dingTalkId\":\"1lisi2026\"}",
                        400,
                        "dingtalk-id.invalid"),
                Arguments.of(
                        "Cyrillic look-alike",
                        CHANGE,
                        "application/json",
                        "{\"dingTalkId\":\"lisі2026\"}",
                        400,
                        "dingtalk-id.invalid"),
                Arguments.of(
                        "full-width letters",
                        CHANGE,
                        "application/json",
                        "{\"dingTalkId\":\"ｌｉｓｉ2026\"}",
                        400,
                        "dingtalk-id.invalid"),
                Arguments.of(
                        "trailing newline",
                        CHANGE,
                        "application/json",
                        "{\"dingTalkId\":\"lisi2026\\n\"}",
                        400,
                        "dingtalk-id.invalid"),
                Arguments.of(
                        "unknown field",
                        CHANGE,
                        "application/json",
                        "{\"dingTalkId\":\"lisi2026\",\"x\":1}",
                        400,
                        "request.unknown-field"),
                Arguments.of("oversized body", CHANGE, "application/json", tooLong, 413, "request.too-large"),
                Arguments.of(
                        "wrong media type",
                        CHANGE,
                        "text/plain",
                        "{\"dingTalkId\":\"lisi2026\"}",
                        415,
                        "request.unsupported-media-type"),
                Arguments.of(
                        "odd userId",
                        "/api/v1/org-accounts/user%201001/dingtalk-id",
                        "application/json",
                        "{\"dingTalkId\":\"lisi2026\"}",
                        400,
                        "request.invalid"),
                Arguments.of(
                        "no corpIds", VISIBILITY, "application/json", "{\"corpIds\":[]}", 400, "visibility.invalid"),
                Arguments.of(
                        "corpIds not a list",
                        VISIBILITY,
                        "application/json",
                        "{\"corpIds\":\"ding1\"}",
                        400,
                        "request.malformed"),
                Arguments.of(
                        "unknown field name",
                        VISIBILITY,
                        "application/json",
                        "{\"corpIds\":[\"ding1\"],\"fields\":[\"email\"]}",
                        400,
                        "visibility.invalid"),
                Arguments.of(
                        "null corpId",
                        VISIBILITY,
                        "application/json",
                        "{\"corpIds\":[null]}",
                        400,
                        "visibility.invalid"));
    }

    @ParameterizedTest(name = "{0} -> {4} {5}")
    @MethodSource("badInput")
    void badInputIsRefusedWithAProblemAndNothingReachesDingTalk(
            String why, String path, String contentType, String body, int status, String code) {
        GatewayHttp.Answer answer = http.send("PUT", path, adminToken(), contentType, body);

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.field("code")).isEqualTo(code);
        assertThat(answer.response().body()).doesNotContain("at dev.dinggate", "Exception");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void logsNeverShowTheAppSecretOrAnAccessToken(CapturedOutput output) {
        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(okJson("{\"accessToken\":\"it-token-secretive-2\",\"expireIn\":0}")));
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .withHeader("x-acs-dingtalk-access-token", equalTo("it-token-1"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"InvalidAuthentication\"}")));
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM))
                .withHeader("x-acs-dingtalk-access-token", equalTo("it-token-secretive-2"))
                .willReturn(aResponse().withStatus(500).withBody("{\"code\":\"system.busy\"}")));

        GatewayHttp.Answer answer = http.putJson(CHANGE, adminToken(), "{\"dingTalkId\":\"lisi2026\"}");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(output.getAll())
                .contains("upstream.busy")
                .doesNotContain(APP_SECRET, "it-token-secretive-2", "it-token-1");
        assertThat(answer.response().body()).doesNotContain("it-token");
        // Production logs are structured (ECS JSON), one object a line, with the request id.
        String logLine = output.getAll()
                .lines()
                .filter(line -> line.contains("upstream.busy"))
                .findFirst()
                .orElseThrow();
        tools.jackson.databind.JsonNode entry =
                tools.jackson.databind.json.JsonMapper.builder().build().readTree(logLine);
        assertThat(entry.path("log").path("level").asString()).isEqualTo("WARN");
        assertThat(entry.path("requestId").asString()).isEqualTo(answer.header("X-Request-Id"));
    }
}
