package dev.dinggate.dingtalk;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What operators may know about the access token: never the token itself.
 *
 * @param fetchedAt when the cached token was received, null before the first fetch
 * @param expiresAt when it stops working
 * @param fetches successful fetches since start
 * @param consecutiveFailures failed fetches since the last successful one
 * @param lastFailure why the last fetch failed (kind and DingTalk's code, no secrets)
 * @param lastFailureAt when it failed
 */
public record TokenState(
        @Nullable Instant fetchedAt,
        @Nullable Instant expiresAt,
        long fetches,
        int consecutiveFailures,
        @Nullable String lastFailure,
        @Nullable Instant lastFailureAt) {}
