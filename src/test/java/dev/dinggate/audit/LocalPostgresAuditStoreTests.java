package dev.dinggate.audit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The audit store on the PostgreSQL server of the build machine (127.0.0.1:5432, database
 * {@code test}, user {@code postgres}), in a schema of its own. CI ({@code CI=true}) starts the
 * server and requires it; elsewhere the test is skipped when no server answers.
 */
class LocalPostgresAuditStoreTests extends AuditStoreContract {

    static final String URL = System.getProperty("audit.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=gateway_audit_tests");

    @Override
    protected DataSource dataSource() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(URL, "postgres", "");
        if (System.getenv("CI") == null) {
            assumeTrue(reachable(dataSource), "no PostgreSQL on 127.0.0.1:5432");
        }
        return dataSource;
    }

    @Override
    protected Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).schemas("gateway_audit_tests").cleanDisabled(false).load();
    }

    private static boolean reachable(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        }
        catch (SQLException unreachable) {
            return false;
        }
    }
}
