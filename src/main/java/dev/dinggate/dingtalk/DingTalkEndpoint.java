package dev.dinggate.dingtalk;

import dev.dinggate.dingtalk.internal.DingTalkTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/dingtalk} for operators (scope {@code ops}): token metadata (never the token),
 * pacing state and the changes whose outcome is still UNKNOWN; a POST fetches a fresh token, e.g.
 * after the app secret was rotated.
 */
@Component
@Endpoint(id = "dingtalk")
class DingTalkEndpoint {

    /** Kept by package reconciliation, which depends on this one: read by name, the figure the alert reads. */
    private static final String UNSETTLED_GAUGE = "gateway.audit.unknown.unsettled";

    private final DingTalkTransport transport;
    private final MeterRegistry meters;

    DingTalkEndpoint(DingTalkTransport transport, MeterRegistry meters) {
        this.transport = transport;
        this.meters = meters;
    }

    @ReadOperation
    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("token", transport.tokenState());
        state.put("pacing", transport.pacingState());
        state.put("unknownChanges", unknownChanges());
        return state;
    }

    /**
     * Changes DingTalk may or may not have applied: those a check may still settle, and those a person
     * must look at ({@code GET /api/v1/audit-events?outcome=UNKNOWN}), as of the last reconciliation pass.
     */
    private Map<String, Long> unknownChanges() {
        long awaitingReconciler = unsettled("reconciler");
        long awaitingOperator = unsettled("operator");
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("unsettled", awaitingReconciler + awaitingOperator);
        counts.put("awaitingReconciler", awaitingReconciler);
        counts.put("awaitingOperator", awaitingOperator);
        return counts;
    }

    private long unsettled(String awaiting) {
        Gauge gauge = meters.find(UNSETTLED_GAUGE).tag("awaiting", awaiting).gauge();
        return gauge == null ? 0 : (long) gauge.value();
    }

    @WriteOperation
    TokenState refreshToken() {
        return transport.refreshToken();
    }
}
