package dev.dinggate.dingtalk.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.PacingState;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Spaces the app's calls so that DingTalk never sees more than {@code qps} of them in a second.
 * Calls are spaced evenly rather than allowed in bursts: DingTalk counts per second, and a burst
 * at the end of one second followed by one at the start of the next would exceed it. The spacing
 * has 10 % headroom (100 ms a second), so that calls bunched on their way (a late thread wake-up,
 * network jitter) still arrive at DingTalk no more than {@code qps} to a second.
 */
final class OutboundPacer {

    private final Bucket bucket;
    private final Duration maxWait;
    private final int qps;
    private final AtomicLong refused = new AtomicLong();
    private final Timer waits;

    OutboundPacer(int qps, Duration maxWait, MeterRegistry meters) {
        if (qps < 1) {
            throw new IllegalArgumentException("dingtalk.rate-limit.qps must be at least 1, was " + qps);
        }
        this.bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofNanos(1_100_000_000L / qps)))
                .build();
        this.maxWait = maxWait;
        this.qps = qps;
        this.waits = Timer.builder("dingtalk.pacing.wait")
                .description("Time calls waited for their turn under the app's QPS budget").register(meters);
    }

    /** Waits for this call's turn; refuses it as throttled when the queue is longer than {@code maxWait}. */
    void awaitTurn(ApiCall call) {
        long start = System.nanoTime();
        boolean granted;
        try {
            granted = maxWait.isPositive() ? bucket.asBlocking().tryConsume(1, maxWait) : bucket.tryConsume(1);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            granted = false;
        }
        waits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (!granted) {
            refused.incrementAndGet();
            throw new DingTalkException.Throttled(call.name(), 0, "gateway.pacing", null, UpstreamCodes.DEFAULT_RETRY_AFTER);
        }
    }

    PacingState state() {
        return new PacingState(qps, bucket.getAvailableTokens() > 0, refused.get());
    }
}
