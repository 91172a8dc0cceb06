package dev.dinggate.problem;

import dev.dinggate.dingtalk.DingTalkException;
import java.time.Duration;

/**
 * What each kind of DingTalk failure means for the caller, where the feature that made the call knows no
 * more precise meaning. Features translate every failure of their calls here or in their own problems, once;
 * the answer and the audit trail then read the problem, not the failure.
 */
public final class UpstreamFailures {

    /** How long a caller should wait after DingTalk stayed busy through every retry. */
    public static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(5);

    private UpstreamFailures() {}

    public static GatewayProblemException explain(DingTalkException failure) {
        return switch (failure) {
            case DingTalkException.Rejected rejected ->
                problem(
                        GatewayProblem.UPSTREAM_REJECTED,
                        "DingTalk answered " + rejected.upstreamCode() + ": " + rejected.upstreamMessage(),
                        rejected);
            case DingTalkException.Busy busy ->
                new GatewayProblemException(
                        GatewayProblem.UPSTREAM_BUSY, GatewayProblem.UPSTREAM_BUSY.hint(), busy, BUSY_RETRY_AFTER);
            case DingTalkException.Throttled throttled ->
                new GatewayProblemException(
                        GatewayProblem.UPSTREAM_THROTTLED,
                        GatewayProblem.UPSTREAM_THROTTLED.hint(),
                        throttled,
                        throttled.retryAfter());
            case DingTalkException.QuotaExhausted quota ->
                problem(
                        GatewayProblem.UPSTREAM_QUOTA_EXHAUSTED,
                        "The organisation's monthly DingTalk API call quota is spent; an administrator must raise it.",
                        quota);
            case DingTalkException.TokenRejected token ->
                problem(
                        GatewayProblem.DINGTALK_TOKEN_REJECTED,
                        "DingTalk rejected a freshly fetched access token; operators should check the app's status.",
                        token);
            case DingTalkException.CredentialsRejected credentials ->
                problem(
                        GatewayProblem.DINGTALK_CREDENTIALS_REJECTED,
                        "DingTalk rejected the gateway's app key or secret; operators must fix dingtalk.app-key / "
                                + "dingtalk.app-secret.",
                        credentials);
            case DingTalkException.PermissionMissing missing ->
                problem(
                        GatewayProblem.DINGTALK_PERMISSION_MISSING,
                        "The DingTalk app lacks the API permission '" + missing.permission()
                                + "'; an administrator must grant it in the DingTalk developer console.",
                        missing);
            case DingTalkException.OutsideAppScope outside ->
                problem(
                        GatewayProblem.DINGTALK_OUTSIDE_APP_SCOPE,
                        "The user or department is not within the DingTalk app's authorized Contacts scope. An "
                                + "administrator must add it under Manage permissions of the app in the DingTalk "
                                + "Developer Console.",
                        outside);
            case DingTalkException.Unreachable unreachable ->
                problem(GatewayProblem.UPSTREAM_UNREACHABLE, GatewayProblem.UPSTREAM_UNREACHABLE.hint(), unreachable);
            case DingTalkException.Timeout timeout ->
                problem(GatewayProblem.UPSTREAM_TIMEOUT, GatewayProblem.UPSTREAM_TIMEOUT.hint(), timeout);
            case DingTalkException.OutcomeUnknown unknown ->
                problem(
                        GatewayProblem.UPSTREAM_OUTCOME_UNKNOWN,
                        "The change was sent but DingTalk's answer was lost; it may or may not have been applied. "
                                + "Check the account before sending it again.",
                        unknown);
            case DingTalkException.UnexpectedResponse unexpected ->
                problem(
                        GatewayProblem.UPSTREAM_BAD_RESPONSE,
                        "DingTalk's answer could not be understood (HTTP " + unexpected.httpStatus() + ").",
                        unexpected);
        };
    }

    private static GatewayProblemException problem(GatewayProblem problem, String detail, DingTalkException cause) {
        return new GatewayProblemException(problem, detail, cause);
    }
}
