package dev.dinggate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The fault suite's last row: nothing listens where DingTalk should be. Every operation answers 502. */
class ConnectionRefusedTests extends ProductionGatewayTest {

    /**
     * Port 1 on loopback: privileged, so nothing of this test run can be listening there. (A port
     * freed after a bind can be handed to the next server this JVM starts.)
     */
    private static final int CLOSED_PORT = 1;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void dingTalkNowhere(DynamicPropertyRegistry registry) {
        registry.add("dingtalk.base-url", () -> "http://127.0.0.1:" + CLOSED_PORT);
        registry.add("dingtalk.legacy-base-url", () -> "http://127.0.0.1:" + CLOSED_PORT);
    }

    static Stream<UpstreamFaultTests.Operation> operations() {
        return UpstreamFaultTests.OPERATIONS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void refusedConnectionIsUnreachableAndAChangeIsAuditedAsFailed(UpstreamFaultTests.Operation operation) {
        GatewayHttp.Answer answer = http.send(
                operation.method(),
                operation.path(),
                jwts.token("refused", operation.scope(), "manager4220"),
                operation.body() == null ? null : "application/json",
                operation.body());

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.field("code")).isEqualTo("upstream.unreachable");
        if (operation.change()) {
            assertThat(jdbc.sql("SELECT outcome FROM audit_event WHERE request_id = :id")
                            .param("id", answer.header("X-Request-Id"))
                            .query(String.class)
                            .single())
                    .as("the request never left: DingTalk cannot have applied it")
                    .isEqualTo("FAILED");
        }
    }
}
