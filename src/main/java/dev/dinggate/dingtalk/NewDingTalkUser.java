package dev.dinggate.dingtalk;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A user to create with {@code topapi/v2/user/create}.
 *
 * @param mobile in DingTalk's {@code +86-xxxxxxxx} form
 * @param departmentIds at most 100
 * @param userId the userId to give them, or null to let DingTalk choose
 */
public record NewDingTalkUser(
        String name,
        String mobile,
        List<Long> departmentIds,
        @Nullable String userId,
        @Nullable String title,
        @Nullable String email,
        @Nullable String jobNumber) {

    /**
     * The user DingTalk created from this, as far as the request and DingTalk's answer tell (no roles yet, not yet
     * active): what the directory mirror writes through until the user is read again.
     */
    public DingTalkUser asCreated(String createdUserId, @Nullable String unionId) {
        return new DingTalkUser(
                createdUserId,
                unionId,
                name,
                mobile,
                email,
                title,
                jobNumber,
                departmentIds,
                List.of(),
                List.of(),
                null,
                false,
                null,
                false);
    }
}
