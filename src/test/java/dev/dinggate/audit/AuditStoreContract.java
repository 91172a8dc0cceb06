package dev.dinggate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the audit store must do on every database it supports. Each subclass supplies a database;
 * the schema comes from the application's own Flyway migrations.
 */
abstract class AuditStoreContract {

    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    protected JdbcAuditStore store;
    protected JdbcClient jdbc;

    /** A database with an empty schema to migrate into, for this test only. */
    protected abstract DataSource dataSource();

    /** Extra Flyway settings, e.g. the schema to use. */
    protected Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).cleanDisabled(false).load();
    }

    @BeforeEach
    void migrate() {
        DataSource dataSource = dataSource();
        Flyway flyway = flyway(dataSource);
        flyway.clean();
        flyway.migrate();
        jdbc = JdbcClient.create(dataSource);
        store = new JdbcAuditStore(jdbc);
    }

    @Test
    void pendingRowIsDurableAndIsCompletedOnce() {
        AuditEvent pending = pending(T0, "alice", "org-account.change-dingtalk-id", "user1001");
        store.insertPending(pending);

        assertThat(store.find(query(null, null, null, AuditOutcome.PENDING)))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.id()).isEqualTo(pending.id());
                    assertThat(row.occurredAt()).isEqualTo(T0);
                    assertThat(row.completedAt()).isNull();
                    assertThat(row.durationMs()).isNull();
                });
        assertThat(store.complete(
                        pending.id(),
                        AuditOutcome.FAILED,
                        T0.plusMillis(120),
                        120,
                        "dingtalk-id.taken",
                        "incorrect.reserved",
                        "UP-1"))
                .isTrue();
        assertThat(store.complete(pending.id(), AuditOutcome.SUCCEEDED, T0.plusMillis(130), 130, null, null, null))
                .as("a completed row is never rewritten")
                .isFalse();

        AuditEvent row = store.find(query(null, null, null, null)).getFirst();
        assertThat(row.outcome()).isEqualTo(AuditOutcome.FAILED);
        assertThat(row.durationMs()).isEqualTo(120);
        assertThat(row.completedAt()).isEqualTo(T0.plusMillis(120));
        assertThat(row.upstreamCode()).isEqualTo("incorrect.reserved");
        assertThat(row.upstreamRequestId()).isEqualTo("UP-1");
        assertThat(row.failure()).isEqualTo("dingtalk-id.taken");
        assertThat(row.actor()).isEqualTo("alice");
        assertThat(row.clientId()).isEqualTo("hr-system");
        assertThat(row.actorDingTalkUserId()).isEqualTo("manager4220");
        assertThat(row.requestId()).isEqualTo("req-1");
    }

    @Test
    void filtersCombineAndPagesFollowAStableNewestFirstOrder() {
        for (int i = 0; i < 7; i++) {
            store.insertPending(pending(T0.plusSeconds(i), i % 2 == 0 ? "alice" : "bob", "op.a", "user" + i));
        }
        // Two rows at the very same instant: the id breaks the tie, so pages never overlap.
        store.insertPending(pending(T0.plusSeconds(3), "alice", "op.b", "user3"));

        assertThat(store.count(query("alice", null, null, null))).isEqualTo(5);
        assertThat(store.find(query("alice", "op.a", null, null)))
                .extracting(AuditEvent::target)
                .containsExactly("user6", "user4", "user2", "user0");
        assertThat(store.find(query(null, null, "user3", null))).hasSize(2);

        List<UUID> firstPage =
                store.find(page(0, 3)).stream().map(AuditEvent::id).toList();
        List<UUID> secondPage =
                store.find(page(1, 3)).stream().map(AuditEvent::id).toList();
        List<UUID> thirdPage =
                store.find(page(2, 3)).stream().map(AuditEvent::id).toList();
        assertThat(firstPage).hasSize(3).doesNotContainAnyElementsOf(secondPage);
        assertThat(thirdPage).hasSize(2).doesNotContainAnyElementsOf(firstPage).doesNotContainAnyElementsOf(secondPage);
        assertThat(store.find(page(0, 3)).stream().map(AuditEvent::id).toList()).isEqualTo(firstPage);
    }

    @Test
    void timeRangeIsFromInclusiveToExclusive() {
        for (int i = 0; i < 5; i++) {
            store.insertPending(pending(T0.plus(i, ChronoUnit.HOURS), "alice", "op", "t" + i));
        }

        AuditEventQuery range = new AuditEventQuery(
                null, null, null, null, T0.plus(1, ChronoUnit.HOURS), T0.plus(3, ChronoUnit.HOURS), null, null, null);

        assertThat(store.find(range)).extracting(AuditEvent::target).containsExactly("t2", "t1");
    }

    @Test
    void rowsLeftPendingByACrashAreMarkedUnknownAtTheNextStartButRecentOnesAreLeftAlone() {
        AuditEvent abandoned = pending(T0, "alice", "org-account.change-dingtalk-id", "user1001");
        AuditEvent inFlight =
                pending(T0.plus(Duration.ofMinutes(29)), "bob", "org-account.change-dingtalk-id", "user1004");
        store.insertPending(abandoned);
        store.insertPending(inFlight);

        // The gateway "restarts" 30 minutes later, recovering rows older than 10 minutes.
        JdbcAuditStore afterRestart = new JdbcAuditStore(jdbc);
        Instant now = T0.plus(Duration.ofMinutes(30));
        assertThat(afterRestart.markAbandonedPendingUnknown(now.minus(Duration.ofMinutes(10)), now))
                .isEqualTo(1);

        assertThat(afterRestart.find(query(null, null, "user1001", null)))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.outcome()).isEqualTo(AuditOutcome.UNKNOWN);
                    assertThat(row.completedAt()).isEqualTo(now);
                    assertThat(row.failure()).contains("stopped");
                });
        assertThat(afterRestart.find(query(null, null, "user1004", null)))
                .singleElement()
                .extracting(AuditEvent::outcome)
                .isEqualTo(AuditOutcome.PENDING);
    }

    @Test
    void purgeDeletesOnlyCompletedRowsOlderThanTheCutoff() {
        AuditEvent old = pending(T0, "alice", "op", "old");
        AuditEvent oldPending = pending(T0, "alice", "op", "old-pending");
        AuditEvent recent = pending(T0.plus(Duration.ofDays(10)), "alice", "op", "recent");
        store.insertPending(old);
        store.insertPending(oldPending);
        store.insertPending(recent);
        store.complete(old.id(), AuditOutcome.SUCCEEDED, T0, 1, null, null, null);
        store.complete(recent.id(), AuditOutcome.SUCCEEDED, T0, 1, null, null, null);

        assertThat(store.purgeCompletedBefore(T0.plus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(store.find(query(null, null, null, null)))
                .extracting(AuditEvent::target)
                .containsExactlyInAnyOrder("recent", "old-pending");
    }

    @Test
    void unicodeSummariesSurviveTheRoundTrip() {
        AuditEvent event = new AuditEvent(
                UUID.randomUUID(),
                T0,
                null,
                null,
                "王芳",
                null,
                null,
                "op",
                "user1",
                "把钉钉号改为 lisi2026 ✓",
                AuditOutcome.PENDING,
                null,
                null,
                null,
                "req-2");
        store.insertPending(event);

        assertThat(store.find(query("王芳", null, null, null)))
                .singleElement()
                .extracting(AuditEvent::summary)
                .isEqualTo("把钉钉号改为 lisi2026 ✓");
    }

    private static AuditEvent pending(Instant at, String actor, String operation, String target) {
        return new AuditEvent(
                UUID.randomUUID(),
                at,
                null,
                null,
                actor,
                "hr-system",
                "manager4220",
                operation,
                target,
                "summary of " + target,
                AuditOutcome.PENDING,
                null,
                null,
                null,
                "req-1");
    }

    private static AuditEventQuery query(String actor, String operation, String target, AuditOutcome outcome) {
        return new AuditEventQuery(actor, operation, target, outcome, null, null, null, null, null);
    }

    private static AuditEventQuery page(int page, int size) {
        return new AuditEventQuery(null, null, null, null, null, null, null, page, size);
    }
}
