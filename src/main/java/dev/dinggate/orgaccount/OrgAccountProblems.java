package dev.dinggate.orgaccount;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import org.springframework.http.HttpStatus;

/** DingTalk's Enterprise Account error codes, as the gateway's stable problems. */
final class OrgAccountProblems {

    /** Codes and titles that request fields also name ({@link dev.dinggate.problem.InvalidAs}). */
    static final String DINGTALK_ID_INVALID_CODE = "dingtalk-id.invalid";

    static final String DINGTALK_ID_INVALID_TITLE = "DingTalk ID not allowed";
    static final String VISIBILITY_INVALID_CODE = "visibility.invalid";
    static final String VISIBILITY_INVALID_TITLE = "Visibility request not allowed";

    static final GatewayProblem DINGTALK_ID_INVALID =
            new GatewayProblem(HttpStatus.BAD_REQUEST, DINGTALK_ID_INVALID_CODE, DINGTALK_ID_INVALID_TITLE);
    static final GatewayProblem DINGTALK_ID_TAKEN =
            new GatewayProblem(HttpStatus.CONFLICT, "dingtalk-id.taken", "DingTalk ID already taken");
    static final GatewayProblem DINGTALK_ID_ALREADY_CHANGED =
            new GatewayProblem(HttpStatus.CONFLICT, "dingtalk-id.already-changed", "DingTalk ID already changed");
    static final GatewayProblem ACCOUNT_NOT_FOUND =
            new GatewayProblem(HttpStatus.NOT_FOUND, "account.not-found", "Account not found");
    static final GatewayProblem NOT_ENTERPRISE_ACCOUNT = new GatewayProblem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "account.not-enterprise-account",
            "Not an Enterprise Account of this organisation");
    static final GatewayProblem VISIBILITY_INVALID =
            new GatewayProblem(HttpStatus.BAD_REQUEST, VISIBILITY_INVALID_CODE, VISIBILITY_INVALID_TITLE);

    private OrgAccountProblems() {}

    /** The problem DingTalk's refusal means for the caller, or the refusal itself when it has no special meaning. */
    static RuntimeException explain(DingTalkException.Rejected rejected, String userId) {
        return switch (rejected.upstreamCode()) {
            case "incorrect.format", "incorrect.length" ->
                problem(
                        DINGTALK_ID_INVALID,
                        "DingTalk refused the new DingTalk ID: it has the wrong format or contains prohibited content.",
                        rejected);
            case "incorrect.reserved" ->
                problem(
                        DINGTALK_ID_TAKEN,
                        "This DingTalk ID is already used somewhere in DingTalk (IDs are global); choose another.",
                        rejected);
            case "have.been.set" ->
                problem(
                        DINGTALK_ID_ALREADY_CHANGED,
                        "The DingTalk ID of '" + userId + "' was already changed; DingTalk allows one change a year.",
                        rejected);
            case "emp.not.exist" ->
                problem(ACCOUNT_NOT_FOUND, "No employee '" + userId + "' exists in this organisation.", rejected);
            case "internalenterpriseaccount.limit" ->
                problem(
                        NOT_ENTERPRISE_ACCOUNT,
                        "'" + userId
                                + "' is not an Enterprise Account of this organisation; only those can be changed.",
                        rejected);
            case "invalid.param" ->
                problem(
                        VISIBILITY_INVALID,
                        "DingTalk refused the request: check the corpIds, and that the caller is an employee of this "
                                + "organisation.",
                        rejected);
            default -> rejected;
        };
    }

    private static GatewayProblemException problem(
            GatewayProblem problem, String detail, DingTalkException.Rejected rejected) {
        return new GatewayProblemException(problem, detail, rejected);
    }
}
