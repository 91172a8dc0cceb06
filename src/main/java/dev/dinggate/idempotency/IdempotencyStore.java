package dev.dinggate.idempotency;

import java.sql.DatabaseMetaData;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The {@code idempotency_key} table, the one truth every replica shares. A key is claimed by inserting
 * its row: the primary key lets exactly one request win, on any replica. Every row has an expiry: the
 * end of the claim while its request runs, the end of the retention once the answer is stored; a row
 * past it counts as absent.
 */
class IdempotencyStore {

    /** Rows one purge statement deletes: a purge of a busy day never holds a long lock. */
    static final int PURGE_BATCH = 1000;

    private final JdbcClient jdbc;
    private final String insert;

    IdempotencyStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        String columns = "INSERT INTO idempotency_key (id, fingerprint, attempt, expires_at) "
                + "VALUES (:id, :fingerprint, :attempt, :expiresAt)";
        // PostgreSQL says "taken" without an error (and without one in its log); H2, without PostgreSQL
        // mode in the sandbox's URL, has no such clause, and its duplicate key error says the same.
        this.insert = isPostgres(dataSource) ? columns + " ON CONFLICT DO NOTHING" : columns;
    }

    /** What a request with a key may do. */
    sealed interface Claim {

        /** The key is this request's: process it, then {@link #complete} or {@link #release} this attempt. */
        record Granted(UUID attempt) implements Claim {}

        /** The key's request has been answered: replay that answer. */
        record Answered(StoredAnswer answer) implements Claim {}

        /** The key's request is still running. */
        record InFlight() implements Claim {}

        /** The key belongs to another request (method, path or body). */
        record OtherRequest() implements Claim {}
    }

    /**
     * Claims {@code id} for a request with {@code fingerprint} until {@code claimExpiry}, or tells what the
     * key is already doing.
     */
    Claim claim(String id, String fingerprint, Instant now, Instant claimExpiry) {
        UUID attempt = UUID.randomUUID();
        // Between a refused insert and the read, the row may be released or purged: then claim again.
        for (int round = 0; round < 3; round++) {
            if (inserted(id, fingerprint, attempt, claimExpiry)
                    || tookOverExpired(id, fingerprint, attempt, now, claimExpiry)) {
                return new Claim.Granted(attempt);
            }
            Optional<Claim> existing = existing(id, fingerprint);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        return new Claim.InFlight();
    }

    /** Stores the answer of a granted attempt; false if the claim was lost (expired and taken over). */
    boolean complete(String id, UUID attempt, StoredAnswer answer, Instant expiresAt) {
        return jdbc.sql(
                                "UPDATE idempotency_key SET status = :status, content_type = :contentType, "
                                        + "location = :location, body = :body, expires_at = :expiresAt WHERE id = :id AND attempt = :attempt")
                        .param("status", answer.status())
                        .param("contentType", answer.contentType())
                        .param("location", answer.location())
                        .param("body", answer.body())
                        .param("expiresAt", utc(expiresAt))
                        .param("id", id)
                        .param("attempt", attempt)
                        .update()
                == 1;
    }

    /** Gives the key up, so that a retry with it is processed as a first request. */
    void release(String id, UUID attempt) {
        jdbc.sql("DELETE FROM idempotency_key WHERE id = :id AND attempt = :attempt")
                .param("id", id)
                .param("attempt", attempt)
                .update();
    }

    /**
     * Deletes expired rows; returns how many. Any number of replicas may run it at once: each row is
     * deleted once, and a row deleted under a request's feet is only claimed again.
     */
    int purgeExpired(Instant now) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("DELETE FROM idempotency_key WHERE id IN (SELECT id FROM idempotency_key "
                            + "WHERE expires_at <= :now FETCH FIRST " + PURGE_BATCH + " ROWS ONLY)")
                    .param("now", utc(now))
                    .update();
            total += deleted;
        } while (deleted == PURGE_BATCH);
        return total;
    }

    private boolean inserted(String id, String fingerprint, UUID attempt, Instant claimExpiry) {
        try {
            return jdbc.sql(insert)
                            .param("id", id)
                            .param("fingerprint", fingerprint)
                            .param("attempt", attempt)
                            .param("expiresAt", utc(claimExpiry))
                            .update()
                    == 1;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    /**
     * An expired row (an answer past its retention, a claim whose replica died) is as good as absent:
     * the first request to update it owns the key. The condition is checked again under the row's lock,
     * so two requests never both take it over.
     */
    private boolean tookOverExpired(String id, String fingerprint, UUID attempt, Instant now, Instant claimExpiry) {
        return jdbc.sql("UPDATE idempotency_key SET fingerprint = :fingerprint, attempt = :attempt, "
                                + "expires_at = :claimExpiry, status = NULL, content_type = NULL, location = NULL, body = NULL "
                                + "WHERE id = :id AND expires_at <= :now")
                        .param("fingerprint", fingerprint)
                        .param("attempt", attempt)
                        .param("claimExpiry", utc(claimExpiry))
                        .param("id", id)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    private Optional<Claim> existing(String id, String fingerprint) {
        return jdbc.sql("SELECT fingerprint, status, content_type, location, body FROM idempotency_key WHERE id = :id")
                .param("id", id)
                .query((row, number) -> {
                    if (!fingerprint.equals(row.getString("fingerprint"))) {
                        return (Claim) new Claim.OtherRequest();
                    }
                    int status = row.getInt("status");
                    if (row.wasNull()) {
                        return new Claim.InFlight();
                    }
                    byte[] body = row.getBytes("body");
                    return new Claim.Answered(new StoredAnswer(
                            status,
                            row.getString("content_type"),
                            row.getString("location"),
                            body == null ? new byte[0] : body));
                })
                .optional();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static boolean isPostgres(DataSource dataSource) {
        try {
            return "PostgreSQL"
                    .equals(JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName));
        } catch (MetaDataAccessException unreachable) {
            throw new IllegalStateException("Cannot tell which database holds the idempotency keys", unreachable);
        }
    }
}
