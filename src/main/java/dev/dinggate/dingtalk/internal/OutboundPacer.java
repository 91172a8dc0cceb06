package dev.dinggate.dingtalk.internal;

import dev.dinggate.budget.BackgroundWork;
import dev.dinggate.budget.BudgetState;
import dev.dinggate.budget.Budgets;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.DingTalkProperties;
import dev.dinggate.dingtalk.PacingState;
import io.github.bucket4j.BlockingStrategy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Gives each DingTalk call its turn under the app's budget for that API. DingTalk counts every API of
 * an app on its own, and counts the app, not the process, so each API has one budget for the whole
 * fleet ({@link Budgets}). A turn is reserved in arrival order in one step and waited for here. Turns
 * are spaced evenly, {@code headroom-percent} wider than the quota, because DingTalk counts per
 * wall-clock second: a burst at the end of one second and another at the start of the next would
 * exceed it; the spacing keeps every second within the quota for calls delayed on their way by up to
 * as many hundredths of a second. A call whose turn is further away than {@code max-wait} is refused
 * as throttled.
 *
 * <p>Background work ({@link BackgroundWork}: a batch's items) first takes a turn in a lane of its own, a
 * second budget per API of the given share of the quota, and then queues for the API's budget like any
 * call. Background calls thus never take more than their share of the fleet's turns, and an interactive
 * call finds at most a few of them queued ahead of it. A background call waits in its lane as long as it
 * takes: nobody is holding a connection open for it.
 */
final class OutboundPacer {

    private final Budgets budgets;
    private final DingTalkProperties.RateLimit limits;
    private final Clock clock;
    private final BlockingStrategy parking;
    private final MeterRegistry meters;
    private final Map<String, ApiBudget> apis = new ConcurrentHashMap<>();
    private final Map<String, BackgroundLane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong refusedCalls = new AtomicLong();

    OutboundPacer(
            Budgets budgets,
            DingTalkProperties.RateLimit limits,
            Clock clock,
            BlockingStrategy parking,
            MeterRegistry meters) {
        this.budgets = budgets;
        this.limits = limits;
        this.clock = clock;
        this.parking = parking;
        this.meters = meters;
    }

    /** Waits for this call's turn; refuses it as throttled if none comes within {@code max-wait}. */
    void awaitTurn(ApiCall call) {
        Double backgroundShare = BackgroundWork.share();
        if (backgroundShare != null) {
            awaitBackgroundTurn(call, backgroundShare);
        }
        ApiBudget budget = apis.computeIfAbsent(call.name(), this::budgetOf);
        long start = System.nanoTime();
        Instant giveUpAt = clock.instant().plus(limits.maxWait());
        boolean onTime = false;
        try {
            while (!onTime) {
                Duration left = Duration.between(clock.instant(), giveUpAt);
                Instant turn = left.isNegative() ? null : takeTurn(budget, left);
                if (turn == null) {
                    break;
                }
                onTime = !wokeLate(budget, turn);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            budget.waits().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        if (!onTime) {
            refusedCalls.incrementAndGet();
            throw new DingTalkException.Throttled(
                    call.name(), 0, "gateway.pacing", null, UpstreamCodes.DEFAULT_RETRY_AFTER);
        }
    }

    /** Waits, however long it takes, for a turn in the API's background lane; only a shutdown ends the wait. */
    private void awaitBackgroundTurn(ApiCall call, double share) {
        int qps = Math.max(1, (int) Math.floor(limits.qpsOf(call.name()) * share));
        BackgroundLane lane = lanes.computeIfAbsent(call.name() + "@" + qps, key -> laneOf(call.name(), qps));
        long start = System.nanoTime();
        try {
            while (reserve(lane.key(), lane.limits(), limits.maxWait()) == null) {
                // Bucket4j refuses at once a turn further away than max-wait: the lane is that crowded, so
                // look again a while later rather than at once.
                parking.park(limits.maxWait().toNanos() / 10);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            refusedCalls.incrementAndGet();
            throw new DingTalkException.Throttled(
                    call.name(), 0, "gateway.pacing", null, UpstreamCodes.DEFAULT_RETRY_AFTER);
        } finally {
            lane.waits().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private BackgroundLane laneOf(String api, int qps) {
        // No headroom here: every background call then takes a turn in the API's own budget, whose spacing
        // already keeps DingTalk's seconds within the quota. A second headroom would only slow batches
        // (5 % of a batch's time in bench/batch.sh) without keeping anything safer.
        return new BackgroundLane(
                "dingtalk:" + api + ":background:" + qps + "qps",
                Budgets.Limits.spaced(qps, 0, limits.maxWait()),
                Timer.builder("dingtalk.pacing.background.wait")
                        .tag("api", api)
                        .description("Time background calls (batch items) waited for a turn in their lane")
                        .register(meters));
    }

    private @Nullable Instant takeTurn(ApiBudget budget, Duration maxWait) throws InterruptedException {
        return reserve(budget.key(), budget.limits(), maxWait);
    }

    /**
     * Reserves a turn in the budget store and waits for it here, outside the store; the turn's time, or
     * null when none comes within {@code maxWait}.
     */
    private @Nullable Instant reserve(String key, Budgets.Limits budgetLimits, Duration maxWait)
            throws InterruptedException {
        AtomicLong waitNanos = new AtomicLong();
        boolean reserved = budgets.use(
                Budgets.Kind.QUOTA,
                key,
                budgetLimits,
                bucket -> bucket.asBlocking().tryConsume(1, maxWait, waitNanos::set));
        if (!reserved) {
            return null;
        }
        // The store counted the wait from a moment within its transaction, before its update and commit;
        // counted from the transaction's end, the turn seems later than it is by those few milliseconds.
        Instant turn = clock.instant().plusNanos(waitNanos.get());
        if (waitNanos.get() > 0) {
            parking.park(waitNanos.get());
        }
        return turn;
    }

    /**
     * Whether the thread woke further past its turn than the spacing absorbs. After a pause (a long
     * garbage collection, a starved machine) every thread whose turn fell into it wakes at once; sent
     * together, they would put more than the quota into one second at DingTalk. Such a turn is given
     * up, and the call takes the next free one.
     */
    private boolean wokeLate(ApiBudget budget, Instant turn) {
        boolean late = Duration.between(turn, clock.instant()).compareTo(budget.delayAbsorbed()) > 0;
        if (late) {
            budget.lateTurns().increment();
        }
        return late;
    }

    PacingState state() {
        BudgetState store = budgets.state();
        Map<String, Integer> seen = new TreeMap<>();
        apis.forEach((api, budget) -> seen.put(api, budget.qps()));
        return new PacingState(
                store.store(),
                limits.qps(),
                seen,
                store.fallbackReplicas(),
                store.fallbackSince(),
                store.fallbackReason(),
                refusedCalls.get());
    }

    private ApiBudget budgetOf(String api) {
        int qps = limits.qpsOf(api);
        int headroom = limits.headroomPercent();
        Gauge.builder("dingtalk.pacing.budget", () -> qps)
                .tag("api", api)
                .description("Calls per second the fleet may make to this DingTalk API")
                .register(meters);
        // The settings are part of the key: replicas configured differently (in a rolling update) keep apart.
        return new ApiBudget(
                "dingtalk:" + api + ":" + qps + "qps+" + headroom + "%",
                qps,
                Budgets.Limits.spaced(qps, headroom, limits.maxWait()),
                // Turns (1 + headroom) / qps apart keep a second within the quota for calls up to this late.
                Duration.ofMillis(10L * headroom),
                Timer.builder("dingtalk.pacing.wait")
                        .tag("api", api)
                        .description("Time calls waited for their turn under the API's budget")
                        .register(meters),
                Counter.builder("dingtalk.pacing.late")
                        .tag("api", api)
                        .description("Turns given up because the thread woke too late to send on time")
                        .register(meters));
    }

    private record BackgroundLane(String key, Budgets.Limits limits, Timer waits) {}

    private record ApiBudget(
            String key, int qps, Budgets.Limits limits, Duration delayAbsorbed, Timer waits, Counter lateTurns) {}
}
