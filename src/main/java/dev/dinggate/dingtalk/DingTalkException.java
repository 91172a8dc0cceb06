package dev.dinggate.dingtalk;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A call to DingTalk that did not succeed. The permitted kinds say what happened, so that one
 * {@code switch} can turn each into an answer for the caller. Messages never carry a token or secret.
 */
public abstract sealed class DingTalkException extends RuntimeException {

    private final String api;
    private final int httpStatus;
    private final @Nullable String upstreamCode;
    private final @Nullable String upstreamRequestId;

    DingTalkException(
            String api,
            int httpStatus,
            @Nullable String upstreamCode,
            @Nullable String upstreamRequestId,
            String message,
            @Nullable Throwable cause) {
        super("DingTalk " + api + ": " + message, cause);
        this.api = api;
        this.httpStatus = httpStatus;
        this.upstreamCode = upstreamCode;
        this.upstreamRequestId = upstreamRequestId;
    }

    /** The DingTalk API that was called, e.g. {@code contact.orgAccounts.changeDingTalkId}. */
    public String api() {
        return api;
    }

    /** DingTalk's HTTP status, or 0 when no answer arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** DingTalk's error code ({@code code}, {@code errcode} or topapi's {@code sub_code}), when it sent one. */
    public @Nullable String upstreamCode() {
        return upstreamCode;
    }

    /** DingTalk's request id, when it sent one; operators quote it to DingTalk support. */
    public @Nullable String upstreamRequestId() {
        return upstreamRequestId;
    }

    /** Whether calling again later may succeed; the retry policy retries only these. */
    public abstract boolean isTransient();

    /** A business answer: DingTalk understood the call and refused it. Features map the code. */
    public static final class Rejected extends DingTalkException {
        private final String upstreamMessage;

        public Rejected(String api, int httpStatus, String code, String upstreamMessage, @Nullable String requestId) {
            super(api, httpStatus, code, requestId, "rejected with " + code, null);
            this.upstreamMessage = upstreamMessage;
        }

        /** DingTalk's own wording of the refusal, kept for the audit trail. */
        public String upstreamMessage() {
            return upstreamMessage;
        }

        @Override
        public String upstreamCode() {
            return java.util.Objects.requireNonNull(super.upstreamCode());
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** DingTalk said it is busy (errcode -1, {@code system.busy}, an unexplained 5xx). */
    public static final class Busy extends DingTalkException {
        public Busy(String api, int httpStatus, @Nullable String code, @Nullable String requestId) {
            super(api, httpStatus, code, requestId, "busy (" + code + ")", null);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** A QPS or QPM limit was hit, upstream or in the gateway's own pacing. */
    public static final class Throttled extends DingTalkException {
        private final Duration retryAfter;

        public Throttled(String api, int httpStatus, String code, @Nullable String requestId, Duration retryAfter) {
            super(api, httpStatus, code, requestId, "throttled (" + code + ")", null);
            this.retryAfter = retryAfter;
        }

        /** How long DingTalk asked to wait, or a short default when it did not say. */
        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The organisation's monthly call count is spent; waiting seconds will not help. */
    public static final class QuotaExhausted extends DingTalkException {
        public QuotaExhausted(String api, int httpStatus, String code, @Nullable String requestId) {
            super(api, httpStatus, code, requestId, "monthly call quota exhausted (" + code + ")", null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** DingTalk refused the access token even after one fresh fetch. */
    public static final class TokenRejected extends DingTalkException {
        public TokenRejected(String api, int httpStatus, String code, @Nullable String requestId) {
            super(api, httpStatus, code, requestId, "access token rejected (" + code + ")", null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** DingTalk refused the app key and secret: an operator must fix the configuration. */
    public static final class CredentialsRejected extends DingTalkException {
        public CredentialsRejected(String api, int httpStatus, String code, @Nullable String requestId) {
            super(api, httpStatus, code, requestId, "app credentials rejected (" + code + ")", null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** The app lacks the API permission this call needs: an administrator must grant it. */
    public static final class PermissionMissing extends DingTalkException {
        private final String permission;

        public PermissionMissing(
                String api, int httpStatus, String code, @Nullable String requestId, String permission) {
            super(api, httpStatus, code, requestId, "app lacks permission " + permission + " (" + code + ")", null);
            this.permission = permission;
        }

        /** The permission an administrator must grant the app in the DingTalk developer console. */
        public String permission() {
            return permission;
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /**
     * The user or department is outside the app's authorized Contacts scope: an administrator must
     * add it on the app's Manage permissions page.
     */
    public static final class OutsideAppScope extends DingTalkException {
        public OutsideAppScope(String api, int httpStatus, String code, @Nullable String requestId) {
            super(api, httpStatus, code, requestId, "outside the app's authorized scope (" + code + ")", null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** No connection could be made, so the request never reached DingTalk. */
    public static final class Unreachable extends DingTalkException {
        public Unreachable(String api, Throwable cause) {
            super(api, 0, null, null, "unreachable (" + cause.getClass().getSimpleName() + ")", cause);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** A read got no complete answer in time; safe to ask again because reading changes nothing. */
    public static final class Timeout extends DingTalkException {
        public Timeout(String api, Throwable cause) {
            super(
                    api,
                    0,
                    null,
                    null,
                    "no complete answer in time (" + cause.getClass().getSimpleName() + ")",
                    cause);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /**
     * A change was sent but its answer was lost (timeout, reset). DingTalk may or may not have
     * applied it, so it is never sent again automatically.
     */
    public static final class OutcomeUnknown extends DingTalkException {
        public OutcomeUnknown(String api, Throwable cause) {
            super(
                    api,
                    0,
                    null,
                    null,
                    "change sent, answer lost (" + cause.getClass().getSimpleName() + ")",
                    cause);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** An answer that is neither envelope: an HTML page, a truncated body, an empty 502. */
    public static final class UnexpectedResponse extends DingTalkException {
        public UnexpectedResponse(String api, int httpStatus, String what) {
            super(api, httpStatus, null, null, "unexpected answer, HTTP " + httpStatus + ": " + what, null);
        }

        @Override
        public boolean isTransient() {
            return httpStatus() == 429 || httpStatus() >= 500;
        }
    }
}
