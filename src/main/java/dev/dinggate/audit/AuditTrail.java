package dev.dinggate.audit;

import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import dev.dinggate.problem.RequestIds;
import dev.dinggate.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Write-ahead audit for every change: a PENDING row is committed before the change is sent, and
 * completed with the outcome afterwards. If the row cannot be written, the change is not sent.
 */
@Service
public class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final JdbcAuditStore store;
    private final Clock clock;
    private final MeterRegistry meters;
    private final AuditSettlements settlements;

    AuditTrail(JdbcAuditStore store, ObjectProvider<Clock> clock, MeterRegistry meters, AuditSettlements settlements) {
        this.store = store;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.meters = meters;
        this.settlements = settlements;
    }

    /**
     * Records {@code change} by {@code caller}, runs {@code action} (the call to DingTalk) only once
     * the record is durable, then records how it ended. The action's result or failure passes through.
     */
    public <T> T record(Caller caller, AuditedChange change, Supplier<T> action) {
        Instant started = clock.instant();
        BatchAttempt attempt = BatchAttempt.current();
        UUID id = attempt != null ? attempt.auditEventId() : UUID.randomUUID();
        long writeStarted = System.nanoTime();
        try {
            // The facts go first: a crash between the two leaves an orphan the reconciler deletes, never a
            // PENDING row without the facts that would settle it.
            if (change.settlement() != null) {
                settlements.insert(id, change.settlement(), started);
            }
            store.insertPending(new AuditEvent(
                    id,
                    started,
                    null,
                    null,
                    caller.principal(),
                    caller.clientId(),
                    caller.dingTalkUserId(),
                    change.operation(),
                    fit(change.target(), 255),
                    fit(change.summary(), 1000),
                    AuditOutcome.PENDING,
                    null,
                    null,
                    null,
                    RequestIds.current(),
                    attempt != null ? attempt.batchId() : null,
                    null));
            timeWrite("pending", "ok", writeStarted);
        } catch (DataAccessException unavailable) {
            timeWrite("pending", "error", writeStarted);
            forgetQuietly(id, change);
            log.error(
                    "Audit store unavailable, {} on {} refused: {}",
                    change.operation(),
                    change.target(),
                    unavailable.getMessage());
            throw new GatewayProblemException(
                    GatewayProblem.AUDIT_UNAVAILABLE,
                    "The change was not sent to DingTalk because it "
                            + "could not be recorded in the audit trail first; try again shortly.");
        }
        try {
            T result = action.get();
            complete(id, started, AuditOutcome.SUCCEEDED, null, null, change);
            return result;
        } catch (RuntimeException failure) {
            GatewayProblemException problem = failure instanceof GatewayProblemException known ? known : null;
            DingTalkException upstream = problem != null ? problem.upstream() : null;
            complete(id, started, outcomeOf(problem), failureName(failure, problem), upstream, change);
            throw failure;
        }
    }

    private void complete(
            UUID id,
            Instant started,
            AuditOutcome outcome,
            @Nullable String failure,
            @Nullable DingTalkException upstream,
            AuditedChange change) {
        Instant now = clock.instant();
        long writeStarted = System.nanoTime();
        boolean recorded;
        try {
            recorded = store.complete(
                    id,
                    outcome,
                    now,
                    Duration.between(started, now).toMillis(),
                    failure,
                    upstream == null ? null : upstream.upstreamCode(),
                    upstream == null ? null : upstream.upstreamRequestId());
            timeWrite(outcome.name().toLowerCase(java.util.Locale.ROOT), "ok", writeStarted);
        } catch (DataAccessException unavailable) {
            timeWrite(outcome.name().toLowerCase(java.util.Locale.ROOT), "error", writeStarted);
            // The change itself is done; its row stays PENDING and is marked UNKNOWN at the next start.
            log.error(
                    "Audit row {} stays PENDING: outcome {} could not be recorded: {}",
                    id,
                    outcome,
                    unavailable.getMessage());
            return;
        }
        // A known outcome needs no settling. An UNKNOWN one keeps its facts for the reconciler, and so does a
        // row that was no longer PENDING (marked UNKNOWN by a start while this change took that long).
        if (recorded && outcome != AuditOutcome.UNKNOWN) {
            forgetQuietly(id, change);
        }
    }

    /** Facts left behind by a failed delete are deleted later by the reconciler ({@link AuditSettlements#forgetOrphans}). */
    private void forgetQuietly(UUID id, AuditedChange change) {
        if (change.settlement() == null) {
            return;
        }
        try {
            settlements.forget(id);
        } catch (DataAccessException unavailable) {
            log.warn(
                    "Settlement facts of audit row {} stay until the next orphan purge: {}",
                    id,
                    unavailable.getMessage());
        }
    }

    /**
     * The feature that made the call has said, with its problem, whether the change may have been applied;
     * a failure it did not explain means nobody knows.
     */
    private static AuditOutcome outcomeOf(@Nullable GatewayProblemException problem) {
        return problem != null && problem.outcome() == GatewayProblem.Outcome.NOT_APPLIED
                ? AuditOutcome.FAILED
                : AuditOutcome.UNKNOWN;
    }

    private static String failureName(RuntimeException failure, @Nullable GatewayProblemException problem) {
        return problem != null ? problem.problem().code() : failure.getClass().getSimpleName();
    }

    /** Long targets (a hundred corpIds) are cut to the column, rather than making the audit write fail. */
    private static String fit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Timed rather than only counted: operators (and bench/) see the audit's share of a change's time. */
    private void timeWrite(String phase, String result, long startedNanos) {
        Timer.builder("gateway.audit.writes")
                .description("Audit store writes: the PENDING row and its outcome")
                .tag("phase", phase)
                .tag("result", result)
                .register(meters)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }
}
