package dev.dinggate.dingtalk;

import dev.dinggate.dingtalk.internal.DingTalkTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * DingTalk as readiness sees it, from the token cache's state alone: probes never call DingTalk.
 * One failed fetch does not take the gateway out of service; only repeated failures with no usable
 * token left do, because then every DingTalk call would fail.
 */
@Component
class DingTalkHealthIndicator implements HealthIndicator {

    static final int FAILURES_BEFORE_DOWN = 3;

    private final DingTalkTransport transport;
    private final Clock clock;

    DingTalkHealthIndicator(DingTalkTransport transport, ObjectProvider<Clock> clock) {
        this.transport = transport;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Override
    public Health health() {
        TokenState state = transport.tokenState();
        Instant now = clock.instant();
        boolean usable = state.expiresAt() != null && state.expiresAt().isAfter(now);
        Health.Builder health =
                usable || state.consecutiveFailures() < FAILURES_BEFORE_DOWN ? Health.up() : Health.down();
        if (state.fetchedAt() == null) {
            health.withDetail("token", "not fetched yet (fetched on the first DingTalk call)");
        } else {
            health.withDetail(
                    "tokenAgeSeconds", Duration.between(state.fetchedAt(), now).toSeconds());
            health.withDetail(
                    "tokenExpiresInSeconds",
                    Duration.between(now, state.expiresAt()).toSeconds());
        }
        PacingState pacing = transport.pacingState();
        // A replica that fell back still serves, at its share of the budget: a detail, not DOWN.
        health.withDetail("pacing", pacing.store());
        if (pacing.fallbackSince() != null) {
            health.withDetail("pacingFallbackSince", pacing.fallbackSince().toString())
                    .withDetail("pacingFallbackReason", String.valueOf(pacing.fallbackReason()));
        }
        if (state.lastFailure() != null) {
            health.withDetail("consecutiveFetchFailures", state.consecutiveFailures())
                    .withDetail("lastFetchFailure", state.lastFailure())
                    .withDetail("lastFetchFailureAt", String.valueOf(state.lastFailureAt()));
        }
        return health.build();
    }
}
