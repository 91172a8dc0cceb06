package dev.dinggate.batch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A batch as {@code GET /api/v1/batches/{id}} shows it.
 *
 * @param state {@code queued}, {@code running}, {@code completed} or {@code cancelled}
 * @param counts items per state
 * @param items each item's outcome, in submitted order
 */
record BatchView(
        UUID id,
        String state,
        Instant createdAt,
        @Nullable Instant completedAt,
        int total,
        Counts counts,
        List<Item> items) {

    /** Items per state; an item in flight counts as pending. */
    @Schema(name = "BatchCounts")
    record Counts(int pending, int succeeded, int failed, int unknown, int cancelled) {}

    /**
     * An item and its outcome.
     *
     * @param state {@code pending}, {@code succeeded}, {@code failed}, {@code unknown} or {@code cancelled}
     * @param status the HTTP status the single call would have answered, once known
     * @param code its problem code, when it failed
     * @param result the body the single call would have answered (a problem detail when it failed)
     */
    @Schema(name = "BatchItemOutcome")
    record Item(
            int index,
            String operation,
            String state,
            @Nullable Integer status,
            @Nullable String code,

            @Schema(implementation = Object.class, description = "the single call's body") @Nullable
            JsonNode result) {}
}
