package dev.dinggate.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Duration;

/** Buckets in this process's memory; a client's bucket is forgotten once the client has gone quiet. */
final class LocalBudgets {

    private static final Duration FORGET_IDLE_AFTER = Duration.ofMinutes(10);

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(FORGET_IDLE_AFTER)
            .maximumSize(100_000)
            .build();
    private final TimeMeter time;

    LocalBudgets(TimeMeter time) {
        this.time = time;
    }

    Bucket bucket(String key, BucketConfiguration configuration) {
        return bucket(key, configuration, 0);
    }

    /** The bucket {@code key}; a new one starts {@code owedTurns} in debt, so that its first turn comes that late. */
    Bucket bucket(String key, BucketConfiguration configuration, long owedTurns) {
        return buckets.get(key, unused -> {
            LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(time);
            for (Bandwidth limit : configuration.getBandwidths()) {
                builder.addLimit(limit);
            }
            Bucket bucket = builder.build();
            if (owedTurns > 0) {
                bucket.consumeIgnoringRateLimits(owedTurns);
            }
            return bucket;
        });
    }

    /** Forgets every bucket: the next use of a key starts a new one. */
    void clear() {
        buckets.invalidateAll();
    }
}
