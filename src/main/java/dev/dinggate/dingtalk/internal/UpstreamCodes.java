package dev.dinggate.dingtalk.internal;

import dev.dinggate.dingtalk.DingTalkException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Sorts DingTalk's error codes, of both API generations, into the kinds of {@link DingTalkException}. */
final class UpstreamCodes {

    /** What to assume when DingTalk throttles without saying how long to wait. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private static final Set<String> TOKEN_REJECTED = Set.of("InvalidAuthentication", "40014", "42001", "40001");
    private static final Set<String> CREDENTIALS_REJECTED = Set.of("invalidClientIdOrSecret", "40096");
    private static final Set<String> PERMISSION_MISSING =
            Set.of("Forbidden.AccessDenied.AccessTokenPermissionDenied", "60011");
    private static final Set<String> THROTTLED = Set.of(
            "90018",
            "90002",
            "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
            "Forbidden.AccessDenied.QpsLimitForApi",
            "Forbidden.AccessDenied.QpmLimitForAppkeyAndApi",
            "qps.exceed.limit",
            "request.too.fast");
    private static final Set<String> QUOTA_EXHAUSTED = Set.of("90020", "Forbidden.AccessDenied.ApiCountLimitForOrg");
    /** 50002: the userid, 50004: the department id, is not within the app's authorized scope. */
    private static final Set<String> OUTSIDE_APP_SCOPE = Set.of("50002", "50004");

    private static final Pattern OUTSIDE_APP_SCOPE_MESSAGE =
            Pattern.compile("not within the (app's )?authori[sz]ed scope|不在授权范围", Pattern.CASE_INSENSITIVE);
    private static final Set<String> BUSY = Set.of("-1", "system.busy", "systemBusy");

    private UpstreamCodes() {}

    static DingTalkException classify(
            ApiCall call, int httpStatus, String code, String message, @Nullable String requestId) {
        String api = call.name();
        if (TOKEN_REJECTED.contains(code)) {
            return new DingTalkException.TokenRejected(api, httpStatus, code, requestId);
        }
        if (CREDENTIALS_REJECTED.contains(code)) {
            return new DingTalkException.CredentialsRejected(api, httpStatus, code, requestId);
        }
        // The message decides before the code: DingTalk also answers 60011 for a user or department
        // outside the app's authorized scope, and the FAQ tells the two apart only by that message.
        if (OUTSIDE_APP_SCOPE.contains(code)
                || OUTSIDE_APP_SCOPE_MESSAGE.matcher(message).find()) {
            return new DingTalkException.OutsideAppScope(api, httpStatus, code, requestId);
        }
        if (PERMISSION_MISSING.contains(code)) {
            return new DingTalkException.PermissionMissing(api, httpStatus, code, requestId, call.permission());
        }
        if (THROTTLED.contains(code)) {
            return new DingTalkException.Throttled(api, httpStatus, code, requestId, DEFAULT_RETRY_AFTER);
        }
        if (QUOTA_EXHAUSTED.contains(code)) {
            return new DingTalkException.QuotaExhausted(api, httpStatus, code, requestId);
        }
        if (BUSY.contains(code) || httpStatus == 429 || httpStatus >= 500) {
            return new DingTalkException.Busy(api, httpStatus, code, requestId);
        }
        return new DingTalkException.Rejected(api, httpStatus, code, message, requestId);
    }
}
