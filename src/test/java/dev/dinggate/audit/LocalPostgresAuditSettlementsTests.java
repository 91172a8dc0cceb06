package dev.dinggate.audit;

import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TestPostgres;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;

/** Settlement facts and claims on the tests' PostgreSQL, in a schema of this class's own, as replicas share it. */
@NeedsPostgres
class LocalPostgresAuditSettlementsTests extends AuditSettlementsContract {

    @Override
    protected DataSource dataSource() {
        return TestPostgres.schemaFor(LocalPostgresAuditSettlementsTests.class).dataSource();
    }

    @Override
    protected Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(TestPostgres.schemaFor(LocalPostgresAuditSettlementsTests.class)
                        .name())
                .cleanDisabled(false)
                .load();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.drop(LocalPostgresAuditSettlementsTests.class);
    }
}
