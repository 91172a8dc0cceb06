package dev.dinggate.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Status;

import dev.dinggate.dingtalk.internal.DingTalkTransport;
import dev.dinggate.support.MutableClock;

/** Readiness from the token state: tolerant of single failures, DOWN only when no token is left. */
class DingTalkHealthIndicatorTests {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    // The transport is the seam: the indicator only reads its token state.
    private final DingTalkTransport transport = mock(DingTalkTransport.class);

    private Status statusWith(TokenState state) {
        when(transport.tokenState()).thenReturn(state);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("clock", new MutableClock(NOW));
        return new DingTalkHealthIndicator(transport, beans.getBeanProvider(java.time.Clock.class)).health().getStatus();
    }

    @Test
    void noTokenYetIsUp() {
        assertThat(statusWith(new TokenState(null, null, 0, 0, null, null))).isEqualTo(Status.UP);
    }

    @Test
    void oneFailedFetchDoesNotTakeReadinessDown() {
        assertThat(statusWith(new TokenState(null, null, 0, 1, "Unreachable", NOW))).isEqualTo(Status.UP);
    }

    @Test
    void repeatedFailuresWithAValidTokenStillServe() {
        assertThat(statusWith(new TokenState(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)), 3, 5,
                "Busy -1", NOW))).isEqualTo(Status.UP);
    }

    @Test
    void repeatedFailuresWithNoUsableTokenAreDown() {
        assertThat(statusWith(new TokenState(NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1)), 3, 3,
                "CredentialsRejected invalidClientIdOrSecret", NOW))).isEqualTo(Status.DOWN);
    }
}
