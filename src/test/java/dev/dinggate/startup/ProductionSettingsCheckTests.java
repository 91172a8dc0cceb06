package dev.dinggate.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.dinggate.GatewayApplication;

class ProductionSettingsCheckTests {

    @Test
    void productionWithoutCredentialsOrJwtSettingsRefusesToStartNamingEachOne() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("production")
                .run("--server.port=0", "--management.server.port=0"));

        ProductionSettingsMissingException missing = findCause(failure);
        assertThat(missing.missing()).hasSize(4);
        FailureAnalysis analysis = new ProductionSettingsFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("dingtalk.app-key", "dingtalk.app-secret",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", "spring.datasource.url");
        assertThat(analysis.getAction()).contains("README.md");
    }

    @Test
    void productionTogetherWithTheSandboxRefusesToStart() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("production", "sandbox")
                .run("--server.port=0", "--management.server.port=0", "--dingtalk.app-key=k",
                        "--dingtalk.app-secret=s", "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://localhost/jwks",
                        "--spring.datasource.url=jdbc:h2:mem:never-used"));

        assertThat(findCause(failure).missing()).singleElement().asString().contains("sandbox profile switched off");
    }

    private static ProductionSettingsMissingException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProductionSettingsMissingException missing) {
                return missing;
            }
        }
        throw new AssertionError("start-up did not fail for missing settings", failure);
    }
}
