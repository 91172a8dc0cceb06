package dev.dinggate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.support.GatewayHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox as {@code ./mvnw spring-boot:run} starts it: db-scheduler works through a batch on H2, against
 * DingTalk's simulator, and each item answers what its single call answers there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext
class SandboxBatchTests {

    private static final int PORT = freePort();
    private static final String HR =
            "Basic " + Base64.getEncoder().encodeToString("hr:hr-password".getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void sandbox(DynamicPropertyRegistry registry) {
        // The simulator is called through the API port, so that port must be known before start-up.
        registry.add("server.port", () -> PORT);
        registry.add("management.server.port", SandboxBatchTests::freePort);
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:batches-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    private final HttpClient client = HttpClient.newHttpClient();

    /** As the hr sandbox user (HTTP Basic). */
    private GatewayHttp.Answer send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path))
                .header("Authorization", HR)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return new GatewayHttp.Answer(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException failure) {
            throw new IllegalStateException(failure);
        }
    }

    @Test
    void aBatchIsWorkedThroughOnH2AsItsSingleCallsWouldBeAnswered() {
        GatewayHttp.Answer submitted = send("POST", "/api/v1/batches", """
                {"items":[
                  {"operation":"update-user","userId":"user1001","changes":{"title":"Lead"}},
                  {"operation":"delete-user","userId":"emp0299"},
                  {"operation":"delete-user","userId":"nobody-here"}]}""");
        assertThat(submitted.status()).isEqualTo(202);

        JsonNode batch = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> send("GET", submitted.header("Location"), null).json(),
                        shown -> shown.path("state").asString().equals("completed"));

        List<String> outcomes = new ArrayList<>();
        batch.path("items")
                .forEach(item -> outcomes.add(item.path("state").asString() + " "
                        + item.path("status").asInt() + " "
                        + (item.path("code").isNull() ? "" : item.path("code").asString())));
        assertThat(outcomes)
                .containsExactly("succeeded 200 ", "succeeded 204 ", "failed 404 " + singleCallCode("nobody-here"));
    }

    /** What the single call answers for the same user, so that the item is compared with it, not with a guess. */
    private String singleCallCode(String userId) {
        return send("DELETE", "/api/v1/users/" + userId, null).field("code");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
