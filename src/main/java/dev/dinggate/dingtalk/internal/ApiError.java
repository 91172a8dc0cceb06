package dev.dinggate.dingtalk.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * The {@code api.} host's error body, sent with a 4xx or 5xx status.
 *
 * @param requestid DingTalk's id of the request; when absent, the {@code x-acs-request-id} header carries it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ApiError(
        @Nullable String code,
        @Nullable String message,
        @Nullable String requestid) {}
