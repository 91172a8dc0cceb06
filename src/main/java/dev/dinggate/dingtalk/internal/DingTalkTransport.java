package dev.dinggate.dingtalk.internal;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.PacingState;
import dev.dinggate.dingtalk.TokenState;
import org.springframework.retry.support.RetryTemplate;
import tools.jackson.databind.JsonNode;

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

    /** The body of DingTalk's successful answer; otherwise the {@link DingTalkException} that ended the call. */
    public JsonNode call(ApiCall call) {
        return retryTemplate.execute(attempt -> sendWithWorkingToken(call));
    }

    private JsonNode sendWithWorkingToken(ApiCall call) {
        AccessToken token = tokens.current();
        try {
            return exchange.send(call, token);
        } catch (DingTalkException.TokenRejected rejected) {
            // DingTalk did not act on a call it refused for its token, so sending it again is safe.
            tokens.invalidate(token);
            return exchange.send(call, tokens.current());
        }
    }
}
