package dev.dinggate.directory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /api/v1/directory/users} asks for; every filter is optional and they combine with AND.
 *
 * @param q matches the start of the name, job number or title, case-insensitively
 * @param departmentId only members of this department
 * @param includeSubdepartments with {@code departmentId}: members of the departments below it too (default false)
 * @param active only users who have (true) or have not (false) activated DingTalk
 * @param cursor where the previous page ended ({@code nextCursor} of its answer)
 * @param limit users per page, 1 to 200 (default 50)
 */
public record UserSearch(
        @Size(max = 64, message = "must be at most 64 characters") @Nullable
        String q,

        @Positive(message = "must be a department id (1 or more)") @Nullable
        Long departmentId,

        @Nullable Boolean includeSubdepartments,
        @Nullable Boolean active,

        @Size(max = 1024, message = "must be at most 1024 characters") @Nullable
        String cursor,

        @Min(value = 1, message = "must be 1 to 200") @Max(value = 200, message = "must be 1 to 200") @Nullable
        Integer limit) {

    static final int DEFAULT_LIMIT = 50;

    int pageSize() {
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    boolean belowToo() {
        return Boolean.TRUE.equals(includeSubdepartments);
    }
}
