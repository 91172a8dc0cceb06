package dev.dinggate.directory;

import static dev.dinggate.directory.Timestamps.micros;

import dev.dinggate.budget.BackgroundWork;
import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkContacts.UserPage;
import dev.dinggate.dingtalk.DingTalkDepartment;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Reads the whole organisation into the mirror: the departments from the root down, a level of {@code listsub} per
 * department, and each department's users a page of {@code user/list} at a time, several departments at once, as
 * background work (the batch's share of each API's quota, so that interactive calls keep the rest). Users and
 * departments it did not find are removed at the end; a sync that fails midway removes nothing. One replica at a
 * time runs it ({@link SyncLease}).
 */
@Component
@ConditionalOnBooleanProperty(name = "gateway.directory.enabled", matchIfMissing = true)
public class FullSync {

    private static final Logger log = LoggerFactory.getLogger(FullSync.class);

    private static final Duration RENEW_EVERY = SyncLease.LENGTH.dividedBy(3);

    /** This replica, as the holder of the lease. */
    private final UUID replica = UUID.randomUUID();

    private final AtomicBoolean running = new AtomicBoolean();
    private final DingTalkContacts contacts;
    private final MirrorWriter writer;
    private final SyncLease lease;
    private final DirectoryProperties properties;
    private final double quotaShare;
    private final Clock clock;
    private final Timer completed;
    private final Timer failed;

    FullSync(
            DingTalkContacts contacts,
            MirrorWriter writer,
            SyncLease lease,
            DirectoryProperties properties,
            @Value("${gateway.batch.quota-share:0.8}") double quotaShare,
            ObjectProvider<Clock> clock,
            MeterRegistry meters) {
        this.contacts = contacts;
        this.writer = writer;
        this.lease = lease;
        this.properties = properties;
        this.quotaShare = quotaShare;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.completed = timer(meters, "completed");
        this.failed = timer(meters, "failed");
    }

    /**
     * Runs one full sync now, due or not. Empty when one runs already, on this replica or another.
     *
     * @throws DingTalkException or {@link DataAccessException}, whatever stopped it: the mirror then keeps what it
     *     had, with what the sync wrote before it stopped
     */
    public Optional<FullSyncSummary> syncNow() {
        return run(state -> true);
    }

    /**
     * A full sync if one is due, the last having completed {@code interval} ago (or never); empty when none was due
     * or another replica runs it.
     */
    Optional<FullSyncSummary> syncIfDue(Duration interval) {
        return run(state -> state.dueAt(clock.instant(), interval, properties.fullSyncIntervalWithoutStream()));
    }

    private Optional<FullSyncSummary> run(Predicate<SyncLease.State> wanted) {
        if (!running.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            Instant start;
            try {
                SyncLease.State state = lease.read();
                start = micros(clock.instant());
                if (state.claimedAt(start) || !wanted.test(state) || !lease.claim(replica, start, state)) {
                    return Optional.empty();
                }
            } catch (DataAccessException unavailable) {
                log.warn("Directory full sync not started, database unavailable: {}", unavailable.getMessage());
                throw unavailable;
            }
            return Optional.of(claimed(start));
        } finally {
            running.set(false);
        }
    }

    private FullSyncSummary claimed(Instant start) {
        long began = System.nanoTime();
        Walk walk = new Walk(start);
        log.info("Directory full sync started");
        try {
            walk.run();
            MirrorWriter.Swept swept = writer.write(() -> {
                if (!lease.heldBy(replica)) {
                    throw new Stopped("its lease ran out and another replica took it over");
                }
                MirrorWriter.Swept removed = writer.removeUnconfirmedSince(start);
                lease.completed(replica, clock.instant());
                return removed;
            });
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            completed.record(took);
            FullSyncSummary summary = new FullSyncSummary(
                    walk.users.size(),
                    walk.departments.size(),
                    walk.calls.get(),
                    swept.users(),
                    swept.departments(),
                    took);
            log.info(
                    "Directory full sync completed in {} ms: {} users, {} departments, {} DingTalk calls, "
                            + "{} users and {} departments no longer found",
                    took.toMillis(),
                    summary.users(),
                    summary.departments(),
                    summary.calls(),
                    summary.removedUsers(),
                    summary.removedDepartments());
            return summary;
        } catch (RuntimeException stopped) {
            failed.record(Duration.ofNanos(System.nanoTime() - began));
            try {
                lease.failed(replica);
            } catch (DataAccessException unavailable) {
                // The lease runs out by itself; the failure then goes uncounted in the back-off.
                log.warn("Directory full sync could not give its lease back: {}", unavailable.getMessage());
            }
            log.warn(
                    "Directory full sync stopped after {} DingTalk calls, nothing removed, tried again later: {}",
                    walk.calls.get(),
                    stopped.toString());
            throw stopped;
        }
    }

