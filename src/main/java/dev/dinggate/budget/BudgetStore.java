package dev.dinggate.budget;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

/**
 * A small connection pool of its own for the budgets, on the gateway's database: a turn must never
 * wait behind audit writes for a connection, and every wait on the database is cut short, so that a
 * replica falls back to its own share soon after the database stops answering. The limits are the
 * database's and the driver's own, measured at the server and on the socket, not by a timer in the
 * gateway: a replica whose cores are busy (a cold start under load) must not mistake its own slowness
 * for a lost database.
 */
final class BudgetStore {

    private static final int CONNECTIONS = 4;

    private BudgetStore() {}

    static HikariDataSource dataSource(DataSourceProperties database, BudgetProperties properties) {
        String url = database.determineUrl();
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("dingtalk.rate-limit.shared=true keeps the budgets in PostgreSQL, but "
                    + "spring.datasource.url is not a PostgreSQL URL; set dingtalk.rate-limit.shared=false for a "
                    + "single process");
        }
        HikariDataSource pool = database.initializeDataSourceBuilder()
                .type(HikariDataSource.class)
                .build();
        Duration timeout = properties.storeTimeout();
        pool.setPoolName("budget");
        // Kept open: a turn of a cold replica must not wait for a connection to be made.
        pool.setMaximumPoolSize(CONNECTIONS);
        pool.setMinimumIdle(CONNECTIONS);
        // A connection or a reply the network swallowed ends here; the driver counts whole seconds.
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        pool.setConnectionTimeout(Duration.ofSeconds(seconds).toMillis());
        pool.addDataSourceProperty("socketTimeout", Long.toString(seconds));
        pool.addDataSourceProperty("connectTimeout", Long.toString(seconds));
        // A slow or locked database ends a turn at the server. Losing the last few turns in a database crash
        // costs nothing worth a disk flush per turn.
        pool.setConnectionInitSql("SET statement_timeout = " + timeout.toMillis() + "; SET lock_timeout = "
                + timeout.toMillis() + "; SET synchronous_commit = off");
        return pool;
    }
}
