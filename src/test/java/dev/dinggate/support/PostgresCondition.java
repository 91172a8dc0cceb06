package dev.dinggate.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Before a {@link NeedsPostgres} class starts: fails it with {@link TestPostgres}'s one-line advice
 * when no PostgreSQL answers, or skips it when a person asked for that with {@code -Dtest.postgres=skip}
 * outside CI. With {@code CI} set nothing is ever skipped.
 */
final class PostgresCondition implements ExecutionCondition, BeforeAllCallback {

    static final boolean SKIP_WITHOUT_POSTGRES =
            "skip".equals(System.getProperty("test.postgres")) && System.getenv("CI") == null;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (SKIP_WITHOUT_POSTGRES && TestPostgres.isUnavailable()) {
            return ConditionEvaluationResult.disabled("no PostgreSQL answers and -Dtest.postgres=skip was given");
        }
        return ConditionEvaluationResult.enabled("PostgreSQL is required");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        TestPostgres.server();
    }
}
