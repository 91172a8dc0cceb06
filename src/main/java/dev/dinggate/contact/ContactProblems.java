package dev.dinggate.contact;

import static dev.dinggate.problem.GatewayProblem.DEPARTMENT_INVALID;
import static dev.dinggate.problem.GatewayProblem.DINGTALK_PERMISSION_MISSING;
import static dev.dinggate.problem.GatewayProblem.USER_ID_TAKEN;
import static dev.dinggate.problem.GatewayProblem.USER_MANAGED_BY_SMART_HR;
import static dev.dinggate.problem.GatewayProblem.USER_MOBILE_INVALID;
import static dev.dinggate.problem.GatewayProblem.USER_MOBILE_TAKEN;
import static dev.dinggate.problem.GatewayProblem.USER_NOT_FOUND;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.problem.UpstreamFailures;
import java.util.Locale;

/**
 * What a failed Contacts call means for the caller, decided once: the Contacts FAQ's pitfalls with the FAQ's
 * explanations, every other failure as {@link UpstreamFailures} says.
 */
final class ContactProblems {

    static final String NOT_FOUND_CAUSES = "DingTalk knows no such user for this app. Possible causes (DingTalk FAQ): "
            + "the user belongs to another organisation than the app; the user has resigned or not yet joined; "
            + "the user was invited and has not accepted yet.";

    private ContactProblems() {}

    static GatewayProblemException departmentMinus7() {
        return new GatewayProblemException(
                DEPARTMENT_INVALID,
                "Department -7 holds school-parent contacts, which the "
                        + "Contacts APIs do not support; department ids are positive.");
    }

    /** A department the complete directory mirror does not hold: DingTalk would answer 40009. */
    static GatewayProblemException departmentNotInDirectory(long departmentId) {
        return new GatewayProblemException(
                DEPARTMENT_INVALID,
                "The organisation has no department " + departmentId + " (the directory mirror, filled from DingTalk,"
                        + " holds none by that id).");
    }

    /** The problem a failed Contacts call means for the caller. */
    static GatewayProblemException explain(DingTalkException failure) {
        return failure instanceof DingTalkException.Rejected rejected
                ? explainRefusal(rejected)
                : UpstreamFailures.explain(failure);
    }

    /** As {@link #explain}, for adding a user: DingTalk's "busy" may also mean the organisation's add limit. */
    static GatewayProblemException explainCreate(DingTalkException failure) {
        if (failure instanceof DingTalkException.Busy busy) {
            return new GatewayProblemException(
                    GatewayProblem.UPSTREAM_BUSY,
                    "DingTalk stayed busy through every retry. "
                            + "When adding users this can also mean the organisation reached its weekly or total limit "
                            + "for adding employees (DingTalk FAQ).",
                    busy,
                    UpstreamFailures.BUSY_RETRY_AFTER);
        }
        return explain(failure);
    }

    /** As {@link #explain}, for the look-up by mobile number, which old-style apps may not call at all. */
    static GatewayProblemException explainMobileLookup(DingTalkException failure) {
        if (failure instanceof DingTalkException.PermissionMissing
                || failure instanceof DingTalkException.Rejected rejected && isNoPermissionToCall(rejected)) {
            return new GatewayProblemException(
                    DINGTALK_PERMISSION_MISSING,
                    "The DingTalk app may not look users up "
                            + "by mobile number: it needs the permission 'qyapi_get_member_by_mobile', and apps of the "
                            + "old kind (access token from corpId and corpSecret) cannot call this API at all: create a "
                            + "new internal app.",
                    failure);
        }
        return explain(failure);
    }

    private static GatewayProblemException explainRefusal(DingTalkException.Rejected rejected) {
        return switch (rejected.upstreamCode()) {
            case "60121" -> new GatewayProblemException(USER_NOT_FOUND, NOT_FOUND_CAUSES, rejected);
            case "40009" ->
                new GatewayProblemException(
                        DEPARTMENT_INVALID,
                        "DingTalk does not know this department "
                                + "(school-parent contacts, department -7, are not supported).",
                        rejected);
            case "60103" ->
                new GatewayProblemException(
                        USER_MOBILE_INVALID,
                        "DingTalk refused the mobile number. If the "
                                + "organisation's region and the number's region differ, it must be written +<country code>-<number>, "
                                + "e.g. +86-13812345678; the gateway sends that form.",
                        rejected);
            case "60104" ->
                new GatewayProblemException(
                        USER_MOBILE_TAKEN,
                        "A user with this mobile number already exists " + "in the organisation.",
                        rejected);
            case "60102" ->
                new GatewayProblemException(
                        USER_ID_TAKEN, "This userId is already used in the organisation.", rejected);
            default ->
                isSmartHrRefusal(rejected)
                        ? new GatewayProblemException(
                                USER_MANAGED_BY_SMART_HR,
                                "Smart HR manages "
                                        + "job titles and departments in this organisation: change them through a Smart HR employee transfer, "
                                        + "not through the Contacts API.",
                                rejected)
                        : UpstreamFailures.explain(rejected);
        };
    }

    private static boolean isSmartHrRefusal(DingTalkException.Rejected rejected) {
        String message = rejected.upstreamMessage().toLowerCase(Locale.ROOT);
        return message.contains("smart hr") || message.contains("智能人事");
    }

    private static boolean isNoPermissionToCall(DingTalkException.Rejected rejected) {
        String message = rejected.upstreamMessage().toLowerCase(Locale.ROOT);
        return message.contains("no permission") || message.contains("没有调用该接口的权限");
    }
}
