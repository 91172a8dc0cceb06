package dev.dinggate.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.dinggate.dingtalk.internal.DingTalkTransport;
import dev.dinggate.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Readiness from the token state: tolerant of single failures, DOWN only when no token is left. */
class DingTalkHealthIndicatorTests {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    // The transport is the seam: the indicator only reads its token state.
    private final DingTalkTransport transport = mock(DingTalkTransport.class);

    private static final PacingState SHARED = new PacingState("shared", 20, Map.of(), 3, null, null, 0);

    private Status statusWith(TokenState state) {
        return healthWith(state, SHARED).getStatus();
    }

    private Health healthWith(TokenState state, PacingState pacing) {
        when(transport.tokenState()).thenReturn(state);
        when(transport.pacingState()).thenReturn(pacing);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("clock", new MutableClock(NOW));
        return new DingTalkHealthIndicator(transport, beans.getBeanProvider(java.time.Clock.class)).health();
    }

    @Test
    void aReplicaPacingAtItsFallbackShareIsUpAndSaysSince() {
        Health health = healthWith(
                new TokenState(null, null, 0, 0, null, null),
                new PacingState(
                        "fallback", 20, Map.of(), 3, NOW.minusSeconds(30), "PSQLException: Connection refused", 0));

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsEntry("pacing", "fallback")
                .containsEntry("pacingFallbackSince", "2026-11-21T09:59:30Z")
                .containsEntry("pacingFallbackReason", "PSQLException: Connection refused");
    }

    @Test
    void noTokenYetIsUp() {
        assertThat(statusWith(new TokenState(null, null, 0, 0, null, null))).isEqualTo(Status.UP);
    }

    @Test
    void oneFailedFetchDoesNotTakeReadinessDown() {
        assertThat(statusWith(new TokenState(null, null, 0, 1, "Unreachable", NOW)))
                .isEqualTo(Status.UP);
    }

    @Test
    void repeatedFailuresWithAValidTokenStillServe() {
        assertThat(statusWith(new TokenState(
                        NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)), 3, 5, "Busy -1", NOW)))
                .isEqualTo(Status.UP);
    }

    @Test
    void repeatedFailuresWithNoUsableTokenAreDown() {
        assertThat(statusWith(new TokenState(
                        NOW.minus(Duration.ofHours(3)),
                        NOW.minus(Duration.ofHours(1)),
                        3,
                        3,
                        "CredentialsRejected invalidClientIdOrSecret",
                        NOW)))
                .isEqualTo(Status.DOWN);
    }
}
