package dev.dinggate.contact;

import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.InvalidAs;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code PATCH /api/v1/users/{userId}} (JSON merge patch): absent fields stay as they are;
 * {@code "managerUserId": null} removes the manager. A class rather than a record because "absent"
 * and "null" must be told apart, which only setters can see.
 */
public final class UpdateUserRequest {

    @Size(min = 1, max = 64, message = "must be 1 to 64 characters")
    private @Nullable String name;

    @Size(max = 64, message = "must be at most 64 characters")
    private @Nullable String title;

    @Email(message = "must be an email address")
    @Size(max = 64, message = "must be at most 64 characters")
    private @Nullable String email;

    @Size(max = 64, message = "must be at most 64 characters")
    private @Nullable String jobNumber;

    @InvalidAs(GatewayProblem.DEPARTMENT_INVALID)
    @Size(min = 1, max = 100, message = "must list 1 to 100 departments")
    private @Nullable List<
                    @NotNull(message = "must not be null") @Positive(message = "must be a positive department id") Long>
            departmentIds;

    @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1 to 64 letters, digits, '_' or '-'")
    private @Nullable String managerUserId;

    private boolean managerUserIdPresent;
    private boolean mobilePresent;
    private int fieldsPresent;

    public void setName(@Nullable String name) {
        this.name = name;
        fieldsPresent++;
    }

    public void setTitle(@Nullable String title) {
        this.title = title;
        fieldsPresent++;
    }

    public void setEmail(@Nullable String email) {
        this.email = email;
        fieldsPresent++;
    }

    public void setJobNumber(@Nullable String jobNumber) {
        this.jobNumber = jobNumber;
        fieldsPresent++;
    }

    public void setDepartmentIds(@Nullable List<Long> departmentIds) {
        this.departmentIds = departmentIds;
        fieldsPresent++;
    }

    public void setManagerUserId(@Nullable String managerUserId) {
        this.managerUserId = managerUserId;
        this.managerUserIdPresent = true;
        fieldsPresent++;
    }

    /** Accepted only to be refused with a clear answer: DingTalk cannot change a mobile number. */
    public void setMobile(@Nullable String mobile) {
        this.mobilePresent = true;
        fieldsPresent++;
    }

    @Nullable
    String name() {
        return name;
    }

    @Nullable
    String title() {
        return title;
    }

    @Nullable
    String email() {
        return email;
    }

    @Nullable
    String jobNumber() {
        return jobNumber;
    }

    @Nullable
    List<Long> departmentIds() {
        return departmentIds;
    }

    @Nullable
    String managerUserId() {
        return managerUserId;
    }

    boolean clearsManager() {
        return managerUserIdPresent && managerUserId == null;
    }

    boolean changesMobile() {
        return mobilePresent;
    }

    boolean isEmpty() {
        return fieldsPresent == 0;
    }

    /** Names of the fields this patch changes (for the answer and the audit summary; values stay out). */
    public List<String> changedFields() {
        List<String> fields = new java.util.ArrayList<>();
        addIf(fields, name != null, "name");
        addIf(fields, title != null, "title");
        addIf(fields, email != null, "email");
        addIf(fields, jobNumber != null, "jobNumber");
        addIf(fields, departmentIds != null, "departmentIds");
        addIf(fields, managerUserIdPresent, "managerUserId");
        return fields;
    }

    private static void addIf(List<String> fields, boolean changed, String name) {
        if (changed) {
            fields.add(name);
        }
    }
}
