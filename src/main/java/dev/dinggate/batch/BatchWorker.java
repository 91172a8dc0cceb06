package dev.dinggate.batch;

import java.time.Clock;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Works through a chunk of a batch's items, one after the other, each claimed ({@code sending}, committed)
 * before it is sent. Runs as db-scheduler's task on one replica at a time; a replica that took the batch
 * over from a dead one first marks what that one left in flight {@code unknown}.
 */
@Component
class BatchWorker {

    private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

    private final BatchStore store;
    private final ItemRunner runner;
    private final BatchProperties properties;
    private final Clock clock;

    BatchWorker(BatchStore store, ItemRunner runner, BatchProperties properties, ObjectProvider<Clock> clock) {
        this.store = store;
        this.runner = runner;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Works on the next chunk; true if items remain for another. */
    boolean workOn(UUID batchId, BooleanSupplier stopping) {
        BatchStore.StoredBatch batch = store.batch(batchId).orElse(null);
        if (batch == null || batch.state().equals("completed") || batch.state().equals("cancelled")) {
            return false;
        }
        // Between chunks nothing is in flight: an item still 'sending' was left by a replica that died.
        int abandoned = store.markAbandonedUnknown(batchId);
        if (abandoned > 0) {
            log.warn(
                    "Batch {}: {} item(s) were in flight on a replica that stopped; marked unknown",
                    batchId,
                    abandoned);
        }
        store.markRunning(batchId);
        for (BatchStore.StoredItem item : store.pending(batchId, properties.chunkSize())) {
            if (stopping.getAsBoolean()) {
                return true;
            }
            UUID auditEventId = UUID.randomUUID();
            if (!store.claim(batchId, item.index(), auditEventId)) {
                continue; // cancelled meanwhile
            }
            BatchStore.Outcome outcome =
                    runner.run(batchId, batch.creator(), item, auditEventId, properties.quotaShare());
            store.finish(batchId, item.index(), auditEventId, outcome);
        }
        return !store.completeIfDone(batchId, clock.instant());
    }
}
