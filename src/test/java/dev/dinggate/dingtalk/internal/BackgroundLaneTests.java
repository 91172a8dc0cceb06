package dev.dinggate.dingtalk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.budget.BackgroundWork;
import dev.dinggate.budget.Budgets;
import dev.dinggate.dingtalk.DingTalkProperties;
import dev.dinggate.support.MutableClock;
import io.github.bucket4j.BlockingStrategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** Background work (batch items) paced in a lane of its share of the quota: interactive calls keep the rest. */
class BackgroundLaneTests {

    private static final Duration API_SPACING_AT_20_QPS = Duration.ofNanos(52_500_000); // 1 s / 20, 5 % wider

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T08:00:00Z"));
    private final BlockingStrategy parking = nanos -> clock.advance(Duration.ofNanos(nanos));
    private final OutboundPacer pacer = new OutboundPacer(
            Budgets.inMemory(clock),
            new DingTalkProperties.RateLimit(20, Map.of(), Duration.ofSeconds(5), 5),
            clock,
            parking,
            new SimpleMeterRegistry());

    private static final ApiCall DELETE = new ApiCall(
            "user.delete", HttpMethod.POST, ApiCall.Host.LEGACY, "/topapi/v2/user/delete", "x", false, null);

    @Test
    void backgroundCallsNeverTakeMoreThanTheirShareOfAnySecond() {
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            BackgroundWork.run(0.8, () -> {
                pacer.awaitTurn(DELETE);
                return null;
            });
            sent.add(clock.instant());
        }

        for (Instant windowStart : sent) {
            Instant windowEnd = windowStart.plusSeconds(1);
            assertThat(sent.stream()
                            .filter(at -> !at.isBefore(windowStart) && at.isBefore(windowEnd))
                            .count())
                    .as("background calls in the second from %s", windowStart)
                    .isLessThanOrEqualTo(16);
        }
    }

    @Test
    void anInteractiveCallAmongBackgroundCallsWaitsAtMostOneTurn() {
        List<Duration> interactiveWaits = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            BackgroundWork.run(0.8, () -> {
                pacer.awaitTurn(DELETE);
                return null;
            });
            Instant asked = clock.instant();
            pacer.awaitTurn(DELETE);
            interactiveWaits.add(Duration.between(asked, clock.instant()));
        }

        assertThat(interactiveWaits).allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(API_SPACING_AT_20_QPS));
    }
}
