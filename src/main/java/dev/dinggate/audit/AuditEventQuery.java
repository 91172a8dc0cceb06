package dev.dinggate.audit;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Filters and page of {@code GET /api/v1/audit-events}; every filter is optional and they combine with AND.
 *
 * @param actor principal name, exact
 * @param operation operation name, exact
 * @param target target, exact
 * @param outcome PENDING, SUCCEEDED, FAILED or UNKNOWN
 * @param batchId the batch whose items' rows to list
 * @param from earliest {@code occurredAt}, inclusive (ISO-8601 instant)
 * @param to latest {@code occurredAt}, exclusive (ISO-8601 instant)
 * @param reconciled true: only rows whose UNKNOWN outcome was settled later by reading DingTalk; false:
 *        only rows not settled so (with {@code outcome=UNKNOWN}: the changes still left for a person)
 * @param page page number from 0 (default 0)
 * @param size rows per page, 1 to 200 (default 50)
 */
record AuditEventQuery(
        @Size(max = 255, message = "must be at most 255 characters") @Nullable
        String actor,

        @Size(max = 64, message = "must be at most 64 characters") @Nullable
        String operation,

        @Size(max = 255, message = "must be at most 255 characters") @Nullable
        String target,

        @Nullable AuditOutcome outcome,
        @Nullable UUID batchId,
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable Boolean reconciled,

        @Min(value = 0, message = "must be 0 or more")
        @Max(value = 100_000, message = "must be at most 100000")
        @Nullable
        Integer page,

        @Min(value = 1, message = "must be 1 to 200") @Max(value = 200, message = "must be 1 to 200") @Nullable
        Integer size) {

    static final int DEFAULT_SIZE = 50;

    /** Filters without a batch. */
    AuditEventQuery(
            @Nullable String actor,
            @Nullable String operation,
            @Nullable String target,
            @Nullable AuditOutcome outcome,
            @Nullable Instant from,
            @Nullable Instant to,
            @Nullable Boolean reconciled,
            @Nullable Integer page,
            @Nullable Integer size) {
        this(actor, operation, target, outcome, null, from, to, reconciled, page, size);
    }

    int pageNumber() {
        return page == null ? 0 : page;
    }

    int pageSize() {
        return size == null ? DEFAULT_SIZE : size;
    }

    @AssertTrue(message = "from must be before to")
    boolean isRangeOrdered() {
        return from == null || to == null || from.isBefore(to);
    }
}
