package dev.dinggate.dingtalk.internal;

import dev.dinggate.dingtalk.DingTalkException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads DingTalk's answers, whichever envelope they come in, into the record the caller expects or a
 * {@link DingTalkException}. Defensive by design: an unknown body is a failure, never a crash.
 */
final class Envelopes {

    private final JsonMapper json;

    Envelopes(JsonMapper json) {
        this.json = json;
    }

    /**
     * The answer read as {@code answer}, or the failure it describes thrown. For the {@code oapi.} host that
     * is the envelope's {@code result} (null when the answer has none), for the {@code api.} host the body.
     */
    <T> @Nullable T read(ApiCall call, int status, HttpHeaders headers, String body, Class<T> answer) {
        // DingTalk's envelopes carry no type field: which one arrived is told by the fields present, so the
        // body is parsed once as a tree to look, then read as that envelope's record.
        JsonNode tree = parseObject(body);
        if (tree == null) {
            throw new DingTalkException.UnexpectedResponse(
                    call.name(), status, body.isBlank() ? "empty body" : "not a JSON object");
        }
        if (tree.has("punish") || "x5".equals(tree.path("source").stringValue(null))) {
            IpLimiterAnswer limited = as(call, status, tree, json.constructType(IpLimiterAnswer.class));
            throw new DingTalkException.Throttled(call.name(), status, "x5.deny", null, limited.retryAfter());
        }
        if (tree.has("errcode")) {
            // Read without its result first: a failure's result, whatever it holds, says nothing.
            LegacyEnvelope<Void> envelope = as(call, status, tree, legacyEnvelopeOf(Void.class));
            if (!envelope.succeeded()) {
                throw UpstreamCodes.classify(call, status, envelope.code(), envelope.message(), envelope.requestId());
            }
        } else if (status < 200 || status >= 300) {
            throw failureOf(call, status, headers, as(call, status, tree, json.constructType(ApiError.class)));
        }
        if (call.host() == ApiCall.Host.LEGACY) {
            LegacyEnvelope<T> envelope = as(call, status, tree, legacyEnvelopeOf(answer));
            return envelope.result();
        }
        return as(call, status, tree, json.constructType(answer));
    }

    private static DingTalkException failureOf(ApiCall call, int status, HttpHeaders headers, ApiError error) {
        if (error.code() == null) {
            return new DingTalkException.UnexpectedResponse(call.name(), status, "JSON without an error code");
        }
        String requestId = error.requestid() != null ? error.requestid() : headers.getFirst("x-acs-request-id");
        String message = error.message() == null ? "" : error.message();
        return UpstreamCodes.classify(call, status, error.code(), message, requestId);
    }

    private JavaType legacyEnvelopeOf(Class<?> result) {
        return json.getTypeFactory().constructParametricType(LegacyEnvelope.class, result);
    }

    /** The tree read as {@code type}; a field of the wrong kind (an object where text belongs) is DingTalk's. */
    private <T> T as(ApiCall call, int status, JsonNode tree, JavaType type) {
        try {
            return json.treeToValue(tree, type);
        } catch (JacksonException unexpectedShape) {
            // The parser's message quotes the body, which may hold personal data: say only what was wrong.
            throw new DingTalkException.UnexpectedResponse(call.name(), status, "answer not in the expected shape");
        }
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
}
