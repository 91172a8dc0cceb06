package dev.dinggate.dingtalk;

import dev.dinggate.dingtalk.internal.DingTalkTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/dingtalk} for operators (scope {@code ops}): token metadata (never the token),
 * pacing state, the changes whose outcome is still UNKNOWN and what other packages add ({@link OperatorFacts}: the
 * directory mirror); a POST fetches a fresh token, e.g.
 * after the app secret was rotated.
 */
@Component
@Endpoint(id = "dingtalk")
class DingTalkEndpoint {

    /** Kept by package reconciliation, which depends on this one: read by name, the figure the alert reads. */
    private static final String UNSETTLED_GAUGE = "gateway.audit.unknown.unsettled";

    private final DingTalkTransport transport;
    private final MeterRegistry meters;
    private final List<OperatorFacts> parts;

    DingTalkEndpoint(DingTalkTransport transport, MeterRegistry meters, ObjectProvider<OperatorFacts> parts) {
        this.transport = transport;
        this.meters = meters;
        this.parts = parts.orderedStream().toList();
    }

    /** The token, pacing and UNKNOWN changes, then each other package's part under its name. */
    @ReadOperation
    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("token", transport.tokenState());
        state.put("pacing", transport.pacingState());
        state.put("unknownChanges", unknownChanges());
        parts.forEach(part -> state.put(part.name(), part.facts()));
        return state;
    }

    @WriteOperation
    TokenState refreshToken() {
        return transport.refreshToken();
    }

    /**
     * Changes DingTalk may or may not have applied: those a check may still settle, and those a person
     * must look at ({@code GET /api/v1/audit-events?outcome=UNKNOWN&reconciled=false}), as of the last
     * reconciliation pass.
     */
    private UnknownChanges unknownChanges() {
        long awaitingReconciler = unsettled("reconciler");
        long awaitingOperator = unsettled("operator");
        return new UnknownChanges(awaitingReconciler + awaitingOperator, awaitingReconciler, awaitingOperator);
    }

    private long unsettled(String awaiting) {
        Gauge gauge = meters.find(UNSETTLED_GAUGE).tag("awaiting", awaiting).gauge();
        return gauge == null ? 0 : (long) gauge.value();
    }

    /** UNKNOWN changes not yet settled, by who must act next. */
    record UnknownChanges(long unsettled, long awaitingReconciler, long awaitingOperator) {}
}
