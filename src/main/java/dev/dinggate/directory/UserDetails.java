package dev.dinggate.directory;

import dev.dinggate.dingtalk.DingTalkUser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A user, as {@code GET /api/v1/users/{userId}} and the directory search return them.
 *
 * @param userId userId in this organisation
 * @param unionId the user's id across organisations using the same app
 * @param name display name
 * @param mobile mobile number; null when DingTalk withheld it (see {@code unavailableFields})
 * @param email email address; null unless set in DingTalk Mail (see {@code unavailableFields})
 * @param title job title
 * @param jobNumber employee number
 * @param departmentIds departments the user belongs to
 * @param leaderInDepartmentIds departments the user leads
 * @param roles role names
 * @param managerUserId the user's manager
 * @param exclusiveAccount whether this is an Enterprise (exclusive) Account
 * @param loginId the Enterprise Account's login id
 * @param active whether the user has activated DingTalk
 * @param unavailableFields for each field DingTalk left out, or the mirror does not keep, why
 * @param asOf when DingTalk last confirmed this user: the read's time for a read of DingTalk, else when the
 *        mirror last read the user (full sync or event)
 */
public record UserDetails(
        String userId,
        @Nullable String unionId,
        String name,
        @Nullable String mobile,
        @Nullable String email,
        @Nullable String title,
        @Nullable String jobNumber,
        List<Long> departmentIds,
        List<Long> leaderInDepartmentIds,
        List<String> roles,
        @Nullable String managerUserId,
        boolean exclusiveAccount,
        @Nullable String loginId,
        @Nullable Boolean active,
        Map<String, String> unavailableFields,
        Instant asOf) {

    static final String EMAIL_ABSENT = "DingTalk returns email only when it is set in DingTalk Mail settings; "
            + "addresses provided by DingTalk itself are never returned.";
    static final String MOBILE_ABSENT = "DingTalk withheld the mobile number: the app needs the permission to read "
            + "mobile numbers (apply for it in the DingTalk Developer Console).";

    static final String NOT_KEPT = "The directory mirror does not keep mobile numbers and e-mail addresses "
            + "(gateway.directory.store-contact-fields is off); read the user with consistency=strong.";

    /** A user as DingTalk answered just now. */
    public static UserDetails read(DingTalkUser user, Instant readAt) {
        return from(user, readAt, true);
    }

    /**
     * A user as the mirror holds them.
     *
     * @param contactFieldsKept whether the mirror keeps mobile and e-mail: if not, their absence says so
     */
    static UserDetails from(DingTalkUser user, Instant asOf, boolean contactFieldsKept) {
        Map<String, String> unavailable = new LinkedHashMap<>();
        if (user.email() == null || user.email().isBlank()) {
            unavailable.put("email", contactFieldsKept ? EMAIL_ABSENT : NOT_KEPT);
        }
        if (user.mobile() == null || user.mobile().isBlank()) {
            unavailable.put("mobile", contactFieldsKept ? MOBILE_ABSENT : NOT_KEPT);
        }
        return new UserDetails(
                user.userId(),
                user.unionId(),
                user.name(),
                blankToNull(user.mobile()),
                blankToNull(user.email()),
                user.title(),
                user.jobNumber(),
                user.departmentIds(),
                user.leaderInDepartments(),
                user.roles(),
                user.managerUserId(),
                user.exclusiveAccount(),
                user.loginId(),
                user.active(),
                unavailable,
                asOf);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
