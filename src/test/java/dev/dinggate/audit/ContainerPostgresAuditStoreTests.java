package dev.dinggate.audit;

import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The audit store on a throw-away PostgreSQL container, where a Docker engine exists; skipped otherwise. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPostgresAuditStoreTests extends AuditStoreContract {

    @Container
    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");

    @Override
    protected DataSource dataSource() {
        return new DriverManagerDataSource(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
    }
}
