package dev.dinggate.dingtalk;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Changes for {@code topapi/v2/user/update}; null fields are left as they are.
 *
 * @param clearManager remove the user's manager (sent as {@code force_update_fields=manager_userid})
 */
public record DingTalkUserChanges(
        @Nullable String name,
        @Nullable String title,
        @Nullable String email,
        @Nullable String jobNumber,
        @Nullable List<Long> departmentIds,
        @Nullable String managerUserId,
        boolean clearManager) {

    /** {@code user} as DingTalk holds them once these changes are applied (what the directory mirror writes through). */
    public DingTalkUser applyTo(DingTalkUser user) {
        return new DingTalkUser(
                user.userId(),
                user.unionId(),
                name != null ? name : user.name(),
                user.mobile(),
                email != null ? email : user.email(),
                title != null ? title : user.title(),
                jobNumber != null ? jobNumber : user.jobNumber(),
                departmentIds != null ? departmentIds : user.departmentIds(),
                user.leaderInDepartments(),
                user.roles(),
                clearManager ? null : managerUserId != null ? managerUserId : user.managerUserId(),
                user.exclusiveAccount(),
                user.loginId(),
                user.active());
    }
}
