package dev.dinggate.directory;

import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TestPostgres;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;

/** The mirror's writes on PostgreSQL, as in production, in a schema of this class's own. */
@NeedsPostgres
class PostgresMirrorWriterTests extends MirrorWriterContract {

    @Override
    protected DataSource dataSource() {
        return TestPostgres.schemaFor(PostgresMirrorWriterTests.class).dataSource();
    }

    @Override
    protected Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(TestPostgres.schemaFor(PostgresMirrorWriterTests.class).name())
                .cleanDisabled(false)
                .load();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.drop(PostgresMirrorWriterTests.class);
    }
}
