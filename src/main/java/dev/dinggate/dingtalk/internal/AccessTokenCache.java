package dev.dinggate.dingtalk.internal;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.dingtalk.TokenState;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal app's access token, held in Caffeine so that however many callers ask, at most one
 * fetch is in flight. A token close to expiry is refreshed in the background while callers keep
 * using it; a token DingTalk rejected is dropped only if it is still the cached one, so a stale
 * failure can never throw away a token another caller has just fetched.
 */
final class AccessTokenCache {

    private static final Logger log = LoggerFactory.getLogger(AccessTokenCache.class);
    private static final String KEY = "app";

    private final AsyncLoadingCache<String, AccessToken> cache;
    private final TokenFetcher fetcher;
    private final Clock clock;
    private final Duration refreshAhead;
    private final MeterRegistry meters;
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile @Nullable String lastFailure;
    private volatile @Nullable Instant lastFailureAt;

    AccessTokenCache(
            TokenFetcher fetcher, Clock clock, Duration refreshAhead, Executor executor, MeterRegistry meters) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.refreshAhead = refreshAhead;
        this.meters = meters;
        this.cache = Caffeine.newBuilder()
                .executor(executor)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .expireAfter(Expiry.<String, AccessToken>writing((key, token) -> timeUntil(token.expiresAt())))
                .buildAsync(key -> fetchCounted());
    }

    /** A usable token: the cached one, or one fetched now (joining a fetch already in flight). */
    AccessToken current() {
        AccessToken token;
        try {
            token = cache.get(KEY).join();
        } catch (CompletionException failed) {
            throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
        }
        if (!clock.instant().isBefore(refreshDueAt(token))) {
            // Caffeine runs at most one refresh per key; callers keep the current token meanwhile.
            cache.synchronous().refresh(KEY);
        }
        return token;
    }

    /** Fetches a new token now (for operators), keeping the current one until the new one arrives. */
    TokenState refreshNow() {
        try {
            cache.synchronous().refresh(KEY).join();
        } catch (CompletionException failed) {
            // Recorded in the state returned below; the cached token, if any, stays in use.
        }
        return state();
    }

    TokenState state() {
        CompletableFuture<AccessToken> current = cache.asMap().get(KEY);
        AccessToken token =
                current != null && current.isDone() && !current.isCompletedExceptionally() ? current.join() : null;
        return new TokenState(
                token == null ? null : token.fetchedAt(),
                token == null ? null : token.expiresAt(),
                fetches.get(),
                consecutiveFailures.get(),
                lastFailure,
                lastFailureAt);
    }

    private AccessToken fetchCounted() {
        try {
            AccessToken token = fetcher.fetch();
            fetches.incrementAndGet();
            consecutiveFailures.set(0);
            meters.counter("dingtalk.token.fetches", "outcome", "success").increment();
            return token;
        } catch (RuntimeException failed) {
            consecutiveFailures.incrementAndGet();
            lastFailureAt = clock.instant();
            lastFailure = failed instanceof DingTalkException upstream
                    ? upstream.getClass().getSimpleName() + " " + Objects.toString(upstream.upstreamCode(), "")
                    : failed.getClass().getSimpleName();
            meters.counter("dingtalk.token.fetches", "outcome", "failure").increment();
            // One line here; Caffeine's own WARN with a stack for a failed background refresh is turned off
            // in application.yml (logging.level.com.github.benmanes.caffeine).
            log.warn(
                    "Fetching a DingTalk access token failed: {} ({} in a row)",
                    lastFailure,
                    consecutiveFailures.get());
            throw failed;
        }
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
