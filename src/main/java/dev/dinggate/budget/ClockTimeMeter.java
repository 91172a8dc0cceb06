package dev.dinggate.budget;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/**
 * Bucket4j's time from a {@link Clock}: the wall clock in nanoseconds (Bucket4j's own default for
 * shared buckets counts milliseconds, too coarse for turns 50 ms apart), and a clock tests move by hand.
 */
public final class ClockTimeMeter implements TimeMeter {

    private final Clock clock;

    public ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Shared buckets need wall-clock time: every replica must agree on what "now" is. */
    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
