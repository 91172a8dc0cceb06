package dev.dinggate.audit;

import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A change made as an item of a batch: the batch's id goes into the audit row, and the row's id is the
 * one the batch chose beforehand and stored with the item, so that an item whose outcome is unknown
 * can be settled later through its audit row. Set around the feature's call by the batch worker,
 * which runs one item per thread at a time.
 *
 * @param batchId the batch
 * @param auditEventId the id the item's audit row is written under
 */
public record BatchAttempt(UUID batchId, UUID auditEventId) {

    private static final ThreadLocal<@Nullable BatchAttempt> CURRENT = new ThreadLocal<>();

    /** Runs {@code change} (a feature's audited change) as this attempt. */
    public <T> T run(Supplier<T> change) {
        BatchAttempt outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return change.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The attempt the current thread makes, if any. */
    static @Nullable BatchAttempt current() {
        return CURRENT.get();
    }
}
