package dev.dinggate.budget;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Clock;
import java.time.Duration;

/**
 * Named rate budgets (Bucket4j buckets). Where they live is the implementation's business: this
 * process's memory, or the database every replica shares.
 */
public interface Budgets {

    /** Budgets of this process alone, on {@code clock}: nothing shared (the sandbox, tests without a database). */
    static Budgets inMemory(Clock clock) {
        return new InMemoryBudgets(new LocalBudgets(new ClockTimeMeter(clock)), 1);
    }

    /**
     * Runs {@code operation} on the bucket {@code key} of {@code kind}. A shared store that cannot be
     * reached is not the caller's problem: the operation then runs on this replica's own bucket, built
     * from {@code limits} with every rate divided by the fleet's fallback share. The operation should
     * reserve rather than wait (Bucket4j's blocking API with a strategy that only notes the wait): the
     * wait belongs to the caller, not to the store.
     */
    <T> T use(Kind kind, String key, Limits limits, BucketOperation<T> operation) throws InterruptedException;

    /** Where turns come from right now, for operators. */
    BudgetState state();

    /** What a budget is for, which decides how long an idle one is kept. */
    enum Kind {
        /** A DingTalk quota: a handful of keys, kept for good. */
        QUOTA,
        /** A client's request budget: one key per client, dropped once idle and full again. */
        CLIENT
    }

    /**
     * A bucket: {@code capacity} turns at most, {@code rate} more every {@code period}, spread evenly over it.
     *
     * @param reservedAhead how far ahead of now a turn may be reserved (a caller's longest wait): when the
     *        fleet's budget is lost or found again, turns reserved under the other regime may still be
     *        pending this long, and new ones are held back until they are spent
     */
    record Limits(long capacity, long rate, Duration period, Duration reservedAhead) {

        /** One turn at a time, {@code perSecond} of them in a second {@code headroomPercent} longer than one. */
        public static Limits spaced(long perSecond, int headroomPercent, Duration reservedAhead) {
            return new Limits(1, perSecond, Duration.ofMillis(10L * (100 + headroomPercent)), reservedAhead);
        }

        /** A burst of {@code capacity}, refilled at {@code perSecond}; nothing is reserved ahead. */
        public static Limits tokens(long capacity, long perSecond) {
            return new Limits(capacity, perSecond, Duration.ofSeconds(1), Duration.ZERO);
        }

        /** The budget the whole fleet shares. */
        public BucketConfiguration fleet() {
            return share(1);
        }

        /**
         * One replica's part of it when it must do without the others: a whole number of turns a period
         * each, so that {@code replicas} evenly spaced shares, however they fall, never put more than
         * {@code rate} turns into one period together.
         */
        public BucketConfiguration share(int replicas) {
            long shareCapacity = Math.max(1, capacity / replicas);
            long shareRate = Math.max(1, rate / replicas);
            return BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(shareCapacity).refillGreedy(shareRate, period))
                    .build();
        }

        /** Turns of a share of {@code replicas} that, one after the other, span {@code span}, rounded up. */
        long turnsIn(Duration span, int replicas) {
            long shareRate = Math.max(1, rate / replicas);
            return span.isNegative() || span.isZero()
                    ? 0
                    : Math.ceilDiv(Math.multiplyExact(span.toNanos(), shareRate), period.toNanos());
        }
    }

    /** Something done with a bucket: a reservation, a plain try. */
    @FunctionalInterface
    interface BucketOperation<T> {
        T apply(Bucket bucket) throws InterruptedException;
    }
}
