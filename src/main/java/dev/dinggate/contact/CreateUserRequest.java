package dev.dinggate.contact;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.InvalidAs;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/users}.
 *
 * @param name display name
 * @param mobile mobile number, with country code or of {@code gateway.contacts.default-region}
 * @param departmentIds 1 to 100 department ids
 * @param userId the userId to assign; DingTalk chooses one when absent
 * @param title job title
 * @param email email address
 * @param jobNumber employee number
 */
public record CreateUserRequest(
        @NotBlank(message = "is required") @Size(max = 64, message = "must be at most 64 characters")
        String name,

        @NotBlank(message = "is required") @Size(max = 32, message = "must be at most 32 characters")
        String mobile,

        @InvalidAs(GatewayProblem.DEPARTMENT_INVALID)
        @NotEmpty(message = "must list at least one department")
        @Size(max = 100, message = "may list at most 100 departments")
        List<@NotNull(message = "must not be null") @Positive(message = "must be a positive department id") Long>
                departmentIds,

        @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1 to 64 letters, digits, '_' or '-'") @Nullable
        String userId,

        @Size(max = 64, message = "must be at most 64 characters") @Nullable
        String title,

        @Email(message = "must be an email address")
        @Size(max = 64, message = "must be at most 64 characters")
        @Nullable
        String email,

        @Size(max = 64, message = "must be at most 64 characters") @Nullable
        String jobNumber) {}
