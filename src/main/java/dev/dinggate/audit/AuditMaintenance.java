package dev.dinggate.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Start-up recovery of rows a crash left PENDING, and the optional retention purge. */
@Component
class AuditMaintenance {

    private static final Logger log = LoggerFactory.getLogger(AuditMaintenance.class);

    private final JdbcAuditStore store;
    private final AuditProperties properties;
    private final Clock clock;
    private final Counter recovered;
    private final Counter purged;

    AuditMaintenance(
            JdbcAuditStore store, AuditProperties properties, ObjectProvider<Clock> clock, MeterRegistry meters) {
        this.store = store;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.recovered = Counter.builder("gateway.audit.recovered")
                .description("Audit rows found PENDING at start-up and marked UNKNOWN: changes to reconcile by hand")
                .register(meters);
        this.purged = Counter.builder("gateway.audit.purged")
                .description("Audit rows deleted by the retention purge")
                .register(meters);
    }

    /** Before traffic arrives: a PENDING row this old belongs to a request no gateway is serving any more. */
    @EventListener(ApplicationStartedEvent.class)
    void recoverAbandonedChanges() {
        Instant now = clock.instant();
        int count = store.markAbandonedPendingUnknown(now.minus(properties.recoverPendingOlderThan()), now);
        recovered.increment(count);
        if (count > 0) {
            log.warn(
                    "{} audited change(s) were left PENDING by an earlier run and are now UNKNOWN: "
                            + "check them in DingTalk (GET /api/v1/audit-events?outcome=UNKNOWN)",
                    count);
        }
    }

    @Scheduled(cron = "${gateway.audit.purge-cron:0 30 3 * * *}")
    void purgeExpired() {
        if (properties.retention() == null) {
            return;
        }
        int count = store.purgeCompletedBefore(clock.instant().minus(properties.retention()));
        purged.increment(count);
        log.info("Audit retention purge deleted {} row(s) older than {}", count, properties.retention());
    }
}