    private static Timer timer(MeterRegistry meters, String outcome) {
        return Timer.builder("gateway.directory.full-syncs")
                .description("Full syncs of the directory mirror run by this replica, by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** One sync's reading of the organisation. */
    private final class Walk {

        private final Set<String> users = ConcurrentHashMap.newKeySet();
        private final Set<Long> departments = ConcurrentHashMap.newKeySet();
        private final AtomicLong calls = new AtomicLong();
        /** Set when the walk ends, by failure or not: no department makes another call. */
        private final AtomicBoolean over = new AtomicBoolean();

        private Instant renewedAt;

        Walk(Instant start) {
            this.renewedAt = start;
        }

        void run() {
            Instant readAt = clock.instant();
            DingTalkDepartment root = read(() -> contacts.department(MirrorWriter.ROOT));
            writer.upsertDepartments(List.of(root), readAt);
            departments.add(MirrorWriter.ROOT);
            ExecutorService workers = Executors.newFixedThreadPool(
                    properties.syncConcurrency(),
                    Thread.ofVirtual().name("directory-sync-", 0).factory());
            try {
                CompletionService<List<Long>> done = new ExecutorCompletionService<>(workers);
                done.submit(() -> department(MirrorWriter.ROOT));
                int pending = 1;
                while (pending > 0) {
                    Future<List<Long>> next = done.poll(RENEW_EVERY.toMillis() / 4, TimeUnit.MILLISECONDS);
                    renewIfDue();
                    if (next != null) {
                        pending--;
                        for (Long child : childrenOf(next)) {
                            if (departments.add(child)) {
                                done.submit(() -> department(child));
                                pending++;
                            }
                        }
                    }
                }
            } catch (InterruptedException interrupted) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
                throw new Stopped("the replica is shutting down");
            } finally {
                // After a failure the other departments stop at their next call; the one in flight is let finish
                // rather than interrupted, which would close its database connection mid-write.
                over.set(true);
                workers.close();
            }
        }

        /** One department: its sub-departments, then its users page by page; the sub-departments' ids. */
        private List<Long> department(long departmentId) {
            Instant readAt = clock.instant();
            List<DingTalkDepartment> children = read(() -> contacts.subDepartments(departmentId));
            writer.upsertDepartments(children, readAt);
            long cursor = 0;
            while (true) {
                Instant pageReadAt = clock.instant();
                long from = cursor;
                UserPage page = read(() -> contacts.usersIn(departmentId, from, properties.pageSize()));
                // A user in several departments is in several pages: written from the first of them.
                List<DingTalkUser> unseen = page.users().stream()
                        .filter(user -> users.add(user.userId()))
                        .toList();
                writer.upsertUsers(unseen, pageReadAt);
                if (!page.hasMore()) {
                    return children.stream().map(DingTalkDepartment::id).toList();
                }
                if (page.nextCursor() == cursor) {
                    throw new DingTalkException.UnexpectedResponse(
                            "contact.user.list", 200, "has_more with a next_cursor that does not move on");
                }
                cursor = page.nextCursor();
            }
        }

        private <T> T read(Supplier<T> call) {
            if (over.get()) {
                throw new Stopped("another department's read failed");
            }
            calls.incrementAndGet();
            return BackgroundWork.run(quotaShare, call);
        }

        private List<Long> childrenOf(Future<List<Long>> read) throws InterruptedException {
            try {
                return read.get();
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof RuntimeException stopped) {
                    throw stopped;
                }
                if (failed.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(failed.getCause());
            }
        }

        private void renewIfDue() {
            Instant now = clock.instant();
            if (!now.isBefore(renewedAt.plus(RENEW_EVERY))) {
                if (!lease.renew(replica, now)) {
                    throw new Stopped("its lease ran out and another replica took it over");
                }
                renewedAt = now;
            }
        }
    }

    /** The sync cannot go on, for a reason of the gateway's own rather than DingTalk's. */
    static final class Stopped extends RuntimeException {
        Stopped(String why) {
            super("directory full sync stopped: " + why, null, false, false);
        }
    }
}
