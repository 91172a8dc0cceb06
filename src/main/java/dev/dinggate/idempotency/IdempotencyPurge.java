package dev.dinggate.idempotency;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes keys past their expiry every hour, on every replica: the delete is the same whoever runs it,
 * so no replica needs to be chosen for it. Expired rows are ignored until then anyway.
 */
@Component
class IdempotencyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyPurge.class);

    private final IdempotencyStore store;
    private final Clock clock;

    IdempotencyPurge(IdempotencyStore store, ObjectProvider<Clock> clock) {
        this.store = store;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.HOURS)
    void purgeExpired() {
        try {
            int deleted = store.purgeExpired(clock.instant());
            if (deleted > 0) {
                log.info("Idempotency purge deleted {} expired key(s)", deleted);
            }
        } catch (DataAccessException unavailable) {
            // Nothing is lost: the rows are purged on the next round.
            log.warn("Idempotency purge skipped, database unavailable: {}", unavailable.getMessage());
        }
    }
}
