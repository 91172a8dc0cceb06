package dev.dinggate.dingtalk.internal;

import static dev.dinggate.dingtalk.internal.TransportFixture.CHANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import dev.dinggate.dingtalk.DingTalkException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class OutboundPacerTests {

    @Test
    void callBeyondTheBudgetThatCannotWaitIsRefusedAsThrottled() {
        OutboundPacer pacer = new OutboundPacer(1, Duration.ZERO, new SimpleMeterRegistry());

        assertThatCode(() -> pacer.awaitTurn(CHANGE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> pacer.awaitTurn(CHANGE)).isInstanceOf(DingTalkException.Throttled.class)
                .hasMessageContaining("gateway.pacing");
    }

    @Test
    void turnsTakenByManyWaitingThreadsAreNeverCloserThanTheSpacing() throws Exception {
        int qps = 50;
        OutboundPacer pacer = new OutboundPacer(qps, Duration.ofSeconds(10), new SimpleMeterRegistry());
        List<Long> grants = new CopyOnWriteArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int caller = 0; caller < 8; caller++) {
                callers.submit(() -> {
                    for (int call = 0; call < 10; call++) {
                        pacer.awaitTurn(CHANGE);
                        grants.add(System.nanoTime());
                    }
                    return null;
                });
            }
        }
        List<Long> sorted = grants.stream().sorted().toList();
        long spacing = 1_000_000_000L / qps;
        assertThat(sorted).hasSize(80);
        for (int i = 1; i < sorted.size(); i++) {
            // 2 ms for the time between taking a turn and noting it down.
            assertThat(sorted.get(i) - sorted.get(i - 1)).as("gap before grant %d", i).isGreaterThan(spacing - 2_000_000);
        }
    }

    @Test
    void qpsBelowOneIsAConfigurationError() {
        assertThatThrownBy(() -> new OutboundPacer(0, Duration.ZERO, new SimpleMeterRegistry())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dingtalk.rate-limit.qps");
    }
}
