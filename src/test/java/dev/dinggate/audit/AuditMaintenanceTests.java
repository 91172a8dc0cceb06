package dev.dinggate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The scheduled retention purge: off unless a retention is set, and then only for old, completed rows. */
class AuditMaintenanceTests {

    private static final Instant NOW = Instant.parse("2026-11-21T03:30:00Z");

    private JdbcAuditStore store;
    private JdbcClient jdbc;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void database() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:maintenance-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = JdbcClient.create(dataSource);
        store = new JdbcAuditStore(jdbc);
        completed(NOW.minus(Duration.ofDays(500)));
        completed(NOW.minus(Duration.ofDays(5)));
    }

    @Test
    void withoutARetentionEveryRowIsKept() {
        maintenance(null).purgeExpired();

        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void withARetentionOlderCompletedRowsArePurgedAndCounted() {
        maintenance(Duration.ofDays(400)).purgeExpired();

        assertThat(rows()).isEqualTo(1);
        assertThat(meters.get("gateway.audit.purged").counter().count()).isEqualTo(1.0);
    }

    private AuditMaintenance maintenance(Duration retention) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("clock", new MutableClock(NOW));
        return new AuditMaintenance(
                store,
                new AuditProperties(Duration.ofMinutes(10), retention, "0 30 3 * * *"),
                beans.getBeanProvider(java.time.Clock.class),
                meters);
    }

    private void completed(Instant at) {
        UUID id = UUID.randomUUID();
        store.insertPending(new AuditEvent(
                id,
                at,
                null,
                null,
                "alice",
                null,
                null,
                "op",
                "user1",
                "summary",
                AuditOutcome.PENDING,
                null,
                null,
                null,
                "req"));
        store.complete(id, AuditOutcome.SUCCEEDED, at, 1, null, null, null);
    }

    private long rows() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_event").query(Long.class).single();
    }
}
