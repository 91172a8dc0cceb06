package dev.dinggate.dingtalk.internal;

import dev.dinggate.dingtalk.DingTalkException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads DingTalk's answers, whichever envelope they come in, into a JSON body or a
 * {@link DingTalkException}. Defensive by design: an unknown body is a failure, never a crash.
 */
final class Envelopes {

    private final JsonMapper json;

    Envelopes(JsonMapper json) {
        this.json = json;
    }

    /** The body of a successful answer, or the failure it describes thrown. */
    JsonNode read(ApiCall call, int status, HttpHeaders headers, String body) {
        JsonNode node = parseObject(body);
        if (node == null) {
            throw new DingTalkException.UnexpectedResponse(
                    call.name(), status, body.isBlank() ? "empty body" : "not a JSON object");
        }
        if (isIpPunishment(node)) {
            // The per-IP limiter answers {"status":1111,"wait":5,"source":"x5","punish":"deny"}.
            long waitSeconds = Math.max(1, node.path("wait").asLong(1));
            throw new DingTalkException.Throttled(
                    call.name(), status, "x5.deny", null, Duration.ofSeconds(waitSeconds));
        }
        if (node.has("errcode")) {
            return readLegacy(call, status, node);
        }
        if (status >= 200 && status < 300) {
            return node;
        }
        String code = text(node, "code");
        if (code == null) {
            throw new DingTalkException.UnexpectedResponse(call.name(), status, "JSON without an error code");
        }
        String requestId = text(node, "requestid");
        if (requestId == null) {
            requestId = headers.getFirst("x-acs-request-id");
        }
        throw UpstreamCodes.classify(call, status, code, orEmpty(text(node, "message")), requestId);
    }

    /** Old style: HTTP 200 and {@code errcode} (a number, or in some examples a string), 0 meaning success. */
    private JsonNode readLegacy(ApiCall call, int status, JsonNode node) {
        String errcode = orEmpty(text(node, "errcode")).trim();
        if (errcode.equals("0")) {
            return node;
        }
        // topapi wraps many failures as errcode 88 and puts the real code in sub_code.
        String subCode = text(node, "sub_code");
        String code = errcode.equals("88") && subCode != null && !subCode.isBlank() ? subCode : errcode;
        String message =
                errcode.equals("88") && text(node, "sub_msg") != null ? text(node, "sub_msg") : text(node, "errmsg");
        throw UpstreamCodes.classify(call, status, code, orEmpty(message), text(node, "request_id"));
    }

    private @Nullable JsonNode parseObject(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static boolean isIpPunishment(JsonNode node) {
        return node.has("punish") || "x5".equals(text(node, "source"));
    }

    static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
