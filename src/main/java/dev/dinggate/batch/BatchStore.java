package dev.dinggate.batch;

import dev.dinggate.audit.AuditOutcome;
import dev.dinggate.security.Caller;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Batches and their items in the gateway's database. Every statement commits on its own, so that an
 * item's {@code sending} is durable before DingTalk is called; state changes are conditional updates, so
 * that two replicas can never both claim an item.
 */
@Repository
public class BatchStore {

    private static final String ITEM_COLUMNS = "item_index, operation, request, state, status, code, result";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    BatchStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** A batch as stored: its state and the caller its items are sent as. */
    record StoredBatch(
            UUID id,
            String state,
            Instant createdAt,
            @Nullable Instant completedAt,
            int total,
            Caller creator) {}

    /** An item as stored. */
    record StoredItem(
            int index,
            BatchOperation operation,
            String request,
            String state,
            @Nullable Integer status,
            @Nullable String code,
            @Nullable String result) {}

    /** How an item ended. */
    record Outcome(
            String state,
            int status,
            @Nullable String code,
            @Nullable String result) {}

    void insert(StoredBatch batch, List<StoredItem> items) {
        Caller creator = batch.creator();
        jdbc.sql("INSERT INTO batch (id, state, created_at, total, creator, creator_client_id, "
                        + "creator_dingtalk_user_id, creator_scopes) VALUES (:id, 'queued', :createdAt, :total, "
                        + ":creator, :clientId, :dingTalkUserId, :scopes)")
                .param("id", batch.id())
                .param("createdAt", utc(batch.createdAt()))
                .param("total", batch.total())
                .param("creator", creator.principal())
                .param("clientId", creator.clientId())
                .param("dingTalkUserId", creator.dingTalkUserId())
                .param("scopes", String.join(" ", creator.scopes()))
                .update();
        template.batchUpdate(
                "INSERT INTO batch_item (batch_id, item_index, operation, request, state) VALUES (?, ?, ?, ?, "
                        + "'pending')",
                items.stream()
                        .map(item -> new Object[] {
                            batch.id(), item.index(), item.operation().name(), item.request()
                        })
                        .toList());
    }

    Optional<StoredBatch> batch(UUID id) {
        return jdbc.sql("SELECT id, state, created_at, completed_at, total, creator, creator_client_id, "
                        + "creator_dingtalk_user_id, creator_scopes FROM batch WHERE id = :id")
                .param("id", id)
                .query(BatchStore::batchOf)
                .optional();
    }

    List<StoredItem> items(UUID batchId) {
        return jdbc.sql("SELECT " + ITEM_COLUMNS + " FROM batch_item WHERE batch_id = :id ORDER BY item_index")
                .param("id", batchId)
                .query(BatchStore::itemOf)
                .list();
    }

    /** The next items not yet started, in order. */
    List<StoredItem> pending(UUID batchId, int limit) {
        return jdbc.sql("SELECT " + ITEM_COLUMNS + " FROM batch_item WHERE batch_id = :id AND state = 'pending' "
                        + "ORDER BY item_index LIMIT :limit")
                .param("id", batchId)
                .param("limit", limit)
                .query(BatchStore::itemOf)
                .list();
    }

    void markRunning(UUID batchId) {
        jdbc.sql("UPDATE batch SET state = 'running' WHERE id = :id AND state = 'queued'")
                .param("id", batchId)
                .update();
    }

    /**
     * Items a dead replica left {@code sending}: they may have reached DingTalk, so they are never sent
     * again but marked {@code unknown}, to be settled through their audit rows.
     */
    int markAbandonedUnknown(UUID batchId) {
        return jdbc.sql("UPDATE batch_item SET state = 'unknown', status = 504, code = 'upstream.outcome-unknown' "
                        + "WHERE batch_id = :id AND state = 'sending'")
                .param("id", batchId)
                .update();
    }

