package dev.dinggate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sandbox as {@code ./mvnw spring-boot:run} starts it, keys on H2 and DingTalk's simulator behind:
 * without the key, a retried DingTalk ID change would meet the simulator's {@code have.been.set}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext
class SandboxIdempotencyTests {

    private static final int PORT = freePort();
    private static final String ADMIN =
            "Basic " + Base64.getEncoder().encodeToString("admin:admin-password".getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void sandbox(DynamicPropertyRegistry registry) {
        // The simulator is called through the API port, so that port must be known before start-up.
        registry.add("server.port", () -> PORT);
        registry.add("management.server.port", SandboxIdempotencyTests::freePort);
        registry.add(
                "spring.datasource.url", () -> "jdbc:h2:mem:idempotency-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Autowired
    JdbcClient jdbc;

    private final KeyedHttp keyed = new KeyedHttp(PORT);

    private GatewayHttp.Answer changeDingTalkId(String dingTalkId, String key) {
        return keyed.send(
                "PUT",
                "/api/v1/org-accounts/user1004/dingtalk-id",
                ADMIN,
                "{\"dingTalkId\":\"" + dingTalkId + "\"}",
                key);
    }

    @Test
    void aRetriedChangeGetsItsFirstAnswerInsteadOfDingTalksRefusal() {
        GatewayHttp.Answer first = changeDingTalkId("sunba2026", "\"hr-intake-7\"");
        GatewayHttp.Answer retry = changeDingTalkId("sunba2026", "\"hr-intake-7\"");
        GatewayHttp.Answer reused = changeDingTalkId("sunba2027", "\"hr-intake-7\"");
        GatewayHttp.Answer newKey = changeDingTalkId("sunba2026", "hr-intake-8");

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(reused.field("code")).isEqualTo("idempotency.key-reused");
        assertThat(newKey.field("code")).as("a new key is a new change").isEqualTo("dingtalk-id.already-changed");
        assertThat(jdbc.sql("SELECT outcome FROM audit_event WHERE target = 'user1004' ")
                        .query(String.class)
                        .list())
                .containsExactlyInAnyOrder("SUCCEEDED", "FAILED");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
