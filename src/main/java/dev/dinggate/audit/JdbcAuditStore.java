package dev.dinggate.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The audit trail in a relational database (H2 or PostgreSQL). Rows are inserted PENDING and then
 * completed once; the API never edits or deletes them.
 */
@Repository
class JdbcAuditStore {

    private static final String COLUMNS = "id, occurred_at, completed_at, duration_ms, actor, client_id, "
            + "actor_dingtalk_user_id, operation, target, summary, outcome, failure, upstream_code, "
            + "upstream_request_id, request_id, batch_id, reconciled_at, reconciled_how, reconciled_from";

    private final JdbcClient jdbc;

    JdbcAuditStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Commits a PENDING row; each statement runs in its own transaction, so it is durable on return. */
    void insertPending(AuditEvent event) {
        jdbc.sql("INSERT INTO audit_event (id, occurred_at, actor, client_id, actor_dingtalk_user_id, operation, "
                        + "target, summary, outcome, request_id, batch_id) VALUES (:id, :occurredAt, :actor, :clientId, "
                        + ":actorDingTalkUserId, :operation, :target, :summary, 'PENDING', :requestId, :batchId)")
                .param("id", event.id())
                .param("occurredAt", utc(event.occurredAt()))
                .param("actor", event.actor())
                .param("clientId", event.clientId())
                .param("actorDingTalkUserId", event.actorDingTalkUserId())
                .param("operation", event.operation())
                .param("target", event.target())
                .param("summary", event.summary())
                .param("requestId", event.requestId())
                .param("batchId", event.batchId())
                .update();
    }

    /** Records the outcome of a PENDING row; a row already completed is left as it is. */
    boolean complete(
            UUID id,
            AuditOutcome outcome,
            Instant completedAt,
            long durationMs,
            @Nullable String failure,
            @Nullable String upstreamCode,
            @Nullable String upstreamRequestId) {
        return jdbc.sql("UPDATE audit_event SET outcome = :outcome, completed_at = :completedAt, "
                                + "duration_ms = :durationMs, failure = :failure, upstream_code = :upstreamCode, "
                                + "upstream_request_id = :upstreamRequestId WHERE id = :id AND outcome = 'PENDING'")
                        .param("outcome", outcome.name())
                        .param("completedAt", utc(completedAt))
                        .param("durationMs", durationMs)
                        .param("failure", failure)
                        .param("upstreamCode", upstreamCode)
                        .param("upstreamRequestId", upstreamRequestId)
                        .param("id", id)
                        .update()
                == 1;
    }

    /** Marks rows a crash left PENDING, recorded before {@code cutoff}, as UNKNOWN; returns how many. */
    int markAbandonedPendingUnknown(Instant cutoff, Instant now) {
        return jdbc.sql("UPDATE audit_event SET outcome = 'UNKNOWN', completed_at = :now, "
                        + "failure = 'gateway stopped before the outcome was recorded' "
                        + "WHERE outcome = 'PENDING' AND occurred_at < :cutoff")
                .param("now", utc(now))
                .param("cutoff", utc(cutoff))
                .update();
    }

    /** Deletes completed rows recorded before {@code cutoff}; returns how many. */
    int purgeCompletedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM audit_event WHERE occurred_at < :cutoff AND outcome <> 'PENDING'")
                .param("cutoff", utc(cutoff))
                .update();
    }

    List<AuditEvent> find(AuditEventQuery query) {
        Where where = where(query);
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_event" + where.sql()
                        + " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(where.params())
                .param("limit", query.pageSize())
                .param("offset", (long) query.pageNumber() * query.pageSize())
                .query(JdbcAuditStore::event)
                .list();
    }

    long count(AuditEventQuery query) {
        Where where = where(query);
        return jdbc.sql("SELECT COUNT(*) FROM audit_event" + where.sql())
                .params(where.params())
                .query(Long.class)
                .single();
    }

    private record Where(String sql, Map<String, Object> params) {}

    private static Where where(AuditEventQuery query) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (query.actor() != null) {
            conditions.add("actor = :actor");
            params.put("actor", query.actor());
        }
        if (query.operation() != null) {
            conditions.add("operation = :operation");
            params.put("operation", query.operation());
        }
        if (query.target() != null) {
            conditions.add("target = :target");
            params.put("target", query.target());
        }
        if (query.outcome() != null) {
            conditions.add("outcome = :outcome");
            params.put("outcome", query.outcome().name());
        }
        if (query.reconciled() != null) {
            conditions.add(query.reconciled() ? "reconciled_at IS NOT NULL" : "reconciled_at IS NULL");
        }
        if (query.batchId() != null) {
            conditions.add("batch_id = :batchId");
            params.put("batchId", query.batchId());
        }
        if (query.from() != null) {
            conditions.add("occurred_at >= :from");
            params.put("from", utc(query.from()));
        }
        if (query.to() != null) {
            conditions.add("occurred_at < :to");
            params.put("to", utc(query.to()));
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), params);
    }

    private static AuditEvent event(ResultSet row, int rowNumber) throws SQLException {
        return new AuditEvent(
                row.getObject("id", UUID.class),
                instant(row, "occurred_at"),
                instant(row, "completed_at"),
                row.getObject("duration_ms", Long.class),
                row.getString("actor"),
                row.getString("client_id"),
                row.getString("actor_dingtalk_user_id"),
                row.getString("operation"),
                row.getString("target"),
                row.getString("summary"),
                AuditOutcome.valueOf(row.getString("outcome")),
                row.getString("failure"),
                row.getString("upstream_code"),
                row.getString("upstream_request_id"),
                row.getString("request_id"),
                row.getObject("batch_id", UUID.class),
                reconciliation(row));
    }

    private static @Nullable Reconciliation reconciliation(ResultSet row) throws SQLException {
        Instant at = instant(row, "reconciled_at");
        return at == null
                ? null
                : new Reconciliation(
                        at, row.getString("reconciled_how"), AuditOutcome.valueOf(row.getString("reconciled_from")));
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
