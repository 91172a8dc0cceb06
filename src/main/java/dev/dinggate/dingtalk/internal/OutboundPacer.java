package dev.dinggate.dingtalk.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

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
 * turn and the request reaching DingTalk. Waiting callers are not served in arrival order; one that
 * has not had a turn within {@code maxWait} is refused as throttled.
 */
final class OutboundPacer {

    private static final long HEADROOM_PERCENT = 5;

    private final Bucket bucket;
    private final Duration maxWait;
    private final int qps;
    private final AtomicLong refused = new AtomicLong();
    private final Timer waits;

    OutboundPacer(int qps, Duration maxWait, MeterRegistry meters) {
        if (qps < 1) {
            throw new IllegalArgumentException("dingtalk.rate-limit.qps must be at least 1, was " + qps);
        }
        long spacingNanos = 1_000_000_000L * (100 + HEADROOM_PERCENT) / 100 / qps;
        this.bucket = Bucket.builder()
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
        try {
            while (true) {
                ConsumptionProbe turn = bucket.tryConsumeAndReturnRemaining(1);
                if (turn.isConsumed()) {
                    return;
                }
                long wake = System.nanoTime() + turn.getNanosToWaitForRefill();
                if (wake - deadline > 0 || Thread.currentThread().isInterrupted()) {
                    refused.incrementAndGet();
                    throw new DingTalkException.Throttled(call.name(), 0, "gateway.pacing", null,
                            UpstreamCodes.DEFAULT_RETRY_AFTER);
                }
                LockSupport.parkNanos(turn.getNanosToWaitForRefill());
            }
        }
        finally {
            waits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    PacingState state() {
        return new PacingState(qps, bucket.getAvailableTokens() > 0, refused.get());
    }
}
