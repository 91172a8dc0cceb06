package dev.dinggate.audit;

import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TestPostgres;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;

/**
 * The audit store on the PostgreSQL server the tests run on (the build machine's own, see
 * {@link TestPostgres}), in a schema of this class's own.
 */
@NeedsPostgres
class LocalPostgresAuditStoreTests extends AuditStoreContract {

    @Override
    protected DataSource dataSource() {
        return TestPostgres.schemaFor(LocalPostgresAuditStoreTests.class).dataSource();
    }

    @Override
    protected Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(TestPostgres.schemaFor(LocalPostgresAuditStoreTests.class)
                        .name())
                .cleanDisabled(false)
                .load();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.drop(LocalPostgresAuditStoreTests.class);
    }
}
