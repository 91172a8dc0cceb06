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
        boolean clearManager) {}
