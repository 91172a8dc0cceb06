package dev.dinggate.idempotency;

import dev.dinggate.problem.GatewayProblem;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which answers a key keeps. Every 2xx and 4xx answer is final. A 5xx answer is final only when the
 * change may have reached DingTalk (the problems the audit records as UNKNOWN): it is replayed like a
 * success, so that one key never sends a change twice. Every other 5xx means the change was not applied,
 * and the key is given back for the retry, as the draft allows for a request that failed.
 */
final class FinalAnswers {

    private final JsonMapper json;

    FinalAnswers(JsonMapper json) {
        this.json = json;
    }

    boolean isFinal(StoredAnswer answer) {
        if (answer.status() < 500) {
            return true;
        }
        // An answer the gateway cannot read as one of its problems may hide anything: kept, to be safe.
        String code = problemCode(answer.body());
        return code == null
                || GatewayProblem.byCode(code)
                        .map(problem -> problem.outcome() == GatewayProblem.Outcome.MAY_HAVE_APPLIED)
                        .orElse(false);
    }

    private @Nullable String problemCode(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode code = json.readTree(body).path("code");
            return code.isString() ? code.asString() : null;
        } catch (JacksonException notAProblem) {
            return null;
        }
    }
}
