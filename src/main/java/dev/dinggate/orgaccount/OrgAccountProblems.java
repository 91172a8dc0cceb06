package dev.dinggate.orgaccount;

import static dev.dinggate.problem.GatewayProblem.ACCOUNT_NOT_ENTERPRISE_ACCOUNT;
import static dev.dinggate.problem.GatewayProblem.ACCOUNT_NOT_FOUND;
import static dev.dinggate.problem.GatewayProblem.DINGTALK_ID_ALREADY_CHANGED;
import static dev.dinggate.problem.GatewayProblem.DINGTALK_ID_INVALID;
import static dev.dinggate.problem.GatewayProblem.DINGTALK_ID_TAKEN;
import static dev.dinggate.problem.GatewayProblem.VISIBILITY_INVALID;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.problem.UpstreamFailures;

/**
 * What a failed Enterprise Account call means for the caller, decided once: DingTalk's Enterprise Account
 * codes as the gateway's problems, every other failure as {@link UpstreamFailures} says.
 */
final class OrgAccountProblems {

    private OrgAccountProblems() {}

    static GatewayProblemException explain(DingTalkException failure, String userId) {
        if (!(failure instanceof DingTalkException.Rejected rejected)) {
            return UpstreamFailures.explain(failure);
        }
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
                        ACCOUNT_NOT_ENTERPRISE_ACCOUNT,
                        "'" + userId
                                + "' is not an Enterprise Account of this organisation; only those can be changed.",
                        rejected);
            case "invalid.param" ->
                problem(
                        VISIBILITY_INVALID,
                        "DingTalk refused the request: check the corpIds, and that the caller is an employee of this "
                                + "organisation.",
                        rejected);
            default -> UpstreamFailures.explain(rejected);
        };
    }

    private static GatewayProblemException problem(
            GatewayProblem problem, String detail, DingTalkException.Rejected rejected) {
        return new GatewayProblemException(problem, detail, rejected);
    }
}
