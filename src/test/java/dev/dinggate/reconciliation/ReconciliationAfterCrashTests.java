package dev.dinggate.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.audit.Settlement;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.MutableClock;
import dev.dinggate.support.ProductionGatewayTest;
import dev.dinggate.support.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A gateway that died after sending a delete, before DingTalk's answer, left a PENDING row and the facts
 * beside it. The next start marks the row UNKNOWN; the reconciler then settles it from DingTalk's read.
 */
@Import(ReconciliationAfterCrashTests.HandMovedClock.class)
class ReconciliationAfterCrashTests extends ProductionGatewayTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final UUID CRASHED = UUID.randomUUID();
    private static final String USER = "crashed" + CRASHED.toString().substring(0, 8);

    @Autowired
    Reconciler reconciler;

    @Autowired
    JdbcClient jdbc;

    @LocalManagementPort
    int managementPort;

    @TestConfiguration
    static class HandMovedClock {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    /** Runs before the gateway starts: the schema as the dead run left it. */
    @DynamicPropertySource
    static void databaseLeftByACrashedRun(DynamicPropertyRegistry registry) {
        registry.add("dingtalk.rate-limit.qps", () -> "100000");
        registry.add("gateway.reconciliation.interval", () -> "1h");
        TestPostgres.Schema schema = TestPostgres.schemaFor(ReconciliationAfterCrashTests.class);
        Flyway.configure()
                .dataSource(schema.dataSource())
                .schemas(schema.name())
                .load()
                .migrate();
        Instant sent = CLOCK.instant().minus(Duration.ofHours(1));
        Settlement facts = Settlements.userDeleted(USER);
        schema.jdbc()
                .sql("INSERT INTO audit_settlement (audit_event_id, kind, facts, recorded_at) "
                        + "VALUES (:id, :kind, :facts, :at)")
                .param("id", CRASHED)
                .param("kind", facts.kind())
                .param("facts", facts.facts())
                .param("at", sent.atOffset(ZoneOffset.UTC))
                .update();
        schema.jdbc()
                .sql("INSERT INTO audit_event (id, occurred_at, actor, operation, target, summary, outcome, "
                        + "request_id) VALUES (:id, :at, 'hr-admin', 'user.delete', :user, :summary, 'PENDING', "
                        + "'req-crashed')")
                .param("id", CRASHED)
                .param("at", sent.atOffset(ZoneOffset.UTC))
                .param("user", USER)
                .param("summary", "delete user " + USER)
                .update();
    }

    @Test
    void rowADeadRunLeftPendingIsMarkedUnknownAtStartThenSettledFromItsFacts() {
        assertThat(event().path("outcome").asString()).isEqualTo("UNKNOWN");
        assertThat(unknownChanges().path("awaitingReconciler").asLong())
                .as("counted at start, before any pass")
                .isEqualTo(1);
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/get"))
                .withRequestBody(matchingJsonPath("$.userid", equalTo(USER)))
                .willReturn(okJson("{\"errcode\":60121,\"errmsg\":\"找不到该用户\"}")));

        CLOCK.advance(Duration.ofSeconds(30));
        reconciler.reconcileDue();

        JsonNode event = event();
        assertThat(event.path("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(event.path("failure").asString()).isEqualTo("gateway stopped before the outcome was recorded");
        assertThat(event.path("reconciled").path("from").asString()).isEqualTo("UNKNOWN");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_settlement")
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(unknownChanges().path("unsettled").asLong()).isZero();
    }

    private JsonNode event() {
        GatewayHttp.Answer page = http.send(
                "GET", "/api/v1/audit-events?target=" + USER, jwts.token("auditor", "audit:read", null), null, null);
        assertThat(page.status()).isEqualTo(200);
        return page.json().path("items").get(0);
    }

    private JsonNode unknownChanges() {
        return new GatewayHttp(managementPort)
                .send("GET", "/actuator/dingtalk", jwts.token("oncall", "ops", null), null, null)
                .json()
                .path("unknownChanges");
    }
}
