package dev.dinggate.dingtalk.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * One DingTalk API as the transport needs to know it.
 *
 * @param name stable name used in errors, logs and metrics
 * @param method HTTP method
 * @param host which DingTalk host serves it, which also decides the envelope and where the token goes
 * @param path path below the host
 * @param permission the app permission DingTalk requires, named in errors when it is missing
 * @param idempotent whether sending it twice is harmless; a change is never re-sent once it may have arrived
 * @param body the request, a record written as DingTalk's JSON (null: an empty object)
 */
public record ApiCall(
        String name,
        HttpMethod method,
        Host host,
        String path,
        String permission,
        boolean idempotent,
        @Nullable Object body) {

    /** DingTalk's two API generations. */
    public enum Host {
        /** {@code api.} host: token in the {@code x-acs-dingtalk-access-token} header. */
        NEW,
        /** {@code oapi.} host: token in the {@code access_token} query parameter. */
        LEGACY
    }

    @Override
    public String toString() {
        // The body of the token call holds the app secret: never let it reach a log line.
        return "ApiCall[" + name + " " + method + " " + path + "]";
    }
}
