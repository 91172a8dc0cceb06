package dev.dinggate.directory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The PostgreSQL notification channel on which every replica's mirror writes name the users they touched, so that
 * each replica's {@link MirrorReadCache} drops them. One channel per schema: notifications are database-wide, and
 * deployments sharing a database in separate schemas have nothing to say to each other. On H2 there is none.
 */
@Component
class MirrorChannel {

    /** What a notification carries when it names no users: drop every one. */
    static final String EVERY_USER = "*";

    /** PostgreSQL refuses payloads from 8,000 bytes; past this, one "every user" says it in a byte. */
    private static final int MAXIMUM_PAYLOAD = 7_000;

    private final DataSource dataSource;
    private final MirrorReadCache cache;
    private volatile @Nullable String name;
    private volatile boolean resolved;

    MirrorChannel(DataSource dataSource, MirrorReadCache cache) {
        this.dataSource = dataSource;
        this.cache = cache;
    }

    /** The channel's name, or null when the database is not PostgreSQL; resolved through {@code connection}. */
    @Nullable
    String name(Connection connection) throws SQLException {
        if (!resolved) {
            name = nameFor(connection);
            resolved = true;
        }
        return name;
    }

    /**
     * Within a mirror transaction: once it commits, these users changed. This replica's cache drops them as soon
     * as the commit returns (a read on this replica right after a write sees it); the others when the
     * notification sent in the transaction arrives.
     */
    void touched(JdbcClient jdbc, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        List<String> touched = List.copyOf(userIds);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                // Also after a rollback: dropping costs a database read, keeping a wrong user costs more.
                cache.evict(touched);
            }
        });
        announce(jdbc, touched);
    }

    private void announce(JdbcClient jdbc, Collection<String> userIds) {
        // The transaction's own connection: a write that reached the database always announces.
        Connection connection = DataSourceUtils.getConnection(dataSource);
        String channel;
        try {
            channel = name(connection);
        } catch (SQLException failed) {
            throw new IllegalStateException("Could not tell which database the mirror is in", failed);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
        if (channel == null) {
            return;
        }
        jdbc.sql("SELECT pg_notify(:channel, :payload)")
                .param("channel", channel)
                .param("payload", payload(userIds))
                .query((row, n) -> 1)
                .list();
    }

    static String payload(Collection<String> userIds) {
        String joined = String.join(",", userIds);
        boolean nameable = joined.length() <= MAXIMUM_PAYLOAD
                && userIds.stream().noneMatch(id -> id.contains(",") || id.equals(EVERY_USER));
        return nameable ? joined : EVERY_USER;
    }

    private static @Nullable String nameFor(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(PGConnection.class)) {
            return null;
        }
        String schema = connection.getSchema();
        CRC32 crc = new CRC32();
        crc.update(String.valueOf(schema).getBytes(StandardCharsets.UTF_8));
        // An unquoted identifier (LISTEN takes one) of lower-case letters, digits and underscores.
        return "dinggate_mirror_"
                + HexFormat.of().toHexDigits((int) crc.getValue()).toLowerCase(Locale.ROOT);
    }
}
