package dev.dinggate.orgaccount;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.InvalidAs;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code PUT /api/v1/org-accounts/visibility}. There is deliberately no {@code optUserId}:
 * DingTalk records the change under the caller's own DingTalk userId, taken from the login.
 *
 * @param corpIds organisations in which the fields become visible
 * @param fields {@code mobile} and/or {@code status}; absent or empty means {@code mobile}, as in DingTalk
 */
public record VisibilityRequest(
        @InvalidAs(GatewayProblem.VISIBILITY_INVALID)
        @NotEmpty(message = "must list at least one organisation")
        @Size(max = 100, message = "may list at most 100 organisations")
        List<
                        @NotNull(message = "must not be null")
                        @Pattern(
                                regexp = "[A-Za-z0-9]{1,64}",
                                message = "must be a corpId of 1 to 64 letters and digits")
                        String>
                corpIds,

        @InvalidAs(GatewayProblem.VISIBILITY_INVALID)
        @Size(max = 2, message = "may list mobile and status at most")
        @Nullable
        List<
                        @NotNull(message = "must not be null")
                        @Pattern(regexp = "mobile|status", message = "must be mobile or status") String>
                fields) {}
