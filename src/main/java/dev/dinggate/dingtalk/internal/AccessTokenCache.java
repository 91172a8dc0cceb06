package dev.dinggate.dingtalk.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * The internal app's access token, held in Caffeine so that however many callers ask, at most one
 * fetch is in flight. A token close to expiry is refreshed in the background while callers keep
 * using it; a token DingTalk rejected is dropped only if it is still the cached one, so a stale
 * failure can never throw away a token another caller has just fetched.
 */
final class AccessTokenCache {

    private static final String KEY = "app";

    private final AsyncLoadingCache<String, AccessToken> cache;
    private final Clock clock;
    private final Duration refreshAhead;

    AccessTokenCache(TokenFetcher fetcher, Clock clock, Duration refreshAhead, Executor executor) {
        this.clock = clock;
        this.refreshAhead = refreshAhead;
        this.cache = Caffeine.newBuilder()
                .executor(executor)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .expireAfter(Expiry.<String, AccessToken>writing((key, token) -> timeUntil(token.expiresAt())))
                .buildAsync(key -> fetcher.fetch());
    }

    /** A usable token: the cached one, or one fetched now (joining a fetch already in flight). */
    AccessToken current() {
        AccessToken token;
        try {
            token = cache.get(KEY).join();
        }
        catch (CompletionException failed) {
            throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
        }
        if (!clock.instant().isBefore(refreshDueAt(token))) {
            // Caffeine runs at most one refresh per key; callers keep the current token meanwhile.
            cache.synchronous().refresh(KEY);
        }
        return token;
    }

    /** Drops {@code rejected} if, and only if, it is still the cached token. */
    void invalidate(AccessToken rejected) {
        cache.synchronous().asMap().remove(KEY, rejected);
    }

    private Instant refreshDueAt(AccessToken token) {
        // Never refresh earlier than half-way through a token's life, or a short-lived token
        // (lifetime under refresh-ahead) would trigger a fetch on every call.
        Duration lifetime = Duration.between(token.fetchedAt(), token.expiresAt());
        Duration ahead = refreshAhead.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : refreshAhead;
        return token.expiresAt().minus(ahead);
    }

    private Duration timeUntil(Instant instant) {
        Duration left = Duration.between(clock.instant(), instant);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
