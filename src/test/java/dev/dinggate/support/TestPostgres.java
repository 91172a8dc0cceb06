package dev.dinggate.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests run on, and a schema of its own for each test class, so that two
 * builds on one machine, or two classes in one build, never see each other's rows.
 * <p>
 * The server is the machine's own (127.0.0.1:5432, database {@code test}, user {@code postgres}) when it
 * answers, otherwise a Testcontainers PostgreSQL where a Docker engine runs. With neither, a test that
 * needs PostgreSQL fails with one line saying how to start it; outside CI, {@code -Dtest.postgres=skip}
 * skips those tests instead (see {@link NeedsPostgres}).
 */
public final class TestPostgres {

    static final String LOCAL_HOST = System.getProperty("test.postgres.host", "127.0.0.1");
    static final int LOCAL_PORT = Integer.getInteger("test.postgres.port", 5432);
    static final String LOCAL_DATABASE = System.getProperty("test.postgres.database", "test");
    static final String LOCAL_USER = System.getProperty("test.postgres.user", "postgres");

    /** Schemas are named t_<UTC minute>_<class>_<random>; ones a killed build left behind are dropped after a day. */
    private static final String SCHEMA_PREFIX = "t_";

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyMMddHHmm");

    private static final Map<Class<?>, Schema> schemas = new ConcurrentHashMap<>();
    private static volatile @Nullable Server server;
    private static volatile @Nullable PostgresUnavailable unavailable;

    private TestPostgres() {}

    /**
     * Where a server answers.
     *
     * @param where how a person would name it in a message
     */
    public record Server(String host, int port, String database, String user, String password, String where) {

        public String url() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        DataSource dataSource() {
            return new DriverManagerDataSource(url(), user, password);
        }
    }

    /** A schema of one test class on the tests' server. */
    public record Schema(Server server, String name) {

        /**
         * The JDBC URL whose connections use this schema, through {@code host:port} (a proxy, say) if given.
         * Commits do not wait for the disk: a test database that loses its last transactions in a crash
         * loses nothing, and the suite's hundred thousand audit writes run several times faster. What
         * other connections see of a commit is the same.
         */
        public String jdbcUrl(String host, int port) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + server.database() + "?currentSchema=" + name
                    + "&options=-c%20synchronous_commit%3Doff";
        }

        public String jdbcUrl() {
            return jdbcUrl(server.host(), server.port());
        }

        public DataSource dataSource() {
            return new DriverManagerDataSource(jdbcUrl(), server.user(), server.password());
        }

        public JdbcClient jdbc() {
            return JdbcClient.create(dataSource());
        }
    }

    /** The server tests run on, found once per JVM. */
    public static Server server() {
        Server found = server;
        if (found != null) {
            return found;
        }
        synchronized (TestPostgres.class) {
            if (server == null) {
                if (unavailable != null) {
                    throw unavailable;
                }
                Server local = new Server(
                        LOCAL_HOST,
                        LOCAL_PORT,
                        LOCAL_DATABASE,
                        LOCAL_USER,
                        "",
                        "the local PostgreSQL (" + LOCAL_HOST + ":" + LOCAL_PORT + ", database " + LOCAL_DATABASE
                                + ")");
                if (answers(local)) {
                    server = local;
                } else if (DockerClientFactory.instance().isDockerAvailable()) {
                    server = container();
                } else {
                    unavailable = new PostgresUnavailable(local);
                    throw unavailable;
                }
                dropLeftovers(server);
            }
            return server;
        }
    }

    /** Whether {@link #server()} would fail; used to skip, never to hide a failure in CI. */
    static boolean isUnavailable() {
        try {
            server();
            return false;
        } catch (PostgresUnavailable none) {
            return true;
        }
    }

    /** The schema of {@code owner}, created on first use. */
    public static Schema schemaFor(Class<?> owner) {
        return schemas.computeIfAbsent(owner, TestPostgres::create);
    }

    /** Drops the schema of {@code owner}, with everything in it. */
    public static void drop(Class<?> owner) {
        Schema schema = schemas.remove(owner);
        if (schema != null) {
            JdbcClient.create(schema.server().dataSource())
                    .sql("DROP SCHEMA IF EXISTS " + schema.name() + " CASCADE")
                    .update();
        }
    }

    private static Schema create(Class<?> owner) {
        Server on = server();
        String className = owner.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String name = SCHEMA_PREFIX + LocalDateTime.now(ZoneOffset.UTC).format(MINUTE) + "_"
                + className.substring(0, Math.min(className.length(), 36)) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        JdbcClient.create(on.dataSource()).sql("CREATE SCHEMA " + name).update();
        return new Schema(on, name);
    }

    private static boolean answers(Server candidate) {
        try (Connection connection = candidate.dataSource().getConnection()) {
            return connection.isValid(2);
        } catch (SQLException unreachable) {
            return false;
        }
    }

    @SuppressWarnings("resource") // one container for the whole JVM; Testcontainers' reaper removes it
    private static Server container() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
        container.start();
        return new Server(
                container.getHost(),
                container.getFirstMappedPort(),
                container.getDatabaseName(),
                container.getUsername(),
                container.getPassword(),
                "a Testcontainers PostgreSQL");
    }

    /** Schemas of test classes of builds that were killed before they could drop them. */
    private static void dropLeftovers(Server on) {
        JdbcClient jdbc = JdbcClient.create(on.dataSource());
        String dayAgo = LocalDateTime.now(ZoneOffset.UTC).minusDays(1).format(MINUTE);
        List<String> old = jdbc.sql("SELECT nspname FROM pg_namespace WHERE nspname ~ '^t_[0-9]{10}_' "
                        + "AND substr(nspname, 3, 10) < :dayAgo")
                .param("dayAgo", dayAgo)
                .query(String.class)
                .list();
        old.forEach(
                name -> jdbc.sql("DROP SCHEMA IF EXISTS " + name + " CASCADE").update());
    }

    /** No PostgreSQL for the tests: one line that says how to get one, without a stack trace to scroll past. */
    static final class PostgresUnavailable extends RuntimeException {

        PostgresUnavailable(Server tried) {
            super(
                    "These tests need PostgreSQL and none answers at " + tried.url() + " (user " + tried.user()
                            + "), and no Docker engine runs for Testcontainers: start it with 'pg_ctlcluster <version> main "
                            + "start' and create the database with 'createdb -h 127.0.0.1 -U postgres test' (README, "
                            + "\"Tests\"), or, outside CI, skip these tests with -Dtest.postgres=skip.",
                    null,
                    false,
                    false);
        }
    }
}
