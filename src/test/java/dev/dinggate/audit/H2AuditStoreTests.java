package dev.dinggate.audit;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The audit store on H2, the embedded default of the sandbox. */
class H2AuditStoreTests extends AuditStoreContract {

    @Override
    protected DataSource dataSource() {
        return new DriverManagerDataSource("jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}
