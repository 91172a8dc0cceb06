package dev.dinggate.directory;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The mirror's writes on H2, the sandbox's embedded database. */
class H2MirrorWriterTests extends MirrorWriterContract {

    @Override
    protected DataSource dataSource() {
        return new DriverManagerDataSource(
                "jdbc:h2:mem:directory-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}
