package dev.dinggate.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints what the production profile lacks as Spring Boot's "APPLICATION FAILED TO START" report. */
class ProductionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<ProductionSettingsMissingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProductionSettingsMissingException cause) {
        return new FailureAnalysis(
                "The gateway was started with the production profile, which needs:\n  - "
                        + String.join("\n  - ", cause.missing()),
                "Set them in the environment or a secret store (see the configuration table in README.md), "
                        + "or start without a profile to get the sandbox.",
                cause);
    }
}