    /** Takes a pending item for sending, under the audit row id it will be recorded with; false if gone. */
    boolean claim(UUID batchId, int index, UUID auditEventId) {
        return jdbc.sql("UPDATE batch_item SET state = 'sending', audit_event_id = :auditEventId "
                                + "WHERE batch_id = :id AND item_index = :index AND state = 'pending'")
                        .param("auditEventId", auditEventId)
                        .param("id", batchId)
                        .param("index", index)
                        .update()
                == 1;
    }

    /** Records how the attempt ended; also over an {@code unknown} a take-over wrote meanwhile: this is known. */
    void finish(UUID batchId, int index, UUID auditEventId, Outcome outcome) {
        jdbc.sql("UPDATE batch_item SET state = :state, status = :status, code = :code, result = :result "
                        + "WHERE batch_id = :id AND item_index = :index AND audit_event_id = :auditEventId "
                        + "AND state IN ('sending', 'unknown')")
                .param("state", outcome.state())
                .param("status", outcome.status())
                .param("code", outcome.code())
                .param("result", outcome.result())
                .param("id", batchId)
                .param("index", index)
                .param("auditEventId", auditEventId)
                .update();
    }

    /** Completes the batch once no item is left to send or in flight; true if it is done. */
    boolean completeIfDone(UUID batchId, Instant now) {
        long open = jdbc.sql("SELECT COUNT(*) FROM batch_item WHERE batch_id = :id AND state IN ('pending', 'sending')")
                .param("id", batchId)
                .query(Long.class)
                .single();
        if (open > 0) {
            return false;
        }
        jdbc.sql("UPDATE batch SET state = 'completed', completed_at = :now WHERE id = :id "
                        + "AND state IN ('queued', 'running')")
                .param("now", utc(now))
                .param("id", batchId)
                .update();
        return true;
    }

    /** Cancels the items not yet started and the batch; items in flight finish as they will. */
    void cancel(UUID batchId, Instant now) {
        jdbc.sql("UPDATE batch_item SET state = 'cancelled' WHERE batch_id = :id AND state = 'pending'")
                .param("id", batchId)
                .update();
        jdbc.sql("UPDATE batch SET state = 'cancelled', completed_at = :now WHERE id = :id "
                        + "AND state IN ('queued', 'running')")
                .param("now", utc(now))
                .param("id", batchId)
                .update();
    }

    /**
     * Settles an {@code unknown} item as the reconciler settled its audit row; its status and code stay those
     * its call ended with (504 {@code upstream.outcome-unknown}), the audit row says how it was settled.
     */
    public boolean settle(UUID auditEventId, AuditOutcome outcome) {
        String state = switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            default -> throw new IllegalArgumentException("an item settles as SUCCEEDED or FAILED");
        };
        return jdbc.sql(
                                "UPDATE batch_item SET state = :state WHERE audit_event_id = :auditEventId AND state = 'unknown'")
                        .param("state", state)
                        .param("auditEventId", auditEventId)
                        .update()
                == 1;
    }

    private static StoredBatch batchOf(ResultSet row, int rowNumber) throws SQLException {
        return new StoredBatch(
                row.getObject("id", UUID.class),
                row.getString("state"),
                java.util.Objects.requireNonNull(instant(row, "created_at")),
                instant(row, "completed_at"),
                row.getInt("total"),
                new Caller(
                        row.getString("creator"),
                        row.getString("creator_client_id"),
                        row.getString("creator_dingtalk_user_id"),
                        new LinkedHashSet<>(
                                Arrays.asList(row.getString("creator_scopes").split(" ")))));
    }

    private static StoredItem itemOf(ResultSet row, int rowNumber) throws SQLException {
        return new StoredItem(
                row.getInt("item_index"),
                BatchOperation.valueOf(row.getString("operation")),
                row.getString("request"),
                row.getString("state"),
                row.getObject("status", Integer.class),
                row.getString("code"),
                row.getString("result"));
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
