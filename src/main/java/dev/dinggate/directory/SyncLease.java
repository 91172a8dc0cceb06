package dev.dinggate.directory;

import static dev.dinggate.directory.Timestamps.instant;
import static dev.dinggate.directory.Timestamps.utc;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The full sync's lease in {@code directory_state}: one replica at a time holds it while it reads the whole
 * organisation, renews it while it runs, and gives it back when done; a replica that died leaves it to run out,
 * and the next to find it expired takes it over. A row update is atomic on both databases: of two replicas
 * claiming at once, one wins.
 */
@Component
class SyncLease {

    /** Longest a sync may go without renewing; a renewal comes every third of it. */
    static final Duration LENGTH = Duration.ofMinutes(2);

    /** First wait after a failed sync, doubled after each further failure. */
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);

    /**
     * The fleet's full-sync facts.
     *
     * @param failures syncs that failed since the last that completed
     */
    record State(
            @Nullable Instant lastFullSyncAt,
            @Nullable Instant startedAt,
            int failures,
            @Nullable UUID claimedBy,
            @Nullable Instant claimedUntil) {

        boolean claimedAt(Instant now) {
            return claimedUntil != null && claimedUntil.isAfter(now);
        }

        /**
         * Whether a sync is due: never completed, or the last completed {@code interval} ago; after failures, not
         * before the back-off has passed since the last one started.
         */
        boolean dueAt(Instant now, Duration interval, Duration longestRetry) {
            if (claimedAt(now)) {
                return false;
            }
            if (failures > 0 && startedAt != null && now.isBefore(startedAt.plus(retryAfter(longestRetry)))) {
                return false;
            }
            return lastFullSyncAt == null || !now.isBefore(lastFullSyncAt.plus(interval));
        }

        private Duration retryAfter(Duration longest) {
            Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 16));
            return wait.compareTo(longest) > 0 ? longest : wait;
        }
    }

    private final JdbcClient jdbc;

    SyncLease(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    State read() {
        return jdbc.sql("SELECT last_full_sync_at, full_sync_started_at, full_sync_failures, claimed_by, claimed_until "
                        + "FROM directory_state WHERE id = 1")
                .query((row, number) -> new State(
                        instant(row, "last_full_sync_at"),
                        instant(row, "full_sync_started_at"),
                        row.getInt("full_sync_failures"),
                        row.getObject("claimed_by", UUID.class),
                        instant(row, "claimed_until")))
                .single();
    }

    /**
     * Takes the lease for {@code replica} from {@code now}, if nobody holds it and no sync started since
     * {@code seen} was read (so that two replicas that both found a sync due run one).
     */
    boolean claim(UUID replica, Instant now, State seen) {
        Instant startedAt = seen.startedAt();
        JdbcClient.StatementSpec claim = jdbc.sql(
                        "UPDATE directory_state SET claimed_by = :replica, claimed_until = :until, "
                                + "full_sync_started_at = :now WHERE id = 1 "
                                + "AND (claimed_until IS NULL OR claimed_until <= :now) AND "
                                + (startedAt == null
                                        ? "full_sync_started_at IS NULL"
                                        : "full_sync_started_at = :startedAt"))
                .param("replica", replica)
                .param("until", utc(now.plus(LENGTH)))
                .param("now", utc(now));
        if (startedAt != null) {
            claim = claim.param("startedAt", utc(startedAt));
        }
        return claim.update() == 1;
    }

    /** False when the lease was lost: it ran out and another replica took it. */
    boolean renew(UUID replica, Instant now) {
        return jdbc.sql("UPDATE directory_state SET claimed_until = :until WHERE id = 1 AND claimed_by = :replica")
                        .param("until", utc(now.plus(LENGTH)))
                        .param("replica", replica)
                        .update()
                == 1;
    }

    /** Whether {@code replica} still holds the lease; in a mirror transaction, until it ends. */
    boolean heldBy(UUID replica) {
        return replica.equals(read().claimedBy());
    }

    /** The sync completed: the mirror is filled as of {@code at}, and the lease is free. */
    void completed(UUID replica, Instant at) {
        jdbc.sql("UPDATE directory_state SET last_full_sync_at = :at, full_sync_failures = 0, claimed_by = NULL, "
                        + "claimed_until = NULL WHERE id = 1 AND claimed_by = :replica")
                .param("at", utc(at))
                .param("replica", replica)
                .update();
    }

    /** The sync failed: counted for the back-off, and the lease is free. */
    void failed(UUID replica) {
        jdbc.sql("UPDATE directory_state SET full_sync_failures = full_sync_failures + 1, claimed_by = NULL, "
                        + "claimed_until = NULL WHERE id = 1 AND claimed_by = :replica")
                .param("replica", replica)
                .update();
    }
}
