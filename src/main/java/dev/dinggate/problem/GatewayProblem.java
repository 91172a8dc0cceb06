package dev.dinggate.problem;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/**
 * Every problem the gateway answers with, in one catalogue: its status, its stable {@code code} (part of the
 * API contract, callers switch on it), a human title, and a hint (the detail when nothing more precise is
 * known). Answers, the OpenAPI description and the README's error table are built from or checked against it.
 */
public enum GatewayProblem {
    // The request itself
    REQUEST_INVALID(HttpStatus.BAD_REQUEST, "request.invalid", "Invalid request", "The request has invalid values."),
    REQUEST_MALFORMED(
            HttpStatus.BAD_REQUEST,
            "request.malformed",
            "Malformed request body",
            "The request body is missing, is not JSON, or has a value of the wrong type."),
    REQUEST_UNKNOWN_FIELD(
            HttpStatus.BAD_REQUEST,
            "request.unknown-field",
            "Unknown field in request",
            "The request has a field this operation does not define."),
    REQUEST_TOO_LARGE(
            HttpStatus.CONTENT_TOO_LARGE,
            "request.too-large",
            "Request body too large",
            "The request body is larger than the gateway accepts."),
    REQUEST_UNSUPPORTED_MEDIA_TYPE(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported-media-type",
            "Unsupported media type",
            "The request body's Content-Type is not one this operation reads."),
    REQUEST_NOT_ACCEPTABLE(
            HttpStatus.NOT_ACCEPTABLE,
            "request.not-acceptable",
            "Not acceptable",
            "Every answer is JSON; the Accept header excludes it."),
    REQUEST_NOT_FOUND(HttpStatus.NOT_FOUND, "request.not-found", "Not found", "The API has no such path."),
    REQUEST_METHOD_NOT_ALLOWED(
            HttpStatus.METHOD_NOT_ALLOWED,
            "request.method-not-allowed",
            "Method not allowed",
            "The path does not have this method; see Allow."),
    /** Any other refusal by the server or Spring MVC, with the status they chose. */
    REQUEST_REJECTED(HttpStatus.BAD_REQUEST, "request.rejected", "Request refused", "The request was refused."),
    REQUEST_RATE_LIMITED(
            HttpStatus.TOO_MANY_REQUESTS,
            "request.rate-limited",
            "Too many requests",
            "This client sent more requests than its budget allows."),
    INTERNAL_ERROR(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "internal.error",
            "Internal error",
            "The gateway failed unexpectedly; quote the requestId to operators.",
            Outcome.MAY_HAVE_APPLIED),

