package dev.dinggate.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Mirrored users kept in memory, so that the busiest read (a user card) does not cost a database round trip
 * each time. It answers only while the fleet's writes reach it: {@link MirrorChangeListener} switches it on
 * while it holds its PostgreSQL {@code LISTEN} and every write of any replica names the users it touched
 * ({@link MirrorWriter}); off (H2, the listener down, {@code read-cache-time} 0) every read goes to the database.
 * Entries also expire after {@code gateway.directory.read-cache-time}, a bound for a notification lost without
 * the connection noticing.
 */
@Component
class MirrorReadCache {

    /** About 1 KB a user: a large organisation's busy part fits in some tens of MB of heap. */
    private static final long MAXIMUM_USERS = 50_000;

    private final Cache<String, UserDetails> users;
    private final boolean enabled;
    /** Moves on every eviction: a load that saw it move may have read what the eviction was for. */
    private final AtomicLong evictions = new AtomicLong();

    private volatile boolean live;

    @Autowired
    MirrorReadCache(DirectoryProperties properties, MeterRegistry meters) {
        this(properties.enabled() ? properties.readCacheTime() : Duration.ZERO);
        // cache_gets{result=hit|miss}, cache_size, cache_evictions for operators; whether it answers at all:
        CaffeineCacheMetrics.monitor(meters, users, "directory-users");
        Gauge.builder("gateway.directory.read-cache.live", this, cache -> cache.live ? 1 : 0)
                .description("1 while this replica answers mirrored users from memory (its notifications listen)")
                .register(meters);
    }

    /** @param time how long a user is kept at most; zero: the cache is off */
    MirrorReadCache(Duration time) {
        this.enabled = time.isPositive();
        this.users = Caffeine.newBuilder()
                .maximumSize(MAXIMUM_USERS)
                .expireAfterWrite(enabled ? time : Duration.ofSeconds(1))
                .recordStats()
                .build();
    }

    /** Whether the cache may be used at all: the mirror is on and the cache time positive. */
    boolean enabled() {
        return enabled;
    }

    /** The user from memory when the cache is live, else (or on a miss) from {@code load}. */
    Optional<UserDetails> user(String userId, Function<String, Optional<UserDetails>> load) {
        if (!live) {
            return load.apply(userId);
        }
        UserDetails cached = users.getIfPresent(userId);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = evictions.get();
        Optional<UserDetails> loaded = load.apply(userId);
        loaded.ifPresent(user -> {
            users.put(userId, user);
            // An eviction since the load began may have been for a write the load did not see: drop what was
            // put rather than keep it until it expires (at worst, the next read loads it again).
            if (evictions.get() != before) {
                users.invalidate(userId);
            }
        });
        return loaded;
    }

    /** Users some replica's committed write touched. */
    void evict(Collection<String> userIds) {
        evictions.incrementAndGet();
        users.invalidateAll(userIds);
    }

    /** Every user: a write too large to name them all, or notifications that may have been missed. */
    void evictAll() {
        evictions.incrementAndGet();
        users.invalidateAll();
    }

    /**
     * Starts or stops answering from memory. Whatever was kept is dropped either way: writes made while nobody
     * listened were not seen.
     */
    void live(boolean live) {
        this.live = false;
        evictAll();
        this.live = live && enabled;
    }

    boolean live() {
        return live;
    }
}
