package dev.dinggate.budget;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where the budgets are kept right now.
 *
 * @param store {@code shared} (the database, every replica), {@code fallback} (this replica's share
 *        while the database cannot be reached) or {@code local} (nothing is shared)
 * @param fallbackReplicas the replica count a fallback share assumes
 * @param fallbackSince when the replica fell back, if it has
 * @param fallbackReason why, if it has: the kind of failure, never a connection string
 */
public record BudgetState(
        String store,
        int fallbackReplicas,
        @Nullable Instant fallbackSince,
        @Nullable String fallbackReason) {

    public boolean shared() {
        return store.equals("shared");
    }
}
