package dev.dinggate.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Prints what the production profile lacks as Spring Boot's "APPLICATION FAILED TO START" report.
 * Production logs are JSON, where that report is one escaped field ({@code "...needs:\n  - ..."}) that
 * a person starting the gateway by hand cannot read; so with structured console logs the report also
 * goes to standard error as plain text.
 */
class ProductionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<ProductionSettingsMissingException> {

    private final boolean structuredLogs;

    // One constructor only: Spring Boot instantiates analyzers through their single constructor, and
    // with two it would skip this analyzer and print the bare exception.
    ProductionSettingsFailureAnalyzer(Environment environment) {
        this.structuredLogs = StringUtils.hasText(environment.getProperty("logging.structured.format.console"));
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProductionSettingsMissingException cause) {
        FailureAnalysis analysis = new FailureAnalysis(
                "The gateway was started with the production profile, which needs:\n  - "
                        + String.join("\n  - ", cause.missing()),
                "Set them in the environment or a secret store (see the configuration table in README.md), "
                        + "or start without a profile to get the sandbox.",
                cause);
        if (structuredLogs) {
            // Boot's reporter logs the same text as JSON right after this; the plain copy is for a person.
            System.err.print(plainReport(analysis));
            System.err.flush();
        }
        return analysis;
    }

    /** The report as Spring Boot's LoggingFailureAnalysisReporter lays it out. */
    static String plainReport(FailureAnalysis analysis) {
        return String.format(
                "%n***************************%nAPPLICATION FAILED TO START%n***************************%n%n"
                        + "Description:%n%n%s%n%nAction:%n%n%s%n%n",
                analysis.getDescription(), analysis.getAction());
    }
}
