package dev.dinggate.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.directory.MirrorWriter.Outcome;
import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The mirror's writes on PostgreSQL, as in production, in a schema of this class's own; and what only PostgreSQL
 * does: a write names the users it touched on the schema's notification channel, and a read that finds nothing new
 * confirms without waiting for the fleet's lock.
 */
@NeedsPostgres
class PostgresMirrorWriterTests extends MirrorWriterContract {

    /** A bound for a write that should not wait at all, so that a write that waits fails rather than hangs. */
    private static final long NO_WAIT_BOUND_SECONDS = 30;

    @Override
    protected DataSource dataSource() {
        return TestPostgres.schemaFor(PostgresMirrorWriterTests.class).dataSource();
    }

    @Override
    protected Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(TestPostgres.schemaFor(PostgresMirrorWriterTests.class).name())
                .cleanDisabled(false)
                .load();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.drop(PostgresMirrorWriterTests.class);
    }

    @Test
    void everyWriteNamesTheUsersItTouchedOnTheSchemasChannel() throws Exception {
        DataSource dataSource = dataSource();
        try (Connection listener = dataSource.getConnection()) {
            String channel = new MirrorChannel(dataSource, new MirrorReadCache(Duration.ZERO)).name(listener);
            try (Statement listen = listener.createStatement()) {
                listen.execute("LISTEN " + channel);
            }

            writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L)), user("u2", "Wang Wu", List.of(2L))), at(1));
            writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(2));
            writer.removeUser("u2", at(3));

            assertThat(notifications(listener.unwrap(PGConnection.class), 3)).containsExactly("u1,u2", "u1", "u2");
        }
    }

    @Test
    void aUserReadAsTheMirrorHoldsThemIsConfirmedWhileAnotherWriterHoldsTheLock() throws Exception {
        writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(1));
        try (Connection other = dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (Statement lock = other.createStatement()) {
                lock.execute("SELECT id FROM directory_state WHERE id = 1 FOR UPDATE");
            }

            CompletableFuture<Map<String, Outcome>> confirmed = CompletableFuture.supplyAsync(
                    () -> writer.upsertUsers(List.of(user("u1", "Li Si", List.of(2L))), at(2)));

            assertThat(confirmed.get(NO_WAIT_BOUND_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(Map.of("u1", Outcome.CONFIRMED));
            other.rollback();
        }
    }

    private static List<String> notifications(PGConnection listener, int expected) throws Exception {
        List<String> payloads = new ArrayList<>();
        for (int attempt = 0; attempt < 20 && payloads.size() < expected; attempt++) {
            PGNotification[] arrived = listener.getNotifications(500);
            if (arrived != null) {
                Arrays.stream(arrived).map(PGNotification::getParameter).forEach(payloads::add);
            }
        }
        return payloads;
    }
}
