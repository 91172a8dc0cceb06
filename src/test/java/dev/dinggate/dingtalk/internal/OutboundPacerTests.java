package dev.dinggate.dingtalk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dinggate.budget.Budgets;
import dev.dinggate.dingtalk.DingTalkException;
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

/** Pacing on a clock moved by hand: spacing, reservations in order, one budget per API, the max-wait bound. */
class OutboundPacerTests {

    private static final Duration SPACING_AT_20_QPS = Duration.ofNanos(52_500_000); // 1 s / 20, 5 % wider

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
    /** Every wait the pacer asked for, in order; a wait moves the clock only when the test says so. */
    private final List<Duration> waits = new ArrayList<>();

    private boolean waitsMoveTheClock = true;
    /** How late the next wake-up comes, beyond the wait asked for. */
    private Duration oversleep = Duration.ZERO;

    private final BlockingStrategy parking = nanos -> {
        waits.add(Duration.ofNanos(nanos));
        if (waitsMoveTheClock) {
            clock.advance(Duration.ofNanos(nanos).plus(oversleep));
            oversleep = Duration.ZERO;
        }
    };
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private OutboundPacer pacer(int qps, Map<String, Integer> perApi, Duration maxWait) {
        return new OutboundPacer(
                Budgets.inMemory(clock),
                new DingTalkProperties.RateLimit(qps, perApi, maxWait, 5),
                clock,
                parking,
                meters);
    }

    private static ApiCall call(String api) {
        return new ApiCall(api, HttpMethod.POST, ApiCall.Host.LEGACY, "/topapi/" + api, "qyapi_get_member", true, null);
    }

    @Test
    void callsOfOneApiGoOutOneSpacingApartSoNoSecondHoldsMoreThanTheQuota() {
        OutboundPacer pacer = pacer(20, Map.of(), Duration.ofSeconds(5));
        List<Instant> sent = new ArrayList<>();

        for (int i = 0; i < 100; i++) {
            pacer.awaitTurn(call("user.get"));
            sent.add(clock.instant());
        }

        for (int i = 1; i < sent.size(); i++) {
            assertThat(Duration.between(sent.get(i - 1), sent.get(i))).isEqualTo(SPACING_AT_20_QPS);
        }
        for (Instant windowStart : sent) {
            Instant windowEnd = windowStart.plusSeconds(1);
            assertThat(sent.stream()
                            .filter(at -> !at.isBefore(windowStart) && at.isBefore(windowEnd))
                            .count())
                    .as("calls in the second from %s", windowStart)
                    .isLessThanOrEqualTo(20);
        }
    }

    @Test
    void turnsAreReservedInArrivalOrderAndWaitedForLocally() {
        waitsMoveTheClock = false;
        OutboundPacer pacer = pacer(20, Map.of(), Duration.ofSeconds(5));

        for (int i = 0; i < 5; i++) {
            pacer.awaitTurn(call("user.get"));
        }

        // The first turn was free; each later one was reserved one spacing behind the one before.
        assertThat(waits)
                .containsExactly(
                        SPACING_AT_20_QPS,
                        SPACING_AT_20_QPS.multipliedBy(2),
                        SPACING_AT_20_QPS.multipliedBy(3),
                        SPACING_AT_20_QPS.multipliedBy(4));
    }

    @Test
    void aTurnFurtherAwayThanMaxWaitIsRefusedAsThrottledAndTakesNothing() {
        waitsMoveTheClock = false;
        OutboundPacer pacer = pacer(20, Map.of(), Duration.ofMillis(100));

        assertThatCode(() -> pacer.awaitTurn(call("user.get"))).doesNotThrowAnyException();
        assertThatCode(() -> pacer.awaitTurn(call("user.get"))).doesNotThrowAnyException(); // 52.5 ms away
        assertThatThrownBy(() -> pacer.awaitTurn(call("user.get")))
                .isInstanceOf(DingTalkException.Throttled.class)
                .hasMessageContaining("gateway.pacing"); // 105 ms away
        clock.advance(SPACING_AT_20_QPS);
        // The refusal reserved nothing: the next turn is the one after the second call's.
        assertThatCode(() -> pacer.awaitTurn(call("user.get"))).doesNotThrowAnyException();
        assertThat(waits.getLast()).isEqualTo(SPACING_AT_20_QPS);
        assertThat(pacer.state().refusedCalls()).isEqualTo(1);
    }

    @Test
    void everyApiHasABudgetOfItsOwn() {
        waitsMoveTheClock = false;
        OutboundPacer pacer = pacer(20, Map.of(), Duration.ofSeconds(5));

        pacer.awaitTurn(call("user.get"));
        pacer.awaitTurn(call("department.listSub"));
        pacer.awaitTurn(call("user.update"));

        assertThat(waits).as("no API waited for another's turn").isEmpty();
        assertThat(pacer.state().apis()).containsOnlyKeys("user.get", "department.listSub", "user.update");
    }

    @Test
    void anApiMayHaveABudgetOfItsOwnSize() {
        waitsMoveTheClock = false;
        OutboundPacer pacer = pacer(20, Map.of("user.list", 10), Duration.ofSeconds(5));

        pacer.awaitTurn(call("user.list"));
        pacer.awaitTurn(call("user.list"));

        assertThat(waits).containsExactly(SPACING_AT_20_QPS.multipliedBy(2));
        assertThat(pacer.state().apis()).containsEntry("user.list", 10);
    }

    @Test
    void aThreadThatWakesLaterThanTheSpacingAbsorbsGivesItsTurnUpAndTakesTheNext() {
        OutboundPacer pacer = pacer(20, Map.of(), Duration.ofSeconds(5));
        pacer.awaitTurn(call("user.get"));

        // 5 % headroom absorbs delays of up to 50 ms; this thread wakes 60 ms past its turn.
        oversleep = Duration.ofMillis(60);
        Instant before = clock.instant();
        pacer.awaitTurn(call("user.get"));

        // Its turn was at +52.5 ms; it woke at +112.5 ms, gave that turn up and took the next free one: the
        // turn at +105 ms had gone unused, so it could go at once.
        assertThat(waits).containsExactly(SPACING_AT_20_QPS);
        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofNanos(112_500_000));
        assertThat(meters.get("dingtalk.pacing.late").counter().count()).isOne();
    }

    @Test
    void aThreadLateWithinWhatTheSpacingAbsorbsSendsOnItsTurn() {
        OutboundPacer pacer = pacer(20, Map.of(), Duration.ofSeconds(5));
        pacer.awaitTurn(call("user.get"));

        oversleep = Duration.ofMillis(50);
        pacer.awaitTurn(call("user.get"));

        assertThat(waits).containsExactly(SPACING_AT_20_QPS);
        assertThat(meters.get("dingtalk.pacing.late").counter().count()).isZero();
    }

    @Test
    void qpsBelowOneIsAConfigurationError() {
        assertThatThrownBy(() -> new DingTalkProperties.RateLimit(0, Map.of(), Duration.ZERO, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dingtalk.rate-limit.qps");
        assertThatThrownBy(() -> new DingTalkProperties.RateLimit(20, Map.of("user.get", 0), Duration.ZERO, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("per-api");
    }
}
