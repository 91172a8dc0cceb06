package dev.dinggate.dingtalk.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.dinggate.dingtalk.DingTalkException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;

/** Asks DingTalk for the internal app's access token ({@code POST /v1.0/oauth2/accessToken}). */
final class TokenFetcher {

    private static final Logger log = LoggerFactory.getLogger(TokenFetcher.class);

    /** DingTalk's documented lifetime, assumed when an answer gives none. */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(7200);

    private final UpstreamExchange exchange;
    private final ApiCall tokenCall;
    private final Clock clock;

    TokenFetcher(UpstreamExchange exchange, String appKey, String appSecret, Clock clock) {
        this.exchange = exchange;
        this.tokenCall = new ApiCall(
                "oauth2.accessToken",
                HttpMethod.POST,
                ApiCall.Host.NEW,
                "/v1.0/oauth2/accessToken",
                "(none: app credentials)",
                true,
                new TokenRequest(appKey, appSecret));
        this.clock = clock;
    }

    AccessToken fetch() {
        TokenAnswer answer = exchange.send(tokenCall, null, TokenAnswer.class);
        String value = answer == null ? null : answer.accessToken();
        if (value == null || value.isBlank()) {
            throw new DingTalkException.UnexpectedResponse(tokenCall.name(), 200, "no accessToken in the answer");
        }
        long expireIn = answer.expireIn() == null ? 0 : answer.expireIn();
        Duration lifetime = Duration.ofSeconds(expireIn);
        if (expireIn <= 0) {
            // Taking 0 at its word would make every call fetch a new token, and DingTalk throttles that.
            log.warn(
                    "DingTalk sent an access token with expireIn={}; assuming {}s",
                    answer.expireIn(),
                    DEFAULT_LIFETIME.toSeconds());
            lifetime = DEFAULT_LIFETIME;
        }
        Instant now = clock.instant();
        return new AccessToken(value, now, now.plus(lifetime));
    }

    /** The app's credentials, as {@code oauth2/accessToken} takes them. */
    record TokenRequest(String appKey, String appSecret) {

        @Override
        public String toString() {
            // The secret must never reach a log line.
            return "TokenRequest[appKey=" + appKey + "]";
        }
    }

    /** @param expireIn seconds the token stays valid */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokenAnswer(
            @Nullable String accessToken, @Nullable Long expireIn) {}
}
