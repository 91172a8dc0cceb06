package dev.dinggate.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/openapi.json} is what the running gateway serves. After an API change, regenerate it with
 * {@code ./mvnw verify -Dopenapi.update=true} (or copy {@code /v3/api-docs}) and commit it with the change.
 */
class OpenApiDocumentTests extends ProductionGatewayTest {

    private static final Path CHECKED_IN = Path.of("docs/openapi.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void checkedInDocumentIsWhatTheGatewayServes() throws IOException {
        GatewayHttp.Answer served = http.get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(CHECKED_IN, served.response().body() + "\n");
        }

        JsonNode checkedIn = JSON.readTree(Files.readString(CHECKED_IN));

        assertThat(served.json())
                .as("docs/openapi.json is stale: run ./mvnw verify -Dopenapi.update=true")
                .isEqualTo(checkedIn);
    }

    @Test
    void documentDescribesSecurityProblemsAndExamples() throws IOException {
        JsonNode document = JSON.readTree(Files.readString(CHECKED_IN));

        assertThat(document.path("components")
                        .path("securitySchemes")
                        .path("bearer")
                        .path("bearerFormat")
                        .asString())
                .isEqualTo("JWT");
        assertThat(document.path("components")
                        .path("schemas")
                        .path("Problem")
                        .path("properties")
                        .path("code")
                        .path("enum")
                        .toString())
                .contains("dingtalk-id.taken", "user.not-found", "audit.unavailable");
        JsonNode change = document.path("paths")
                .path("/api/v1/org-accounts/{userId}/dingtalk-id")
                .path("put");
        assertThat(change.path("responses").path("409").path("description").asString())
                .contains("dingtalk-id.taken", "dingtalk-id.already-changed");
        assertThat(change.path("responses").path("409").path("content").has("application/problem+json"))
                .isTrue();
        assertThat(change.path("requestBody")
                        .path("content")
                        .path("application/json")
                        .path("examples")
                        .has("change"))
                .isTrue();
        assertThat(document.toString()).doesNotContain("\"caller\"", "/sandbox/");
    }

    @Test
    void headOnTheOpenDocsAnswersAsGetDoes() {
        assertThat(http.send("HEAD", "/v3/api-docs", null, null, null).status()).isEqualTo(200);
    }

    @Test
    void swaggerUiIsServed() {
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
