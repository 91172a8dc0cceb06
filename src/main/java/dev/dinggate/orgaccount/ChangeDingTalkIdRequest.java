package dev.dinggate.orgaccount;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.InvalidAs;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code PUT /api/v1/org-accounts/{userId}/dingtalk-id}.
 *
 * @param dingTalkId the new DingTalk ID: 6 to 20 ASCII letters and digits, starting with a letter
 */
public record ChangeDingTalkIdRequest(
        @InvalidAs(GatewayProblem.DINGTALK_ID_INVALID)
        @NotNull(message = "is required")
        @Pattern(
                regexp = "[A-Za-z][A-Za-z0-9]{5,19}",
                message = "must be 6 to 20 ASCII letters and digits, starting with a letter")
        String dingTalkId) {}
