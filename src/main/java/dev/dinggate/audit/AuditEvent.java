package dev.dinggate.audit;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One row of the audit trail, as stored and as the query API returns it.
 *
 * @param id row id
 * @param occurredAt when the change was recorded, before DingTalk was called (UTC)
 * @param completedAt when its outcome was recorded
 * @param durationMs time from record to outcome
 * @param actor principal name of the caller
 * @param clientId OAuth2 client of the caller, when known
 * @param actorDingTalkUserId the caller's DingTalk userId, when linked
 * @param operation stable operation name
 * @param target what was changed
 * @param summary redacted summary
 * @param outcome how it ended
 * @param failure kind of failure, when it did not succeed
 * @param upstreamCode DingTalk's error code, when DingTalk answered with one
 * @param upstreamRequestId DingTalk's request id, when it sent one
 * @param requestId the gateway's request id (the {@code X-Request-Id} of the call)
 * @param batchId the batch the change was an item of, when it was
 * @param reconciled how an UNKNOWN outcome was settled later by reading DingTalk; null unless it was
 */
public record AuditEvent(
        UUID id,
        Instant occurredAt,
        @Nullable Instant completedAt,
        @Nullable Long durationMs,
        String actor,
        @Nullable String clientId,
        @Nullable String actorDingTalkUserId,
        String operation,
        String target,
        String summary,
        AuditOutcome outcome,
        @Nullable String failure,
        @Nullable String upstreamCode,
        @Nullable String upstreamRequestId,
        String requestId,
        @Nullable UUID batchId,
        @Nullable Reconciliation reconciled) {

    /** A row of no batch that no reconciliation has settled. */
    public AuditEvent(
            UUID id,
            Instant occurredAt,
            @Nullable Instant completedAt,
            @Nullable Long durationMs,
            String actor,
            @Nullable String clientId,
            @Nullable String actorDingTalkUserId,
            String operation,
            String target,
            String summary,
            AuditOutcome outcome,
            @Nullable String failure,
            @Nullable String upstreamCode,
            @Nullable String upstreamRequestId,
            String requestId) {
        this(
                id,
                occurredAt,
                completedAt,
                durationMs,
                actor,
                clientId,
                actorDingTalkUserId,
                operation,
                target,
                summary,
                outcome,
                failure,
                upstreamCode,
                upstreamRequestId,
                requestId,
                null,
                null);
    }
}