    // Who asks
    AUTH_UNAUTHENTICATED(
            HttpStatus.UNAUTHORIZED,
            "auth.unauthenticated",
            "Authentication required",
            "The request carries no valid credentials."),
    AUTH_FORBIDDEN(
            HttpStatus.FORBIDDEN,
            "auth.forbidden",
            "Operation not allowed",
            "The caller's scopes do not allow this operation."),
    AUTH_PROVIDER_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE,
            "auth.provider-unavailable",
            "Identity provider unavailable",
            "The company identity provider did not answer, so the token could not be checked; retry later."),
    CALLER_NOT_LINKED(
            HttpStatus.FORBIDDEN,
            "caller.not-linked",
            "Caller has no DingTalk account",
            "This operation needs the caller's DingTalk userId, and the identity provider links none."),

    // Changes: idempotency and the audit trail
    IDEMPOTENCY_KEY_INVALID(
            HttpStatus.BAD_REQUEST,
            "idempotency.key-invalid",
            "Malformed Idempotency-Key",
            "The Idempotency-Key must be 1 to 255 visible ASCII characters, bare or in double quotes, sent once."),
    IDEMPOTENCY_IN_FLIGHT(
            HttpStatus.CONFLICT,
            "idempotency.in-flight",
            "Request with this Idempotency-Key still in progress",
            "A request with this Idempotency-Key is still being processed; retry later."),
    IDEMPOTENCY_KEY_REUSED(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "idempotency.key-reused",
            "Idempotency-Key used for another request",
            "This Idempotency-Key was used for another method, path or body."),
    AUDIT_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE,
            "audit.unavailable",
            "Audit trail unavailable",
            "The change was not sent to DingTalk because it could not be recorded first; try again shortly."),

    // Enterprise Accounts
    DINGTALK_ID_INVALID(
            HttpStatus.BAD_REQUEST,
            "dingtalk-id.invalid",
            "DingTalk ID not allowed",
            "The DingTalk ID has the wrong format or contains prohibited content."),
    DINGTALK_ID_TAKEN(
            HttpStatus.CONFLICT,
            "dingtalk-id.taken",
            "DingTalk ID already taken",
            "This DingTalk ID is already used somewhere in DingTalk."),
    DINGTALK_ID_ALREADY_CHANGED(
            HttpStatus.CONFLICT,
            "dingtalk-id.already-changed",
            "DingTalk ID already changed",
            "DingTalk allows one change of the DingTalk ID a year."),
    ACCOUNT_NOT_FOUND(
            HttpStatus.NOT_FOUND, "account.not-found", "Account not found", "No such employee in this organisation."),
    ACCOUNT_NOT_ENTERPRISE_ACCOUNT(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "account.not-enterprise-account",
            "Not an Enterprise Account of this organisation",
            "Only Enterprise Accounts of this organisation can be changed."),
    VISIBILITY_INVALID(
            HttpStatus.BAD_REQUEST,
            "visibility.invalid",
            "Visibility request not allowed",
            "Check the corpIds and fields."),

    // Contacts
    USER_NOT_FOUND(HttpStatus.NOT_FOUND, "user.not-found", "User not found", "DingTalk knows no such user."),
    DEPARTMENT_INVALID(
            HttpStatus.BAD_REQUEST,
            "department.invalid",
            "Department not supported",
            "Department ids are positive; school-parent contacts (-7) are not supported."),
    USER_MOBILE_INVALID(
            HttpStatus.BAD_REQUEST,
            "user.mobile-invalid",
            "Mobile number not accepted",
            "The mobile number is not a valid number."),
    USER_MOBILE_IMMUTABLE(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "user.mobile-immutable",
            "Mobile number cannot be changed",
            "DingTalk cannot change a user's mobile number."),
    USER_MANAGED_BY_SMART_HR(
            HttpStatus.CONFLICT,
            "user.managed-by-smart-hr",
            "Field managed by Smart HR",
            "Smart HR manages job titles and departments in this organisation."),
    USER_MOBILE_TAKEN(
            HttpStatus.CONFLICT,
            "user.mobile-taken",
            "Mobile number already registered",
            "A user with this mobile number already exists in the organisation."),
    USER_ID_TAKEN(
            HttpStatus.CONFLICT,
            "user.id-taken",
            "UserId already used",
            "This userId is already used in the organisation."),
    LOOKUP_INVALID(
            HttpStatus.BAD_REQUEST,
            "lookup.invalid",
            "Give exactly one of unionId and mobile",
            "Send unionId or mobile, not both and not neither."),

    // DingTalk's own trouble
    DINGTALK_OUTSIDE_APP_SCOPE(
            HttpStatus.FORBIDDEN,
            "dingtalk.outside-app-scope",
            "Outside the DingTalk app's authorized scope",
            "The user or department is not within the DingTalk app's authorized Contacts scope."),
    UPSTREAM_REJECTED(
            HttpStatus.BAD_GATEWAY, "upstream.rejected", "DingTalk refused the call", "DingTalk refused the call."),
    UPSTREAM_UNREACHABLE(
            HttpStatus.BAD_GATEWAY,
            "upstream.unreachable",
            "DingTalk is unreachable",
            "The gateway could not reach DingTalk."),
    UPSTREAM_BAD_RESPONSE(
            HttpStatus.BAD_GATEWAY,
            "upstream.bad-response",
            "DingTalk sent an unexpected answer",
            "DingTalk's answer could not be understood.",
            Outcome.MAY_HAVE_APPLIED),
    DINGTALK_PERMISSION_MISSING(
            HttpStatus.BAD_GATEWAY,
            "dingtalk.permission-missing",
            "The DingTalk app lacks a permission",
            "The DingTalk app lacks an API permission; an administrator must grant it."),
    DINGTALK_CREDENTIALS_REJECTED(
            HttpStatus.BAD_GATEWAY,
            "dingtalk.credentials-rejected",
            "DingTalk rejected the app credentials",
            "DingTalk rejected the gateway's app key or secret."),
    DINGTALK_TOKEN_REJECTED(
            HttpStatus.BAD_GATEWAY,
            "dingtalk.token-rejected",
            "DingTalk rejected the gateway's access token",
            "DingTalk rejected a freshly fetched access token."),
    UPSTREAM_BUSY(
            HttpStatus.SERVICE_UNAVAILABLE,
            "upstream.busy",
            "DingTalk is busy",
            "DingTalk stayed busy through every retry; try again shortly."),
    UPSTREAM_THROTTLED(
            HttpStatus.SERVICE_UNAVAILABLE,
            "upstream.throttled",
            "DingTalk call rate limit reached",
            "The DingTalk app's call rate limit is reached; try again after the Retry-After delay."),
    UPSTREAM_QUOTA_EXHAUSTED(
            HttpStatus.SERVICE_UNAVAILABLE,
            "upstream.quota-exhausted",
            "DingTalk monthly call quota spent",
            "The organisation's monthly DingTalk API call quota is spent."),
    UPSTREAM_TIMEOUT(
            HttpStatus.GATEWAY_TIMEOUT,
            "upstream.timeout",
            "DingTalk did not answer in time",
            "DingTalk did not answer in time."),
    // Batches
    BATCH_INVALID(
            HttpStatus.BAD_REQUEST,
            "batch.invalid",
            "Invalid batch",
            "An item is invalid, or the batch has no items or too many; nothing was queued."),
    BATCH_NOT_FOUND(
            HttpStatus.NOT_FOUND,
            "batch.not-found",
            "Batch not found",
            "There is no such batch, or it is not one the caller may see."),
    DIRECTORY_CURSOR_INVALID(
            HttpStatus.BAD_REQUEST,
            "directory.cursor-invalid",
            "Invalid cursor",
            "The cursor is not one the gateway handed out; start again without it."),
    DIRECTORY_NOT_READY(
            HttpStatus.SERVICE_UNAVAILABLE,
            "directory.not-ready",
            "Directory not ready",
            "The directory mirror is still filling, or switched off; retry later, or read single users and departments"
                    + " from their own routes."),
    UPSTREAM_OUTCOME_UNKNOWN(
            HttpStatus.GATEWAY_TIMEOUT,
            "upstream.outcome-unknown",
            "Outcome of the change unknown",
            "The change was sent but DingTalk's answer was lost; it may or may not have been applied.",
            Outcome.MAY_HAVE_APPLIED);

    /** Prefix of every problem {@code type}; the part after it is the {@code code}. */
    public static final String TYPE_PREFIX = "urn:dinggate:problem:";

    /** What a change that ended with this problem did at DingTalk: what the audit trail records. */
    public enum Outcome {
        /** DingTalk refused it, or it never reached DingTalk. */
        NOT_APPLIED,
        /** Nobody knows: the answer was lost or unreadable, or the gateway failed unexpectedly. */
        MAY_HAVE_APPLIED
    }

    private static final Map<String, GatewayProblem> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(GatewayProblem::code, Function.identity()));

    private final HttpStatus status;
    private final String code;
    private final String title;
    private final String hint;
    private final Outcome outcome;

    GatewayProblem(HttpStatus status, String code, String title, String hint) {
        this(status, code, title, hint, Outcome.NOT_APPLIED);
    }

    GatewayProblem(HttpStatus status, String code, String title, String hint, Outcome outcome) {
        this.status = status;
        this.code = code;
        this.title = title;
        this.hint = hint;
        this.outcome = outcome;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The detail to give when nothing more precise is known. */
    public String hint() {
        return hint;
    }

    /** Whether a change that ended with this problem may have been applied by DingTalk all the same. */
    public Outcome outcome() {
        return outcome;
    }

    public static Optional<GatewayProblem> byCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /**
     * The problem for a status that Spring MVC or the servlet container chose without naming a problem:
     * {@code request.rejected} for a refusal no other entry explains.
     */
    public static GatewayProblem forStatus(int status) {
        return switch (status) {
            case 400 -> REQUEST_INVALID;
            case 404 -> REQUEST_NOT_FOUND;
            case 405 -> REQUEST_METHOD_NOT_ALLOWED;
            case 406 -> REQUEST_NOT_ACCEPTABLE;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> REQUEST_UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? INTERNAL_ERROR : REQUEST_REJECTED;
        };
    }
}
