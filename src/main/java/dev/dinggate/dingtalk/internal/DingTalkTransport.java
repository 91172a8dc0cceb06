package dev.dinggate.dingtalk.internal;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.PacingState;
import dev.dinggate.dingtalk.TokenState;
import org.jspecify.annotations.Nullable;
import org.springframework.retry.support.RetryTemplate;

/**
 * Calls a DingTalk API with the cached access token, retrying transient failures and replacing a
 * token DingTalk stopped accepting once.
 */
public final class DingTalkTransport {

    private final UpstreamExchange exchange;
    private final AccessTokenCache tokens;
    private final RetryTemplate retryTemplate;
    private final OutboundPacer pacer;

    DingTalkTransport(
            UpstreamExchange exchange, AccessTokenCache tokens, RetryTemplate retryTemplate, OutboundPacer pacer) {
        this.exchange = exchange;
        this.tokens = tokens;
        this.retryTemplate = retryTemplate;
        this.pacer = pacer;
    }

    public TokenState tokenState() {
        return tokens.state();
    }

    /** Fetches a fresh token now; the current one stays in use until it arrives. */
    public TokenState refreshToken() {
        return tokens.refreshNow();
    }

    public PacingState pacingState() {
        return pacer.state();
    }

    /**
     * DingTalk's successful answer read as {@code answer}: for the {@code oapi.} host the envelope's
     * {@code result} (null when the answer carries none), for the {@code api.} host the whole body. Otherwise
     * the {@link DingTalkException} that ended the call.
     */
    public <T> @Nullable T call(ApiCall call, Class<T> answer) {
        return retryTemplate.execute(attempt -> sendWithWorkingToken(call, answer));
    }

    private <T> @Nullable T sendWithWorkingToken(ApiCall call, Class<T> answer) {
        AccessToken token = tokens.current();
        try {
            return exchange.send(call, token, answer);
        } catch (DingTalkException.TokenRejected rejected) {
            // DingTalk did not act on a call it refused for its token, so sending it again is safe.
            tokens.invalidate(token);
            return exchange.send(call, tokens.current(), answer);
        }
    }
}
