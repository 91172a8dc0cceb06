package dev.dinggate.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After every unit and end-to-end test has run (Failsafe runs after Surefire), reads everything the
 * gateway logged during the run and looks for the app secrets and access tokens the tests used,
 * JWTs, and full mobile numbers. WireMock's own output (the stand-in for DingTalk) is not the
 * gateway's and is left out: only lines of the gateway's loggers count.
 */
class LogSecretsIT {

    private static final List<String> NEVER_LOGGED = List.of(
            "it-app-secret-7f3a9c1e5b2d4f60",
            "test-app-secret-0123456789abcdef",
            "sandbox-only-not-a-secret",
            "it-token-1",
            "it-token-secretive-2",
            "eyJhbGciOiJSUzI1NiIs",
            "Bearer ey",
            "13800001001",
            "13912345678",
            "13700000001",
            "stream-secret-never-logged",
            "wrong-secret-also-never-logged",
            "wired-secret-never-logged");

    @Test
    void gatewayLogsOfTheWholeTestRunHoldNoSecretTokenOrMobileNumber() throws IOException {
        List<String> gatewayLines;
        try (Stream<Path> outputs = Files.list(Path.of("target/surefire-reports"))) {
            gatewayLines = outputs.filter(path -> path.getFileName().toString().endsWith("-output.txt"))
                    .flatMap(LogSecretsIT::lines)
                    .filter(line -> line.contains("dingtalk-account-gateway") || line.contains(" dev.dinggate."))
                    .toList();
        }

        // The check must be able to fail: the run did log, through the gateway's loggers.
        assertThat(gatewayLines).hasSizeGreaterThan(500);
        for (String secret : NEVER_LOGGED) {
            assertThat(gatewayLines)
                    .as("gateway log lines containing " + secret)
                    .noneMatch(line -> line.contains(secret));
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }
}
