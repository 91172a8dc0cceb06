package dev.dinggate.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON frames of DingTalk's stream protocol (UPSTREAM.md, "Stream mode"): what the simulator sends, and the
 * replies it reads. Header values are text, as DingTalk's SDKs read them ({@code eventBornTime} is epoch millis).
 */
final class StreamFrames {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JSON_CONTENT = "application/json";

    /**
     * A reply from the app.
     *
     * @param messageId the frame it answers
     * @param success {@code code} 200 with {@code data} {@code {"status":"SUCCESS"}}; anything else (LATER, another
     *        code, no status) leaves an event to be sent again
     */
    record Reply(String messageId, boolean success) {}

    private StreamFrames() {}

    static String event(String messageId, String eventId, String eventType, String corpId, long bornAt, String data) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("messageId", messageId);
        headers.put("topic", "*");
        headers.put("eventId", eventId);
        headers.put("eventType", eventType);
        headers.put("eventCorpId", corpId);
        headers.put("eventBornTime", String.valueOf(bornAt));
        headers.put("contentType", JSON_CONTENT);
        return frame("EVENT", headers, data);
    }

    static String ping(String messageId, String opaque) {
        return system("ping", messageId, json(Map.of("opaque", opaque)));
    }

    /** DingTalk's notice that it is about to close the connection: the app should open a new one. */
    static String disconnect(String messageId, String reason) {
        return system("disconnect", messageId, json(Map.of("reason", reason)));
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** The reply in a text frame, or null when the text is not one (the frame is ignored, as DingTalk does). */
    static @Nullable Reply reply(String text) {
        try {
            JsonNode frame = JSON.readTree(text);
            JsonNode messageId = frame.path("headers").path("messageId");
            if (!messageId.isString()) {
                return null;
            }
            boolean ok = frame.path("code").isNumber() && frame.path("code").intValue() == 200;
            return new Reply(
                    messageId.stringValue(), ok && status(frame.path("data")).equals("SUCCESS"));
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static String status(JsonNode data) {
        if (!data.isString()) {
            return "";
        }
        try {
            JsonNode status = JSON.readTree(data.stringValue()).path("status");
            return status.isString() ? status.stringValue() : "";
        } catch (JacksonException notJson) {
            return "";
        }
    }

    private static String system(String topic, String messageId, String data) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("messageId", messageId);
        headers.put("topic", topic);
        headers.put("contentType", JSON_CONTENT);
        return frame("SYSTEM", headers, data);
    }

    private static String frame(String type, Map<String, Object> headers, String data) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("specVersion", "1.0");
        frame.put("type", type);
        frame.put("headers", headers);
        frame.put("data", data);
        return json(frame);
    }
}
