package dev.dinggate.sandbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox as {@code ./mvnw spring-boot:run} starts it, with its DingTalk simulator called over real HTTP. The
 * suites that extend it share one context; each picks users and departments of its own, so that their changes (and
 * the events those make) do not meet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
abstract class SandboxSimulatorTest {

    static final int PORT = freePort();
    static final String APP_KEY = "sandbox-app";
    static final String APP_SECRET = "sandbox-only-not-a-secret";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void sandbox(DynamicPropertyRegistry registry) {
        // The gateway calls the simulator through the API port, so that port must be known before start-up.
        registry.add("server.port", () -> PORT);
        registry.add("management.server.port", SandboxSimulatorTest::freePort);
        registry.add(
                "spring.datasource.url", () -> "jdbc:h2:mem:simulator-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        // Neither the mirror nor the gateway's own stream client may take the events these tests wait for.
        registry.add("gateway.directory.enabled", () -> "false");
        registry.add("dingtalk.stream.enabled", () -> "false");
        registry.add("sandbox.dingtalk.stream.redeliver-after", () -> "2s");
        registry.add("sandbox.dingtalk.stream.ping-interval", () -> "1s");
    }

    /** A token for the old-style API, as the gateway gets one. */
    static String token() {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(
                        uri("/sandbox/dingtalk/oapi/gettoken?appkey=" + APP_KEY + "&appsecret=" + APP_SECRET))
                .GET());
        return JSON.readTree(answer.body()).path("access_token").asString();
    }

    /** An old-style call: HTTP 200 and DingTalk's envelope, whatever the outcome. */
    static JsonNode topapi(String path, String token, String body) {
        HttpResponse<String> answer = post("/sandbox/dingtalk/oapi" + path + "?access_token=" + token, body);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    static HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException failure) {
            throw new IllegalStateException(failure);
        }
    }

    static URI uri(String path) {
        return URI.create("http://localhost:" + PORT + path);
    }

    /** The id of the department with this name, found as the gateway finds departments: listsub from the root. */
    static long departmentNamed(String token, String name) {
        return departmentBelow(token, 1, name);
    }

    private static long departmentBelow(String token, long parent, String name) {
        for (JsonNode department : topapi(
                        "/topapi/v2/department/listsub", token, "{\"dept_id\":" + parent + ",\"language\":\"en_US\"}")
                .path("result")) {
            long id = department.path("dept_id").asLong();
            if (department.path("name").asString().equals(name)) {
                return id;
            }
            long below = departmentBelow(token, id, name);
            if (below != 0) {
                return below;
            }
        }
        return 0;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
