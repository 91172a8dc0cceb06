package dev.dinggate.reconciliation;

import dev.dinggate.audit.AuditSettlements;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The gauge of UNKNOWN changes, for the whole fleet (every replica reports the same count: dashboards
 * take the max, not the sum). Counted once per reconciliation pass, not per scrape, so that a slow or
 * unreachable database never slows a scrape; {@code /actuator/dingtalk} shows the same figures.
 */
@Component
class UnsettledChanges {

    /** Prometheus: {@code gateway_audit_unknown_unsettled{awaiting="reconciler"|"operator"}}. */
    static final String GAUGE = "gateway.audit.unknown.unsettled";

    private static final Logger log = LoggerFactory.getLogger(UnsettledChanges.class);

    private final AuditSettlements settlements;
    private final AtomicLong awaitingReconciler = new AtomicLong();
    private final AtomicLong awaitingOperator = new AtomicLong();

    UnsettledChanges(AuditSettlements settlements, MeterRegistry meters) {
        this.settlements = settlements;
        Gauge.builder(GAUGE, awaitingReconciler, AtomicLong::get)
                .description("Changes whose outcome is UNKNOWN and that a check with DingTalk may still settle")
                .tag("awaiting", "reconciler")
                .register(meters);
        Gauge.builder(GAUGE, awaitingOperator, AtomicLong::get)
                .description("Changes whose outcome is UNKNOWN and that no check will settle: a person must look")
                .tag("awaiting", "operator")
                .register(meters);
    }

    /** After start-up recovery has marked a dead run's PENDING rows UNKNOWN. */
    @EventListener(ApplicationReadyEvent.class)
    void refresh() {
        try {
            AuditSettlements.Unsettled unsettled = settlements.unsettled();
            awaitingReconciler.set(unsettled.awaitingCheck());
            awaitingOperator.set(unsettled.awaitingOperator());
        } catch (DataAccessException unavailable) {
            // The last count stands until the next pass.
            log.warn("Could not count UNKNOWN changes: {}", unavailable.getMessage());
        }
    }
}
