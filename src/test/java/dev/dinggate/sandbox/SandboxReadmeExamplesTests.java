package dev.dinggate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.GatewayApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the README's sandbox curl commands, exactly as written but for the ports, against the
 * gateway started as {@code ./mvnw spring-boot:run} starts it: no profile, no configuration.
 */
class SandboxReadmeExamplesTests {

    private static final Pattern EXPECTED = Pattern.compile("# → (\\d{3})(?: (.+))?");
    private static final Pattern NDJSON_USERS = Pattern.compile("\\(ndjson lines: (.+)\\)");
    private static final Pattern OUTCOMES = Pattern.compile("\\(items with outcomes (.+)\\)");
    /** A batch's state (one of several, "queued or running"), and its items' states once it is in that state. */
    private static final Pattern BATCH = Pattern.compile("\\(batch ([a-z ]+?)(?:, items (.+))?\\)");
    /** In a command: the id of the answer before it (a batch the README just submitted). */
    private static final String PREVIOUS_ID = "<id>";
    /** In a command: the latest {@code nextCursor} an answer before it handed out. */
    private static final String PREVIOUS_CURSOR = "<nextCursor>";
    /** In an expected body: any ISO-8601 instant (an {@code asOf}, which depends on when the mirror read it). */
    private static final String ANY_INSTANT = "<instant>";

    private static final Pattern USERS = Pattern.compile("\\(users (.+)\\)");
    private static final Pattern CHANGES = Pattern.compile("\\(changes (.+)\\)");
    private static final Pattern EVENT = Pattern.compile("\\(event (.+)\\)");
    private static final Pattern DIRECTORY = Pattern.compile("\\(directory (.+)\\)");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConfigurableApplicationContext gateway;
    private static int port;
    private static int managementPort;

