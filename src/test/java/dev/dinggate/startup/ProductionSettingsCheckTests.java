package dev.dinggate.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.dinggate.GatewayApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class ProductionSettingsCheckTests {

    @Test
    void productionWithoutCredentialsOrJwtSettingsRefusesToStartNamingEachOne() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("production")
                .run("--server.port=0", "--management.server.port=0"));

        ProductionSettingsMissingException missing = findCause(failure);
        assertThat(missing.missing()).hasSize(4);
        FailureAnalysis analysis = new ProductionSettingsFailureAnalyzer(new MockEnvironment()).analyze(failure);
        assertThat(analysis.getDescription())
                .contains(
                        "dingtalk.app-key",
                        "dingtalk.app-secret",
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                        "spring.datasource.url");
        assertThat(analysis.getAction()).contains("README.md");
    }

    @Test
    void productionTogetherWithTheSandboxRefusesToStart() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("production", "sandbox")
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--dingtalk.app-key=k",
                        "--dingtalk.app-secret=s",
                        "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://localhost/jwks",
                        "--spring.datasource.url=jdbc:h2:mem:never-used"));

        assertThat(findCause(failure).missing()).singleElement().asString().contains("sandbox profile switched off");
    }

    @Test
    void withJsonLogsTheReportAlsoGoesToStandardErrorAsPlainText() {
        ProductionSettingsMissingException missing = new ProductionSettingsMissingException(List.of(
                "dingtalk.app-key (env DINGTALK_APP_KEY)", "spring.datasource.url (the audit store, PostgreSQL)"));
        ProductionSettingsFailureAnalyzer analyzer = new ProductionSettingsFailureAnalyzer(
                new MockEnvironment().withProperty("logging.structured.format.console", "ecs"));

        String printed = standardErrorOf(() -> analyzer.analyze(new IllegalStateException("context failed", missing)));

        assertThat(printed.lines())
                .containsSubsequence(
                        "APPLICATION FAILED TO START",
                        "The gateway was started with the production profile, which needs:",
                        "  - dingtalk.app-key (env DINGTALK_APP_KEY)",
                        "  - spring.datasource.url (the audit store, PostgreSQL)",
                        "Action:");
    }

    @Test
    void withPlainLogsTheReportIsNotPrintedTwice() {
        ProductionSettingsFailureAnalyzer analyzer = new ProductionSettingsFailureAnalyzer(new MockEnvironment());

        String printed = standardErrorOf(
                () -> assertThat(analyzer.analyze(new ProductionSettingsMissingException(List.of("dingtalk.app-key"))))
                        .isNotNull());

        assertThat(printed).isEmpty();
    }

    /** What {@code action} prints to System.err (the tests of this build run one at a time). */
    private static String standardErrorOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    static ProductionSettingsMissingException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProductionSettingsMissingException missing) {
                return missing;
            }
        }
        throw new AssertionError("start-up did not fail for missing settings", failure);
    }
}
