package dev.dinggate.idempotency;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The key store on H2 as the sandbox runs it (no PostgreSQL mode: no ON CONFLICT). */
class H2IdempotencyStoreTests extends IdempotencyStoreContract {

    @Override
    protected DataSource dataSource() {
        return new DriverManagerDataSource(
                "jdbc:h2:mem:idempotency-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}
