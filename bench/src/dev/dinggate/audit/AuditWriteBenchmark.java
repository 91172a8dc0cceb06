package dev.dinggate.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * What the write-ahead audit adds to each change: the PENDING insert before the DingTalk call plus
 * the completing update after it, each its own committed transaction, through the same store and
 * the same Hikari pool the gateway uses. Run by bench/audit-write-overhead.sh.
 */
public final class AuditWriteBenchmark {

    private static final int WARM_UP = 3_000;
    private static final int MEASURED = 10_000;
    private static final int CONCURRENT_CALLERS = 16;

    public static void main(String[] args) throws Exception {
        Path h2Dir = Files.createTempDirectory("audit-bench");
        run("H2 file (sandbox default)", "jdbc:h2:file:" + h2Dir.resolve("audit"), "sa", "", null);
        run("PostgreSQL 127.0.0.1:5432/test", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=gateway_audit_bench",
                "postgres", "", "gateway_audit_bench");
    }

    private static void run(String name, String url, String user, String password, String schema) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(10);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            var flyway = Flyway.configure().dataSource(dataSource).cleanDisabled(false);
            if (schema != null) {
                flyway.schemas(schema);
            }
            flyway.load().clean();
            flyway.load().migrate();
            JdbcAuditStore store = new JdbcAuditStore(JdbcClient.create(dataSource));

            for (int i = 0; i < WARM_UP; i++) {
                oneChange(store);
            }
            long[] nanos = new long[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                nanos[i] = oneChange(store);
            }
            Arrays.sort(nanos);

            AtomicInteger done = new AtomicInteger();
            long start = System.nanoTime();
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < CONCURRENT_CALLERS; c++) {
                    callers.submit(() -> {
                        while (done.incrementAndGet() <= MEASURED) {
                            oneChange(store);
                        }
                        return null;
                    });
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            System.out.printf("%-34s per change (insert PENDING + complete): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, "
                    + "max %.3f ms; %d callers: %.0f changes/s%n", name, ms(nanos, 0.50), ms(nanos, 0.90),
                    ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6, CONCURRENT_CALLERS, MEASURED / seconds);
        }
    }

    private static long oneChange(JdbcAuditStore store) {
        long start = System.nanoTime();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        store.insertPending(new AuditEvent(id, now, null, null, "bench", "bench-client", "manager4220",
                "org-account.change-dingtalk-id", "user1001", "set DingTalk ID to lisi2026", AuditOutcome.PENDING,
                null, null, null, "bench-request"));
        store.complete(id, AuditOutcome.SUCCEEDED, Instant.now(), 1, null, null, null);
        return System.nanoTime() - start;
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * sorted.length))] / 1e6;
    }
}
