package dev.dinggate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalManagementPort;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;

/** Actuator on its own port: probes, info and metrics open to the platform, the rest closed. */
class ActuatorTests extends ProductionGatewayTest {

    @LocalManagementPort
    int managementPort;

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
            "/actuator/info"})
    void probesAndInfoAreOpenOnTheManagementPort(String path) {
        GatewayHttp.Answer answer = new GatewayHttp(managementPort).get(path);

        assertThat(answer.status()).isEqualTo(200);
        if (path.startsWith("/actuator/health")) {
            assertThat(answer.field("status")).isEqualTo("UP");
        }
    }

    @Test
    void prometheusScrapeIsOpenAndHasTheGatewaysMetrics() {
        GatewayHttp.Answer answer = new GatewayHttp(managementPort).get("/actuator/prometheus");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.response().body()).contains("jvm_memory_used_bytes", "http_server_requests");
    }

    @Test
    void otherEndpointsNeedTheOpsScope() {
        GatewayHttp.Answer answer = new GatewayHttp(managementPort).get("/actuator/env");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.response().body()).doesNotContain(APP_SECRET);
    }

    @Test
    void actuatorIsNotServedOnTheApiPort() {
        GatewayHttp.Answer answer = http.get("/actuator/health");

        assertThat(answer.status()).isNotEqualTo(200);
    }
}
