package dev.dinggate.dingtalk;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A user as DingTalk's {@code topapi/v2/user/get} describes them.
 *
 * @param mobile absent when the app lacks DingTalk's permission to read mobile numbers
 * @param email absent unless set in DingTalk Mail settings; DingTalk-provided addresses are never returned
 */
public record DingTalkUser(
        String userId,
        @Nullable String unionId,
        String name,
        @Nullable String mobile,
        @Nullable String email,
        @Nullable String title,
        @Nullable String jobNumber,
        List<Long> departmentIds,
        List<Long> leaderInDepartments,
        List<String> roles,
        @Nullable String managerUserId,
        boolean exclusiveAccount,
        @Nullable String loginId,
        @Nullable Boolean active) {}
