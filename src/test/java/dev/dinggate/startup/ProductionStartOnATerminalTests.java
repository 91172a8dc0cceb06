package dev.dinggate.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.GatewayApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway started by hand in its production profile with nothing set, in a JVM of its own as an
 * operator would start it: the JSON log on standard output, and on standard error a report a person
 * can read, one missing setting a line.
 */
class ProductionStartOnATerminalTests {

    @Test
    void missingSettingsAreListedInPlainTextOnStandardError(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder start = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        GatewayApplication.class.getName(),
                        "--server.port=0",
                        "--management.server.port=0")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> environment = start.environment();
        // Nothing from the machine that runs the tests may fill in a setting.
        environment.keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("DINGTALK_"));
        environment.put("SPRING_PROFILES_ACTIVE", "production");

        int exitCode = start.start().waitFor();

        assertThat(exitCode).isNotZero();
        assertThat(Files.readAllLines(out))
                .as("production logs JSON on standard output")
                .anySatisfy(line -> assertThat(line).startsWith("{").contains("APPLICATION FAILED TO START\\n"));
        assertThat(Files.readAllLines(err))
                .containsSubsequence(
                        "APPLICATION FAILED TO START",
                        "The gateway was started with the production profile, which needs:",
                        "  - dingtalk.app-key (env DINGTALK_APP_KEY)",
                        "  - dingtalk.app-secret (env DINGTALK_APP_SECRET)",
                        "  - spring.security.oauth2.resourceserver.jwt.issuer-uri or .jwk-set-uri or .public-key-location",
                        "  - spring.datasource.url (the audit store, PostgreSQL)",
                        "Action:");
    }
}
