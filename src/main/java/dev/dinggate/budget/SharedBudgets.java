package dev.dinggate.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Budgets every replica shares, in PostgreSQL through Bucket4j: one row per budget, each turn one
 * short transaction ({@code SELECT ... FOR UPDATE}, {@code UPDATE}) that reserves it, the wait for it
 * spent locally. A turn the database fails (refused, or no answer within {@code store-timeout}, see
 * {@link BudgetStore}) is taken from this replica's own share instead ({@code budget / fallback-replicas}),
 * and so is every turn after it until a probe finds the database answering again; a circuit breaker
 * (Resilience4j) keeps that state.
 */
final class SharedBudgets implements Budgets, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedBudgets.class);
    /** A client's bucket row outlives its last use by this long once it is full again. */
    private static final Duration KEEP_IDLE_CLIENT = Duration.ofMinutes(1);

    private static final int PURGE_BATCH = 500;

    private final ProxyManager<String> quotas;
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> clients;
    private final LocalBudgets fallback;
    private final int fallbackReplicas;
    private final DataSource store;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService chores = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("budget-chores").factory());
    private final Duration probeInterval;
    private final Timer quotaTurns;
    private final Timer clientTurns;
    private final Set<String> settledKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, Bucket> quotaBuckets = new ConcurrentHashMap<>();
    private final Cache<String, Bucket> clientBuckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();
    private volatile @Nullable Instant fallbackSince;
    private volatile @Nullable Instant returnedAt;
    private volatile @Nullable String fallbackReason;

    SharedBudgets(DataSource store, TimeMeter time, Clock clock, BudgetProperties properties, MeterRegistry meters) {
        this.store = store;
        this.clock = clock;
        this.fallback = new LocalBudgets(time);
        this.fallbackReplicas = properties.fallbackReplicas();
        this.probeInterval = properties.probeInterval();
        this.quotas = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(store)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("quota_budget")
                .clientClock(time)
                .build();
        this.clients = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(store)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("client_budget")
                .clientClock(time)
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_IDLE_CLIENT))
                .build();
        this.breaker = CircuitBreaker.of(
                "budget-store",
                CircuitBreakerConfig.custom()
                        // One failed turn is enough: every call waiting on a dead database would cost callers
                        // store-timeout.
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(1)
                        .minimumNumberOfCalls(1)
                        .failureRateThreshold(100)
                        .waitDurationInOpenState(properties.probeInterval())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.StateTransition transition = event.getStateTransition();
            if (transition.getFromState() == CircuitBreaker.State.CLOSED) {
                fellBack();
            } else if (transition.getToState() == CircuitBreaker.State.CLOSED) {
                cameBack();
            }
        });
        Gauge.builder("dingtalk.pacing.shared", this, budgets -> budgets.state().shared() ? 1 : 0)
                .description("1 while turns come from the budget every replica shares, 0 while this replica "
                        + "spends its fallback share because the database cannot be reached")
                .register(meters);
        this.quotaTurns = storeTimer(meters, Kind.QUOTA);
        this.clientTurns = storeTimer(meters, Kind.CLIENT);
        // The first turns of a cold replica load classes and open connections, which can take longer than the
        // store timeout: done before the replica reports ready, not on a caller's time.
        warmUp();
        long probeMillis = properties.probeInterval().toMillis();
        chores.scheduleWithFixedDelay(this::probeIfFallenBack, probeMillis, probeMillis, TimeUnit.MILLISECONDS);
        chores.scheduleWithFixedDelay(this::purgeIdleClients, 1, 1, TimeUnit.MINUTES);
    }

    @Override
    public <T> T use(Kind kind, String key, Limits limits, BucketOperation<T> operation) throws InterruptedException {
        // While fallen back only the probe asks the database: a call it answered in between would take a turn
        // from the fleet's budget before the turns this replica reserved from its share are spent.
        if (breaker.getState() == CircuitBreaker.State.CLOSED && breaker.tryAcquirePermission()) {
            T result = fromFleetBudget(kind, key, limits, operation);
            if (result != null) {
                return result;
            }
        }
        // A share starts in debt for as long as turns reserved from the fleet's budget may still be pending.
        long owed = kind == Kind.QUOTA ? limits.turnsIn(limits.reservedAhead(), fallbackReplicas) : 0;
        return operation.apply(fallback.bucket(key, limits.share(fallbackReplicas), owed));
    }

    /** The operation on the fleet's bucket, or null when the database failed it (and the breaker was told). */
    private <T> @Nullable T fromFleetBudget(Kind kind, String key, Limits limits, BucketOperation<T> operation)
            throws InterruptedException {
        long start = System.nanoTime();
        try {
            T result = onRowOf(kind, key, limits, operation);
            long took = System.nanoTime() - start;
            (kind == Kind.QUOTA ? quotaTurns : clientTurns).record(took, TimeUnit.NANOSECONDS);
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException failure) {
            // Bucket4j reports the database's failures as BucketExecutionException, within a batch wrapped once more.
            boolean storeFailed = failure instanceof BucketExceptions.BucketExecutionException
                    || failure.getCause() instanceof BucketExceptions.BucketExecutionException;
            // A caller that gave up (a walk cancelled, a client gone) does not make the database unreachable.
            boolean interrupted = Thread.currentThread().isInterrupted()
                    || NestedExceptionUtils.getRootCause(failure) instanceof InterruptedException;
            if (!storeFailed || interrupted) {
                breaker.releasePermission();
                if (interrupted) {
                    throw new InterruptedException("interrupted while taking a turn");
                }
                throw failure;
            }
            fallbackReason = describe(failure);
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
            return null;
        } catch (InterruptedException stopped) {
            breaker.releasePermission();
            throw stopped;
        }
    }

    /**
     * The operation on the budget's row. Bucket4j's batching cannot create a row it has not seen in a
     * batch of several turns (BucketNotFoundException): such a first turn is taken alone, which creates it.
     */
    private <T> T onRowOf(Kind kind, String key, Limits limits, BucketOperation<T> operation)
            throws InterruptedException {
        Bucket bucket = remote(kind, key, limits);
        if (kind == Kind.QUOTA) {
            holdBackUntilSharesAreSpent(key, bucket, limits);
        }
        try {
            return operation.apply(bucket);
        } catch (RuntimeException failure) {
            if (!(NestedExceptionUtils.getRootCause(failure) instanceof BucketNotFoundException)) {
                throw failure;
            }
            return operation.apply(
                    (kind == Kind.QUOTA ? quotas : clients).builder().build(key, limits::fleet));
        }
    }

    /**
     * One proxy per budget, so that Bucket4j's batching can send the turns that callers of one budget ask
     * for at the same time to the database together, in arrival order, as one transaction: the budget's
     * row then sees at most one transaction per replica at a time, however many callers queue.
     */
    private Bucket remote(Kind kind, String key, Limits limits) {
        if (kind == Kind.QUOTA) {
            return quotaBuckets.computeIfAbsent(key, unused -> batched(quotas, key, limits));
        }
        return clientBuckets.get(key, unused -> batched(clients, key, limits));
    }

    private static Bucket batched(ProxyManager<String> rows, String key, Limits limits) {
        return rows.builder().withOptimization(Optimizations.batching()).build(key, limits::fleet);
    }

    /**
     * After a fallback, the fleet's budget grants no turn before every replica may have noticed that the
     * database is back (a probe interval) and spent the turns it had reserved from its share (reserved
     * ahead): each replica that comes back pushes the budget's next turn at least that far out.
     */
    private void holdBackUntilSharesAreSpent(String key, Bucket bucket, Limits limits) {
        Instant returned = returnedAt;
        if (returned == null || settledKeys.contains(key)) {
            return;
        }
        Duration untilResume =
                Duration.between(clock.instant(), returned.plus(probeInterval).plus(limits.reservedAhead()));
        Duration alreadyAhead =
                Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
        long owed = limits.turnsIn(untilResume.minus(alreadyAhead), 1);
        if (owed > 0) {
            bucket.consumeIgnoringRateLimits(owed);
        }
        settledKeys.add(key);
    }

    @Override
    public BudgetState state() {
        Instant since = fallbackSince;
        return since == null
                ? new BudgetState("shared", fallbackReplicas, null, null)
                : new BudgetState("fallback", fallbackReplicas, since, fallbackReason);
    }

    private void fellBack() {
        fallbackSince = clock.instant();
        fallback.clear();
        log.warn(
                "The shared DingTalk budget cannot be reached ({}): this replica paces at its fallback share "
                        + "(budget / {}) until the database answers again",
                fallbackReason,
                fallbackReplicas);
    }

    private void cameBack() {
        if (fallbackSince != null) {
            log.info("The shared DingTalk budget answers again: back to the budget every replica shares");
            settledKeys.clear();
            returnedAt = clock.instant();
        }
        fallbackSince = null;
        fallbackReason = null;
    }

    private static Timer storeTimer(MeterRegistry meters, Kind kind) {
        return Timer.builder("gateway.budget.store")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .description("Time a turn took at the database every replica shares (one transaction)")
                .register(meters);
    }

    /** A few turns on a budget of no consequence, past the breaker: a slow first one must not count as a failure. */
    private void warmUp() {
        Limits plenty = Limits.tokens(1, 1000);
        try {
            for (Kind kind : Kind.values()) {
                Bucket bucket = remote(kind, "gateway:warm-up", plenty);
                for (int turn = 0; turn < 3; turn++) {
                    bucket.tryConsume(1);
                }
            }
        } catch (RuntimeException notNow) {
            log.debug("Budget store not warmed up: {}", describe(notNow));
        }
    }

    /** While fallen back, asks the database whether it answers; the breaker closes when it does. */
    private void probeIfFallenBack() {
        if (breaker.getState() == CircuitBreaker.State.CLOSED || !breaker.tryAcquirePermission()) {
            return;
        }
        long start = System.nanoTime();
        try {
            JdbcClient.create(store).sql("SELECT 1").query(Integer.class).single();
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (RuntimeException stillDown) {
            fallbackReason = describe(stillDown);
            breaker.onError(
                    System.nanoTime() - start,
                    TimeUnit.NANOSECONDS,
                    new BucketExceptions.BucketExecutionException(stillDown));
        }
    }

    private void purgeIdleClients() {
        if (breaker.getState() != CircuitBreaker.State.CLOSED) {
            return;
        }
        try {
            while (clients.removeExpired(PURGE_BATCH) == PURGE_BATCH) {
                // another batch
            }
        } catch (RuntimeException notNow) {
            log.debug("Idle client budgets not purged this time: {}", describe(notNow));
        }
    }

    /** The failure's kind and its innermost message: enough for an operator, and no password is ever in it. */
    private static String describe(Throwable failure) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    @Override
    public void close() throws IOException {
        chores.shutdownNow();
        if (store instanceof Closeable pool) {
            pool.close();
        }
    }
}
