package dev.dinggate.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The facts kept to settle UNKNOWN changes later ({@code audit_settlement}), and the one edit the trail
 * allows on a completed row: settling an UNKNOWN outcome. Replicas share the table; a check is claimed
 * with a lease ({@code claimed_until}), so one replica at a time checks a change, and a dead replica's
 * claim runs out.
 */
@Component
public class AuditSettlements {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    AuditSettlements(JdbcClient jdbc, PlatformTransactionManager transactions, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.events = events;
    }

    /**
     * A change whose UNKNOWN outcome a check may settle.
     *
     * @param attempts checks so far that settled nothing
     */
    public record Due(UUID auditEventId, String operation, String target, String kind, String facts, int attempts) {

        /** The facts may hold personal data. */
        @Override
        public String toString() {
            return "Due[auditEventId=" + auditEventId + ", operation=" + operation + ", kind=" + kind + ", attempts="
                    + attempts + "]";
        }
    }

    /**
     * UNKNOWN changes not settled.
     *
     * @param total every row whose outcome is UNKNOWN
     * @param awaitingCheck those with facts a check may still settle; the rest wait for a person
     */
    public record Unsettled(long total, long awaitingCheck) {

        public long awaitingOperator() {
            return total - awaitingCheck;
        }
    }

    /** Written before the PENDING row (see {@link AuditTrail}); a facts row without its audit row is an orphan. */
    void insert(UUID auditEventId, Settlement settlement, Instant at) {
        jdbc.sql("INSERT INTO audit_settlement (audit_event_id, kind, facts, recorded_at) "
                        + "VALUES (:id, :kind, :facts, :at)")
                .param("id", auditEventId)
                .param("kind", settlement.kind())
                .param("facts", settlement.facts())
                .param("at", utc(at))
                .update();
    }

    /** The outcome is known: the facts are no longer needed. */
    void forget(UUID auditEventId) {
        jdbc.sql("DELETE FROM audit_settlement WHERE audit_event_id = :id")
                .param("id", auditEventId)
                .update();
    }

    /**
     * Changes whose first check is due (UNKNOWN since before {@code firstCheckBefore}) or whose next
     * check is, and that no live claim holds; oldest first.
     */
    public List<Due> due(Instant firstCheckBefore, Instant now, int limit) {
        return jdbc.sql("SELECT s.audit_event_id, e.operation, e.target, s.kind, s.facts, s.attempts "
                        + "FROM audit_settlement s JOIN audit_event e ON e.id = s.audit_event_id "
                        + "WHERE e.outcome = 'UNKNOWN' "
                        + "AND ((s.next_check_at IS NULL AND e.completed_at <= :firstCheckBefore) "
                        + "OR s.next_check_at <= :now) "
                        + "AND (s.claimed_until IS NULL OR s.claimed_until <= :now) "
                        + "ORDER BY e.completed_at, s.audit_event_id LIMIT :limit")
                .param("firstCheckBefore", utc(firstCheckBefore))
                .param("now", utc(now))
                .param("limit", limit)
                .query((row, number) -> new Due(
                        row.getObject("audit_event_id", UUID.class),
                        row.getString("operation"),
                        row.getString("target"),
                        row.getString("kind"),
                        row.getString("facts"),
                        row.getInt("attempts")))
                .list();
    }

    /**
     * Takes the check of {@code due} for {@code claimer} until {@code until}, if no other replica holds
     * it and nobody checked it since it was found due. A row update is atomic on both databases: of two
     * replicas claiming at once, the second finds the claim taken and gets false.
     */
    public boolean claim(Due due, UUID claimer, Instant now, Instant until) {
        return jdbc.sql("UPDATE audit_settlement SET claimed_until = :until, claimed_by = :claimer "
                                + "WHERE audit_event_id = :id AND attempts = :attempts "
                                + "AND (claimed_until IS NULL OR claimed_until <= :now)")
                        .param("until", utc(until))
                        .param("claimer", claimer)
                        .param("id", due.auditEventId())
                        .param("attempts", due.attempts())
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    /**
     * Records the settled outcome of a change {@code claimer} checked, drops its facts in the same
     * transaction, and then publishes {@link ChangeReconciled}. False, and nothing changed, when the claim
     * was lost meanwhile (its lease ran out and another replica took the check).
     */
    public boolean settle(UUID auditEventId, UUID claimer, AuditOutcome outcome, Instant at, String how) {
        if (outcome != AuditOutcome.SUCCEEDED && outcome != AuditOutcome.FAILED) {
            throw new IllegalArgumentException("a change settles as SUCCEEDED or FAILED, not " + outcome);
        }
        Boolean settled = transactions.execute(status -> {
            if (release(auditEventId, claimer) == 0) {
                return false;
            }
            int rows = jdbc.sql("UPDATE audit_event SET reconciled_from = outcome, outcome = :outcome, "
                            + "reconciled_at = :at, reconciled_how = :how WHERE id = :id AND outcome = 'UNKNOWN'")
                    .param("outcome", outcome.name())
                    .param("at", utc(at))
                    .param("how", how.length() <= 255 ? how : how.substring(0, 254) + "…")
                    .param("id", auditEventId)
                    .update();
            return rows == 1;
        });
        if (Boolean.TRUE.equals(settled)) {
            events.publishEvent(new ChangeReconciled(auditEventId, outcome, at, how));
            return true;
        }
        return false;
    }

    /** A check settled nothing: the next one is due at {@code next}, by whichever replica claims it. */
    public void checkAgainAt(UUID auditEventId, UUID claimer, Instant next) {
        jdbc.sql(
                        "UPDATE audit_settlement SET attempts = attempts + 1, next_check_at = :next, "
                                + "claimed_until = NULL, claimed_by = NULL WHERE audit_event_id = :id AND claimed_by = :claimer")
                .param("next", utc(next))
                .param("id", auditEventId)
                .param("claimer", claimer)
                .update();
    }

    /** No more checks: the change stays UNKNOWN, for a person, and its facts go. */
    public void giveUp(UUID auditEventId, UUID claimer) {
        release(auditEventId, claimer);
    }

    /**
     * Deletes facts nobody needs any more: of rows completed or settled whose facts could not be deleted
     * then, and of audit rows that were never written (the PENDING insert failed after its facts). Only
     * facts older than {@code recordedBefore}, so that a change just being recorded keeps its own.
     */
    public int forgetOrphans(Instant recordedBefore) {
        return jdbc.sql("DELETE FROM audit_settlement WHERE recorded_at < :before AND NOT EXISTS ("
                        + "SELECT 1 FROM audit_event e WHERE e.id = audit_settlement.audit_event_id "
                        + "AND e.outcome IN ('PENDING', 'UNKNOWN'))")
                .param("before", utc(recordedBefore))
                .update();
    }

    /** UNKNOWN changes across the fleet, and how many of them a check may still settle. */
    public Unsettled unsettled() {
        return jdbc.sql("SELECT COUNT(*) AS total, COUNT(s.audit_event_id) AS awaiting FROM audit_event e "
                        + "LEFT JOIN audit_settlement s ON s.audit_event_id = e.id WHERE e.outcome = 'UNKNOWN'")
                .query((row, number) -> new Unsettled(row.getLong("total"), row.getLong("awaiting")))
                .single();
    }

    private int release(UUID auditEventId, UUID claimer) {
        return jdbc.sql("DELETE FROM audit_settlement WHERE audit_event_id = :id AND claimed_by = :claimer")
                .param("id", auditEventId)
                .param("claimer", claimer)
                .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
