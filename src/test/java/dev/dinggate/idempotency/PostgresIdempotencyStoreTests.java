package dev.dinggate.idempotency;

import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TestPostgres;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;

/** The key store on the tests' PostgreSQL, in a schema of this class's own: the claim is ON CONFLICT DO NOTHING. */
@NeedsPostgres
class PostgresIdempotencyStoreTests extends IdempotencyStoreContract {

    @Override
    protected DataSource dataSource() {
        return TestPostgres.schemaFor(PostgresIdempotencyStoreTests.class).dataSource();
    }

    @Override
    protected Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(TestPostgres.schemaFor(PostgresIdempotencyStoreTests.class)
                        .name())
                .cleanDisabled(false)
                .load();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.drop(PostgresIdempotencyStoreTests.class);
    }
}
