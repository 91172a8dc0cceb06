package dev.dinggate.contact;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/** The Contacts FAQ's pitfalls, as the gateway's stable problems with the FAQ's explanations. */
final class ContactProblems {

    static final GatewayProblem USER_NOT_FOUND =
            new GatewayProblem(HttpStatus.NOT_FOUND, "user.not-found", "User not found");
    /** Code and title that request fields also name ({@link dev.dinggate.problem.InvalidAs}). */
    static final String DEPARTMENT_INVALID_CODE = "department.invalid";

    static final String DEPARTMENT_INVALID_TITLE = "Department not supported";

    static final GatewayProblem DEPARTMENT_INVALID =
            new GatewayProblem(HttpStatus.BAD_REQUEST, DEPARTMENT_INVALID_CODE, DEPARTMENT_INVALID_TITLE);
    static final GatewayProblem MOBILE_INVALID =
            new GatewayProblem(HttpStatus.BAD_REQUEST, "user.mobile-invalid", "Mobile number not accepted");
    static final GatewayProblem MOBILE_IMMUTABLE = new GatewayProblem(
            HttpStatus.UNPROCESSABLE_CONTENT, "user.mobile-immutable", "Mobile number cannot be changed");
    static final GatewayProblem MANAGED_BY_SMART_HR =
            new GatewayProblem(HttpStatus.CONFLICT, "user.managed-by-smart-hr", "Field managed by Smart HR");
    static final GatewayProblem MOBILE_TAKEN =
            new GatewayProblem(HttpStatus.CONFLICT, "user.mobile-taken", "Mobile number already registered");
    static final GatewayProblem USER_ID_TAKEN =
            new GatewayProblem(HttpStatus.CONFLICT, "user.id-taken", "UserId already used");
    static final GatewayProblem LOOKUP_INVALID =
            new GatewayProblem(HttpStatus.BAD_REQUEST, "lookup.invalid", "Give exactly one of unionId and mobile");
    static final GatewayProblem NOTHING_TO_CHANGE =
            new GatewayProblem(HttpStatus.BAD_REQUEST, "request.invalid", "Invalid request");
    static final GatewayProblem BUSY =
            new GatewayProblem(HttpStatus.SERVICE_UNAVAILABLE, "upstream.busy", "DingTalk is busy");
    static final GatewayProblem PERMISSION_MISSING = new GatewayProblem(
            HttpStatus.BAD_GATEWAY, "dingtalk.permission-missing", "The DingTalk app lacks a permission");

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

    /** DingTalk refusals that every Contacts operation can meet; anything else passes through. */
    static RuntimeException explain(DingTalkException.Rejected rejected) {
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
                        MOBILE_INVALID,
                        "DingTalk refused the mobile number. If the "
                                + "organisation's region and the number's region differ, it must be written +<country code>-<number>, "
                                + "e.g. +86-13812345678; the gateway sends that form.",
                        rejected);
            case "60104" ->
                new GatewayProblemException(
                        MOBILE_TAKEN,
                        "A user with this mobile number already exists " + "in the organisation.",
                        rejected);
            case "60102" ->
                new GatewayProblemException(
                        USER_ID_TAKEN, "This userId is already used in the organisation.", rejected);
            default ->
                isSmartHrRefusal(rejected)
                        ? new GatewayProblemException(
                                MANAGED_BY_SMART_HR,
                                "Smart HR manages "
                                        + "job titles and departments in this organisation: change them through a Smart HR employee transfer, "
                                        + "not through the Contacts API.",
                                rejected)
                        : rejected;
        };
    }

    private static boolean isSmartHrRefusal(DingTalkException.Rejected rejected) {
        String message = rejected.upstreamMessage().toLowerCase(Locale.ROOT);
        return message.contains("smart hr") || message.contains("智能人事");
    }
}
