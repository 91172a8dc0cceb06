package dev.dinggate.web;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** What a caller is told about a DingTalk failure that no feature explained more precisely. */
final class UpstreamProblems {

    /** How long a caller should wait after DingTalk stayed busy through every retry. */
    static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(5);

    private UpstreamProblems() {}

    record Answer(
            GatewayProblem problem, String detail, @Nullable Duration retryAfter) {}

    static Answer of(DingTalkException failure) {
        return switch (failure) {
            case DingTalkException.Rejected rejected ->
                new Answer(
                        problem(HttpStatus.BAD_GATEWAY, "upstream.rejected", "DingTalk refused the call"),
                        "DingTalk answered " + rejected.upstreamCode() + ": " + rejected.upstreamMessage(),
                        null);
            case DingTalkException.Busy busy ->
                new Answer(
                        problem(HttpStatus.SERVICE_UNAVAILABLE, "upstream.busy", "DingTalk is busy"),
                        "DingTalk stayed busy through every retry; try again shortly.",
                        BUSY_RETRY_AFTER);
            case DingTalkException.Throttled throttled ->
                new Answer(
                        problem(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "upstream.throttled",
                                "DingTalk call rate limit reached"),
                        "The DingTalk app's call rate limit is reached; try again after the Retry-After delay.",
                        throttled.retryAfter());
            case DingTalkException.QuotaExhausted quota ->
                new Answer(
                        problem(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "upstream.quota-exhausted",
                                "DingTalk monthly call quota spent"),
                        "The organisation's monthly DingTalk API call quota is spent; an administrator must raise it.",
                        null);
            case DingTalkException.TokenRejected token ->
                new Answer(
                        problem(
                                HttpStatus.BAD_GATEWAY,
                                "dingtalk.token-rejected",
                                "DingTalk rejected the gateway's access token"),
                        "DingTalk rejected a freshly fetched access token; operators should check the app's status.",
                        null);
            case DingTalkException.CredentialsRejected credentials ->
                new Answer(
                        problem(
                                HttpStatus.BAD_GATEWAY,
                                "dingtalk.credentials-rejected",
                                "DingTalk rejected the app credentials"),
                        "DingTalk rejected the gateway's app key or secret; operators must fix dingtalk.app-key / dingtalk.app-secret.",
                        null);
            case DingTalkException.PermissionMissing missing ->
                new Answer(
                        problem(
                                HttpStatus.BAD_GATEWAY,
                                "dingtalk.permission-missing",
                                "The DingTalk app lacks a permission"),
                        "The DingTalk app lacks the API permission '" + missing.permission()
                                + "'; an administrator must grant it in the DingTalk developer console.",
                        null);
            case DingTalkException.OutsideAppScope outside ->
                new Answer(
                        problem(
                                HttpStatus.FORBIDDEN,
                                "dingtalk.outside-app-scope",
                                "Outside the DingTalk app's authorized scope"),
                        "The user or department is not within the DingTalk app's authorized Contacts scope. An administrator "
                                + "must add it under Manage permissions of the app in the DingTalk Developer Console.",
                        null);
            case DingTalkException.Unreachable unreachable ->
                new Answer(
                        problem(HttpStatus.BAD_GATEWAY, "upstream.unreachable", "DingTalk is unreachable"),
                        "The gateway could not reach DingTalk.",
                        null);
            case DingTalkException.Timeout timeout ->
                new Answer(
                        problem(HttpStatus.GATEWAY_TIMEOUT, "upstream.timeout", "DingTalk did not answer in time"),
                        "DingTalk did not answer in time.",
                        null);
            case DingTalkException.OutcomeUnknown unknown ->
                new Answer(
                        problem(
                                HttpStatus.GATEWAY_TIMEOUT,
                                "upstream.outcome-unknown",
                                "Outcome of the change unknown"),
                        "The change was sent but DingTalk's answer was lost; it may or may not have been applied. "
                                + "Check the account before sending it again.",
                        null);
            case DingTalkException.UnexpectedResponse unexpected ->
                new Answer(
                        problem(HttpStatus.BAD_GATEWAY, "upstream.bad-response", "DingTalk sent an unexpected answer"),
                        "DingTalk's answer could not be understood (HTTP " + unexpected.httpStatus() + ").",
                        null);
        };
    }

    private static GatewayProblem problem(HttpStatus status, String code, String title) {
        return new GatewayProblem(status, code, title);
    }
}
