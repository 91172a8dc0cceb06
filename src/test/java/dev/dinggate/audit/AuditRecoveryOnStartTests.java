package dev.dinggate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.ProductionGatewayTest;
import dev.dinggate.support.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A gateway that died between the PENDING commit and DingTalk's answer left a row behind; the next
 * gateway to start on the same database marks it UNKNOWN and counts it.
 */
class AuditRecoveryOnStartTests extends ProductionGatewayTest {

    private static final UUID ABANDONED = UUID.randomUUID();
    private static final UUID IN_FLIGHT = UUID.randomUUID();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    /** Runs before the gateway starts: the earlier run's schema, as the crash left it; the gateway then starts on it. */
    @DynamicPropertySource
    static void databaseLeftByACrashedRun(DynamicPropertyRegistry registry) {
        TestPostgres.Schema schema = TestPostgres.schemaFor(AuditRecoveryOnStartTests.class);
        Flyway.configure()
                .dataSource(schema.dataSource())
                .schemas(schema.name())
                .load()
                .migrate();
        JdbcAuditStore earlierRun = new JdbcAuditStore(schema.jdbc());
        earlierRun.insertPending(pending(ABANDONED, Instant.now().minus(Duration.ofHours(1))));
        earlierRun.insertPending(pending(IN_FLIGHT, Instant.now()));
    }

    @Test
    void abandonedPendingRowIsMarkedUnknownAndCountedWhileARecentOneIsLeftAlone() {
        assertThat(outcomeOf(ABANDONED)).isEqualTo("UNKNOWN");
        assertThat(outcomeOf(IN_FLIGHT))
                .as("younger than gateway.audit.recover-pending-older-than")
                .isEqualTo("PENDING");
        assertThat(meters.get("gateway.audit.recovered").counter().count()).isEqualTo(1.0);
    }

    private String outcomeOf(UUID id) {
        return jdbc.sql("SELECT outcome FROM audit_event WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    private static AuditEvent pending(UUID id, Instant at) {
        return new AuditEvent(
                id,
                at,
                null,
                null,
                "alice",
                "hr-system",
                "manager4220",
                "org-account.change-dingtalk-id",
                "user1001",
                "set DingTalk ID to lisi2026",
                AuditOutcome.PENDING,
                null,
                null,
                null,
                "req-crashed");
    }
}
