package dev.dinggate.dingtalk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.dinggate.dingtalk.DingTalkException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.json.JsonMapper;

/** DingTalk's envelopes read into their records: codes as text, the wrapped 88, the result unwrapped. */
class EnvelopesTests {

    private static final ApiCall LEGACY = new ApiCall(
            "test.legacy", HttpMethod.POST, ApiCall.Host.LEGACY, "/topapi/x", "qyapi_get_member", true, null);
    private static final ApiCall NEW = new ApiCall(
            "test.new", HttpMethod.POST, ApiCall.Host.NEW, "/v1.0/x", "qyapi_manage_addresslist", false, null);

    private final JsonMapper json = JsonMapper.builder().build();
    private final Envelopes envelopes = new Envelopes(json);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Named(String userid) {}

    record Outcome(Boolean result) {}

    @Test
    void errcodeIsReadAsTextWhetherANumberOrAString() {
        LegacyEnvelope<?> number = json.readValue("{\"errcode\":0,\"errmsg\":\"ok\"}", LegacyEnvelope.class);
        LegacyEnvelope<?> text = json.readValue("{\"errcode\":\" 0 \",\"errmsg\":\"ok\"}", LegacyEnvelope.class);
        LegacyEnvelope<?> failure = json.readValue("{\"errcode\":60121}", LegacyEnvelope.class);

        assertThat(number.succeeded()).isTrue();
        assertThat(text.succeeded()).isTrue();
        assertThat(failure.succeeded()).isFalse();
        assertThat(failure.code()).isEqualTo("60121");
        assertThat(failure.message()).isEmpty();
    }

    @Test
    void errcode88NamesTheRealFailureInSubCodeAndSubMsg() {
        LegacyEnvelope<?> wrapped = json.readValue(
                "{\"errcode\":88,\"errmsg\":\"biz error\",\"sub_code\":60011,\"sub_msg\":\"no permission\","
                        + "\"request_id\":\"req-1\"}",
                LegacyEnvelope.class);
        LegacyEnvelope<?> wrappedWithoutSubCode = json.readValue(
                "{\"errcode\":\"88\",\"errmsg\":\"biz error\",\"sub_code\":\" \"}", LegacyEnvelope.class);

        assertThat(wrapped.code()).isEqualTo("60011");
        assertThat(wrapped.message()).isEqualTo("no permission");
        assertThat(wrapped.requestId()).isEqualTo("req-1");
        assertThat(wrappedWithoutSubCode.code()).isEqualTo("88");
        assertThat(wrappedWithoutSubCode.message()).isEqualTo("biz error");
    }

    @Test
    void legacyAnswerGivesItsResultReadAsTheRecordAsked() {
        Named named = envelopes.read(
                LEGACY,
                200,
                HttpHeaders.EMPTY,
                "{\"errcode\":0,\"errmsg\":\"ok\",\"result\":{\"userid\":\"u1\",\"unknown\":[1]},\"request_id\":\"r\"}",
                Named.class);
        Named none = envelopes.read(LEGACY, 200, HttpHeaders.EMPTY, "{\"errcode\":0,\"errmsg\":\"ok\"}", Named.class);

        assertThat(named).isEqualTo(new Named("u1"));
        assertThat(none).isNull();
    }

    @Test
    void legacyFailureIsClassifiedWhateverItsResultHolds() {
        DingTalkException.Rejected rejected = catchThrowableOfType(
                DingTalkException.Rejected.class,
                () -> envelopes.read(
                        LEGACY,
                        200,
                        HttpHeaders.EMPTY,
                        "{\"errcode\":60121,\"errmsg\":\"not found\",\"result\":\"not a user\"}",
                        Named.class));

        assertThat(rejected.upstreamCode()).isEqualTo("60121");
        assertThat(rejected.upstreamMessage()).isEqualTo("not found");
    }

    @Test
    void newStyleAnswerIsTheWholeBody() {
        Outcome outcome = envelopes.read(NEW, 200, HttpHeaders.EMPTY, "{\"result\":true}", Outcome.class);

        assertThat(outcome).isEqualTo(new Outcome(true));
    }

    @Test
    void newStyleErrorTakesItsRequestIdFromTheBodyBeforeTheHeader() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("x-acs-request-id", "HEADER-ID");

        DingTalkException.Rejected fromBody = catchThrowableOfType(
                DingTalkException.Rejected.class,
                () -> envelopes.read(
                        NEW,
                        400,
                        headers,
                        "{\"code\":\"emp.not.exist\",\"message\":\"gone\",\"requestid\":\"BODY-ID\"}",
                        Outcome.class));
        DingTalkException.Rejected fromHeader = catchThrowableOfType(
                DingTalkException.Rejected.class,
                () -> envelopes.read(NEW, 400, headers, "{\"code\":\"emp.not.exist\"}", Outcome.class));

        assertThat(fromBody.upstreamRequestId()).isEqualTo("BODY-ID");
        assertThat(fromBody.upstreamMessage()).isEqualTo("gone");
        assertThat(fromHeader.upstreamRequestId()).isEqualTo("HEADER-ID");
        assertThat(fromHeader.upstreamMessage()).isEmpty();
    }

    @Test
    void ipLimiterAnswerWaitsAtLeastASecond() {
        assertThat(json.readValue("{\"status\":1111,\"wait\":7,\"source\":\"x5\"}", IpLimiterAnswer.class)
                        .retryAfter())
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(json.readValue("{\"punish\":\"deny\",\"wait\":0}", IpLimiterAnswer.class)
                        .retryAfter())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(json.readValue("{\"punish\":\"deny\"}", IpLimiterAnswer.class)
                        .retryAfter())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void answerOfTheWrongShapeIsUnexpectedAndQuotesNothingOfTheBody() {
        DingTalkException.UnexpectedResponse unexpected = catchThrowableOfType(
                DingTalkException.UnexpectedResponse.class,
                () -> envelopes.read(
                        LEGACY,
                        200,
                        HttpHeaders.EMPTY,
                        "{\"errcode\":0,\"result\":{\"userid\":{\"mobile\":\"+86-13800000000\"}}}",
                        Named.class));

        assertThat(unexpected.isTransient()).isFalse();
        assertThat(unexpected.getMessage())
                .contains("not in the expected shape")
                .doesNotContain("138");
    }

    @Test
    void tokenRequestIsWrittenAsDingTalkReadsItAndNeverShowsTheSecret() {
        TokenFetcher.TokenRequest request = new TokenFetcher.TokenRequest("key-1", "secret-1");

        assertThat(json.writeValueAsString(request)).isEqualTo("{\"appKey\":\"key-1\",\"appSecret\":\"secret-1\"}");
        assertThat(request.toString()).contains("key-1").doesNotContain("secret-1");
    }

    @Test
    void tokenAnswerReadsALifetimeSentAsText() {
        TokenFetcher.TokenAnswer answer = json.readValue(
                "{\"accessToken\":\"t\",\"expireIn\":\"7200\",\"extra\":1}", TokenFetcher.TokenAnswer.class);

        assertThat(answer).isEqualTo(new TokenFetcher.TokenAnswer("t", 7200L));
    }
}
