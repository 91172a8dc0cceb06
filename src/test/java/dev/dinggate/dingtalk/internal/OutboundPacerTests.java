package dev.dinggate.dingtalk.internal;

import static dev.dinggate.dingtalk.internal.TransportFixture.CHANGE;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

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
    void qpsBelowOneIsAConfigurationError() {
        assertThatThrownBy(() -> new OutboundPacer(0, Duration.ZERO, new SimpleMeterRegistry())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dingtalk.rate-limit.qps");
    }
}
