package dev.dinggate.dingtalk.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.PacingState;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Spaces the app's calls so that DingTalk never sees more than {@code qps} of them in a second.
 * Calls are spaced evenly rather than allowed in bursts: DingTalk counts per second, and a burst
 * at the end of one second followed by one at the start of the next would exceed it.
 * <p>
 * A call takes its turn only once its thread is awake and about to send: a turn reserved in
 * advance (Bucket4j's blocking consume) is lost to a thread that wakes late, and the next call,
 * on time, then follows it closer than the spacing. Taking turns when awake keeps the sends at least
 * one spacing apart, so 5 % headroom (50 ms a second) is enough for what remains between taking a
 * turn and the request reaching DingTalk. A call that finds no free turn queues in arrival order on a
 * fair lock and only the one at the head waits for the bucket, so waiting costs no CPU however many
 * wait; a call that has not had its turn within {@code maxWait} is refused as throttled.
 */
final class OutboundPacer {

    private static final long HEADROOM_PERCENT = 5;

    private final Bucket bucket;
    private final Duration maxWait;
    private final int qps;
    private final ReentrantLock queue = new ReentrantLock(true);
    private final AtomicLong refusedCalls = new AtomicLong();
    private final Timer waits;

    OutboundPacer(int qps, Duration maxWait, MeterRegistry meters) {
        if (qps < 1) {
            throw new IllegalArgumentException("dingtalk.rate-limit.qps must be at least 1, was " + qps);
        }
        long spacingNanos = 1_000_000_000L * (100 + HEADROOM_PERCENT) / 100 / qps;
        // Nanosecond precision: with Bucket4j's default of milliseconds, a free turn comes at most once a millisecond.
        this.bucket = Bucket.builder().withNanosecondPrecision()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofNanos(spacingNanos)))
                .build();
        this.maxWait = maxWait;
        this.qps = qps;
        this.waits = Timer.builder("dingtalk.pacing.wait")
                .description("Time calls waited for their turn under the app's QPS budget").register(meters);
    }

    /** Waits for this call's turn; refuses it as throttled if none comes within {@code maxWait}. */
    void awaitTurn(ApiCall call) {
        long start = System.nanoTime();
        long deadline = start + maxWait.toNanos();
        // A turn free right now is taken without queueing: the usual case below the budget, and a
        // fair lock's hand-offs would otherwise cost every call a thread switch.
        if (bucket.tryConsume(1)) {
            waits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return;
        }
        try {
            if (!queue.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw refusal(call);
            }
            try {
                takeTurnBefore(deadline, call);
            }
            finally {
                queue.unlock();
            }
        }
        catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            throw refusal(call);
        }
        finally {
            waits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void takeTurnBefore(long deadline, ApiCall call) throws InterruptedException {
        while (true) {
            ConsumptionProbe turn = bucket.tryConsumeAndReturnRemaining(1);
            if (turn.isConsumed()) {
                return;
            }
            long wait = turn.getNanosToWaitForRefill();
            if (System.nanoTime() + wait - deadline > 0) {
                throw refusal(call);
            }
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private DingTalkException.Throttled refusal(ApiCall call) {
        refusedCalls.incrementAndGet();
        return new DingTalkException.Throttled(call.name(), 0, "gateway.pacing", null, UpstreamCodes.DEFAULT_RETRY_AFTER);
    }

    PacingState state() {
        return new PacingState(qps, bucket.getAvailableTokens() > 0, refusedCalls.get());
    }
}
