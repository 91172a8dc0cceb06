package dev.dinggate.dingtalk.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The {@code oapi.} host's envelope: HTTP 200 whatever happened, {@code errcode} 0 for success.
 *
 * @param errcode a number, or in some of DingTalk's examples a string; read as text either way
 * @param subCode the real code when {@code errcode} is 88, which {@code topapi} wraps many failures in
 * @param result the answer itself; absent from some successful answers (an update, a delete)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record LegacyEnvelope<T>(
        @Nullable String errcode,
        @Nullable String errmsg,
        @JsonProperty("sub_code") @Nullable String subCode,
        @JsonProperty("sub_msg") @Nullable String subMsg,
        @JsonProperty("request_id") @Nullable String requestId,
        @Nullable T result) {

    private static final String WRAPPED = "88";

    boolean succeeded() {
        return trimmedErrcode().equals("0");
    }

    /** The code that says what went wrong: {@code sub_code} inside an 88, else {@code errcode}. */
    String code() {
        return isWrapped() && subCode != null && !subCode.isBlank() ? subCode : trimmedErrcode();
    }

    String message() {
        String message = isWrapped() && subMsg != null ? subMsg : errmsg;
        return message == null ? "" : message;
    }

    private boolean isWrapped() {
        return trimmedErrcode().equals(WRAPPED);
    }

    private String trimmedErrcode() {
        return errcode == null ? "" : errcode.trim();
    }
}