    @BeforeAll
    static void startSandbox() throws IOException {
        port = freePort();
        managementPort = freePort();
        gateway = new SpringApplicationBuilder(GatewayApplication.class)
                // Only the audit store moves to memory, so that runs do not see each other's history.
                .run(
                        "--server.port=" + port,
                        "--management.server.port=" + managementPort,
                        "--spring.datasource.url=jdbc:h2:mem:readme-examples;DB_CLOSE_DELAY=-1");
        // As a reader would after ./mvnw spring-boot:run: wait until the mirror has been filled and the event
        // stream is connected (the status example says so).
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Answer status =
                    run("curl -s -u admin:admin-password http://localhost:" + port + "/api/v1/directory/status");
            JsonNode json = JSON.readTree(status.body());
            assertThat(json.path("state").asString()).isEqualTo("ready");
            assertThat(json.path("streamConnected").asBoolean()).isTrue();
        });
    }

    @AfterAll
    static void stopSandbox() {
        gateway.close();
    }

    @Test
    void noProfileMeansTheSandbox() {
        assertThat(gateway.getEnvironment().getActiveProfiles()).isEmpty();
        assertThat(gateway.getEnvironment().matchesProfiles("sandbox")).isTrue();
    }

    @Test
    void everyReadmeExampleAnswersAsTheReadmeSays() throws Exception {
        List<Example> examples = readmeExamples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(10);

        String previousId = null;
        String previousCursor = null;
        for (Example example : examples) {
            String command = example.command()
                    .replace("localhost:8080", "localhost:" + port)
                    .replace("localhost:8081", "localhost:" + managementPort);
            if (command.contains(PREVIOUS_ID)) {
                assertThat(previousId)
                        .as("an id in the answer before " + command)
                        .isNotNull();
                command = command.replace(PREVIOUS_ID, previousId);
            }
            if (command.contains(PREVIOUS_CURSOR)) {
                assertThat(previousCursor).as("a nextCursor before " + command).isNotNull();
                command = command.replace(PREVIOUS_CURSOR, previousCursor);
            }
            Matcher changes = CHANGES.matcher(example.expected());
            if (changes.matches() && !changes.group(1).equals("none")) {
                // Events reach the mirror in the background: the README's answer is the one a caller polling the
                // feed gets once the event was applied.
                String poll = command;
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertChanges(run(poll), example, changes.group(1)));
                continue;
            }
            Matcher batch = BATCH.matcher(example.expected());
            if (batch.matches() && example.status().equals("200")) {
                // Batches are worked through in the background: the README's answer is the one a caller
                // polling the batch gets once it is done.
                String poll = command;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertBatch(run(poll), example, batch));
                continue;
            }
            Answer answer = run(command);
            String text = answer.body();

            assertThat(answer.status()).as(command).isEqualTo(example.status());
            Matcher ndjsonUsers = NDJSON_USERS.matcher(example.expected());
            if (example.expected().isEmpty()) {
                assertThat(text).as(example.command()).isEmpty();
                continue;
            }
            if (ndjsonUsers.matches()) {
                List<String> userIds = text.lines()
                        .map(line -> JSON.readTree(line).path("userId").asString())
                        .toList();
                assertThat(userIds)
                        .as(example.command())
                        .containsExactlyInAnyOrder(ndjsonUsers.group(1).split(" "));
                continue;
            }
            JsonNode json = JSON.readTree(text);
            previousId = json.path("id").isString() ? json.path("id").asString() : previousId;
            previousCursor =
                    json.path("nextCursor").isString() ? json.path("nextCursor").asString() : previousCursor;
            Matcher users = USERS.matcher(example.expected());
            Matcher event = EVENT.matcher(example.expected());
            Matcher directory = DIRECTORY.matcher(example.expected());
            if (users.matches()) {
                List<String> userIds = new ArrayList<>();
                json.path("items")
                        .forEach(item -> userIds.add(item.path("userId").asString()));
                assertThat(userIds)
                        .as(example.command())
                        .containsExactly(users.group(1).split(", "));
                continue;
            }
            if (changes.matches()) {
                assertThat(json.path("changes")).as(example.command()).isEmpty();
                continue;
            }
            if (event.matches()) {
                assertThat(json.path("eventType").asString())
                        .as(example.command())
                        .isEqualTo(event.group(1));
                continue;
            }
            if (directory.matches()) {
                assertThat(json.path("state").asString()).as(example.command()).isEqualTo(directory.group(1));
                continue;
            }
            Matcher outcomes = OUTCOMES.matcher(example.expected());
            if (batch.matches()) {
                assertBatch(answer, example, batch);
            } else if (outcomes.matches()) {
                List<String> actual = new ArrayList<>();
                json.path("items")
                        .forEach(item -> actual.add(item.path("outcome").asString()));
                assertThat(actual)
                        .as(example.command())
                        .containsExactly(outcomes.group(1).split(", "));
            } else if (example.expected().startsWith("{")) {
                JsonNode expected = JSON.readTree(example.expected());
                assertThat(withInstantsOf(expected, json)).as(example.command()).isEqualTo(expected);
            } else {
                assertThat(json.path("code").asString()).as(example.command()).isEqualTo(example.expected());
            }
        }
    }

    /** The answer, with each top-level field the README shows as {@code <instant>} so too when it is an instant. */
    private static JsonNode withInstantsOf(JsonNode expected, JsonNode actual) {
        if (!(actual instanceof ObjectNode answer)) {
            return actual;
        }
        ObjectNode copy = answer.deepCopy();
        expected.properties().forEach(field -> {
            JsonNode value = copy.path(field.getKey());
            if (field.getValue().asString("").equals(ANY_INSTANT) && value.isString()) {
                Instant.parse(value.asString());
                copy.put(field.getKey(), ANY_INSTANT);
            }
        });
        return copy;
    }

    /** A feed answer holds the README's change, written {@code kind id change}. */
    private static void assertChanges(Answer answer, Example example, String change) {
        assertThat(answer.status()).as(example.command()).isEqualTo(example.status());
        List<String> listed = new ArrayList<>();
        JSON.readTree(answer.body())
                .path("changes")
                .forEach(entry -> listed.add(
                        entry.path("kind").asString() + " " + entry.path("id").asString() + " "
                                + entry.path("change").asString()));
        assertThat(listed).as(example.command()).contains(change);
    }

    private static void assertBatch(Answer answer, Example example, Matcher batch) {
        assertThat(answer.status()).as(example.command()).isEqualTo(example.status());
        JsonNode json = JSON.readTree(answer.body());
        assertThat(json.path("state").asString()).as(example.command()).isIn((Object[])
                batch.group(1).split(" or "));
        if (batch.group(2) != null) {
            List<String> states = new ArrayList<>();
            json.path("items").forEach(item -> states.add(item.path("state").asString()));
            assertThat(states)
                    .as(example.command())
                    .containsExactly(batch.group(2).split(", "));
        }
    }

    private record Answer(String status, String body) {}

    /** Runs a README command with curl as written, adding only where the body goes and the status printed. */
    private static Answer run(String command) throws IOException, InterruptedException {
        Path body = Files.createTempFile("readme-example", ".json");
        try {
            Process curl = new ProcessBuilder("bash", "-c", command + " -o '" + body + "' -w '%{http_code}'")
                    .redirectErrorStream(true)
                    .start();
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as(command).isTrue();
            String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return new Answer(status, Files.readString(body));
        } finally {
            Files.delete(body);
        }
    }

    private record Example(String command, String status, String expected) {}

    /** The curl commands between the README's sandbox-examples markers, each with the answer line after it. */
    private static List<Example> readmeExamples() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(
                readme.indexOf("<!-- sandbox-examples:start -->"), readme.indexOf("<!-- sandbox-examples:end -->"));
        List<Example> examples = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (String line : section.split("\n")) {
            Matcher expected = EXPECTED.matcher(line.trim());
            if (expected.matches()) {
                String body = expected.group(2) == null ? "" : expected.group(2).trim();
                examples.add(new Example(command.toString().trim(), expected.group(1), body));
                command.setLength(0);
            } else if (line.startsWith("curl") || !command.isEmpty()) {
                command.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line)
                        .append(' ');
            }
        }
        return examples;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
