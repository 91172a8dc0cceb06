package dev.dinggate.audit;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Settlement facts and claims on H2, the embedded default of the sandbox. */
class H2AuditSettlementsTests extends AuditSettlementsContract {

    @Override
    protected DataSource dataSource() {
        return new DriverManagerDataSource(
                "jdbc:h2:mem:settlements-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}
