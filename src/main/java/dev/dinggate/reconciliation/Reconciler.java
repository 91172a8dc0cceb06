package dev.dinggate.reconciliation;

import dev.dinggate.audit.AuditSettlements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Every {@code gateway.reconciliation.interval}, on every replica: claims the UNKNOWN changes due a check
 * one at a time (a lease in the shared database, so two replicas never check the same change), asks
 * {@link SettlementChecks}, and records what it learned.
 */
@Component
class Reconciler implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** This replica, as the holder of its claims. */
    private final UUID replica = UUID.randomUUID();

    private final AuditSettlements settlements;
    private final SettlementChecks checks;
    private final UnsettledChanges unsettled;
    private final ReconciliationProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Counter abandoned;

    Reconciler(
            AuditSettlements settlements,
            SettlementChecks checks,
            UnsettledChanges unsettled,
            ReconciliationProperties properties,
            ObjectProvider<Clock> clock,
            MeterRegistry meters) {
        this.settlements = settlements;
        this.checks = checks;
        this.unsettled = unsettled;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.meters = meters;
        this.abandoned = Counter.builder("gateway.audit.reconciliation.abandoned")
                .description("UNKNOWN changes no check could settle: left for a person")
                .register(meters);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(
                new FixedDelayTask(this::reconcileDue, properties.interval(), properties.interval()));
    }

    /** One pass: each due change claimed and checked in turn, then the unsettled count refreshed. */
    void reconcileDue() {
        try {
            Instant now = clock.instant();
            settlements.forgetOrphans(now.minus(properties.lease()));
            for (AuditSettlements.Due due :
                    settlements.due(now.minus(properties.delay()), now, properties.checksPerPass())) {
                Instant claimedAt = clock.instant();
                if (settlements.claim(due, replica, claimedAt, claimedAt.plus(properties.lease()))) {
                    reconcile(due);
                }
            }
        } catch (DataAccessException unavailable) {
            // Claims taken before the database went away run out with their lease.
            log.warn("Reconciliation pass stopped, database unavailable: {}", unavailable.getMessage());
        } finally {
            unsettled.refresh();
        }
    }

    private void reconcile(AuditSettlements.Due due) {
        Verdict verdict;
        try {
            verdict = checks.check(due);
        } catch (RuntimeException unexpected) {
            // Facts it cannot read, say: counted as an attempt, so that it ends with the others, not in a loop.
            log.error("Check of audit row {} failed", due.auditEventId(), unexpected);
            verdict = new Verdict.NotYet(
                    "the check failed: " + unexpected.getClass().getSimpleName());
        }
        switch (verdict) {
            case Verdict.Settled settled -> {
                if (settle(due, settled)) {
                    Counter.builder("gateway.audit.reconciled")
                            .description("UNKNOWN changes settled by a read of DingTalk, by the outcome found")
                            .tag("outcome", settled.outcome().name().toLowerCase(Locale.ROOT))
                            .register(meters)
                            .increment();
                    log.info(
                            "Audit row {} ({} {}) settled {}: {}",
                            due.auditEventId(),
                            due.operation(),
                            due.target(),
                            settled.outcome(),
                            settled.how());
                }
            }
            case Verdict.NotYet notYet -> {
                if (due.attempts() + 1 >= properties.maxAttempts()) {
                    giveUp(due, notYet.why() + "; after " + (due.attempts() + 1) + " checks");
                } else {
                    settlements.checkAgainAt(
                            due.auditEventId(), replica, clock.instant().plus(backoff(due)));
                }
            }
            case Verdict.Never never -> giveUp(due, never.why());
        }
    }

    /**
     * The row is settled once {@code settle} commits; a listener of {@code ChangeReconciled} that fails
     * afterwards (a batch item, say) is logged, and the pass goes on with the next change.
     */
    private boolean settle(AuditSettlements.Due due, Verdict.Settled settled) {
        try {
            return settlements.settle(due.auditEventId(), replica, settled.outcome(), clock.instant(), settled.how());
        } catch (DataAccessException unavailable) {
            throw unavailable;
        } catch (RuntimeException listenerFailed) {
            log.error(
                    "Audit row {} settled, but a listener of its ChangeReconciled failed",
                    due.auditEventId(),
                    listenerFailed);
            return true;
        }
    }

    /** The delay again, doubled after each check that settled nothing. */
    private Duration backoff(AuditSettlements.Due due) {
        return properties.delay().multipliedBy(1L << Math.min(due.attempts(), 16));
    }

    private void giveUp(AuditSettlements.Due due, String why) {
        settlements.giveUp(due.auditEventId(), replica);
        abandoned.increment();
        log.warn(
                "Audit row {} ({} {}) stays UNKNOWN, no check settles it: {}; check it in DingTalk "
                        + "(GET /api/v1/audit-events?outcome=UNKNOWN)",
                due.auditEventId(),
                due.operation(),
                due.target(),
                why);
    }
}
