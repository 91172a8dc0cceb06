package dev.dinggate.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.support.MutableClock;
import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TcpProxy;
import dev.dinggate.support.TestPostgres;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

/**
 * Budgets shared through PostgreSQL by two "replicas" (two instances on one schema, each with its own
 * connection pool) on a clock moved by hand; the database taken away through a proxy and given back.
 */
@NeedsPostgres
class SharedBudgetsTests {

    /** 20 turns a second, one every 50 ms; reserved up to a second ahead. */
    private static final Budgets.Limits TWENTY_A_SECOND =
            new Budgets.Limits(1, 20, Duration.ofSeconds(1), Duration.ofSeconds(1));

    private static final Duration SPACING = Duration.ofMillis(50);
    private static TestPostgres.Schema schema;
    private static int keys;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private final BlockingStrategy recordWaits = nanos -> waits.add(Duration.ofNanos(nanos));

    @BeforeAll
    static void migrate() {
        schema = TestPostgres.schemaFor(SharedBudgetsTests.class);
        Flyway.configure()
                .dataSource(schema.dataSource())
                .schemas(schema.name())
                .load()
                .migrate();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.drop(SharedBudgetsTests.class);
    }

    @AfterEach
    void closeReplicas() throws Exception {
        for (AutoCloseable replica : opened) {
            replica.close();
        }
    }

    private SharedBudgets replica(String host, int port, SimpleMeterRegistry meters) {
        DataSourceProperties database = new DataSourceProperties();
        database.setUrl(schema.jdbcUrl(host, port));
        database.setUsername(schema.server().user());
        database.setPassword(schema.server().password());
        BudgetProperties properties = new BudgetProperties(true, 3, Duration.ofMillis(500), Duration.ofMillis(200));
        SharedBudgets budgets = new SharedBudgets(
                BudgetStore.dataSource(database, properties), new ClockTimeMeter(clock), clock, properties, meters);
        opened.add(budgets);
        return budgets;
    }

    private SharedBudgets replica() {
        return replica(schema.server().host(), schema.server().port(), new SimpleMeterRegistry());
    }

    private static String freshKey() {
        return "test:api-" + (++keys);
    }

    private boolean turn(Budgets budgets, String key) throws InterruptedException {
        return budgets.use(
                Budgets.Kind.QUOTA,
                key,
                TWENTY_A_SECOND,
                bucket -> bucket.asBlocking().tryConsume(1, Duration.ofSeconds(5), recordWaits));
    }

    @Test
    void replicasTakeTurnsFromOneBudgetInArrivalOrder() throws InterruptedException {
        SharedBudgets first = replica();
        SharedBudgets second = replica();
        String key = freshKey();

        assertThat(turn(first, key)).isTrue();
        assertThat(turn(second, key)).isTrue();
        assertThat(turn(first, key)).isTrue();
        assertThat(turn(second, key)).isTrue();

        // The clock stood still: each turn was reserved one spacing behind the one before, whichever replica took it.
        assertThat(waits).containsExactly(SPACING, SPACING.multipliedBy(2), SPACING.multipliedBy(3));
        assertThat(first.state().store()).isEqualTo("shared");
    }

    @Test
    void aClientsBudgetIsSpentOnEveryReplicaAlike() throws InterruptedException {
        SharedBudgets first = replica();
        SharedBudgets second = replica();
        Budgets.Limits threeThenOneASecond = Budgets.Limits.tokens(3, 1);
        List<Boolean> answers = new ArrayList<>();

        for (SharedBudgets replica : List.of(first, second, first, second)) {
            ConsumptionProbe probe = replica.use(
                    Budgets.Kind.CLIENT,
                    "client:hr-sync",
                    threeThenOneASecond,
                    bucket -> bucket.tryConsumeAndReturnRemaining(1));
            answers.add(probe.isConsumed());
        }

        assertThat(answers).containsExactly(true, true, true, false);
    }

    @Test
    void withoutTheDatabaseAReplicaSpendsItsShareAndReturnsWhenItAnswers() throws InterruptedException {
        try (TcpProxy network =
                new TcpProxy(schema.server().host(), schema.server().port())) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            SharedBudgets replica = replica(network.host(), network.port(), meters);
            String key = freshKey();
            assertThat(turn(replica, key)).isTrue();

            network.refuse();
            assertThat(turn(replica, key))
                    .as("served from the share, not refused")
                    .isTrue();
            assertThat(turn(replica, key)).isTrue();

            BudgetState fallen = replica.state();
            assertThat(fallen.store()).isEqualTo("fallback");
            assertThat(fallen.fallbackSince()).isEqualTo(clock.instant());
            assertThat(fallen.fallbackReason()).isNotBlank();
            assertThat(meters.get("dingtalk.pacing.shared").gauge().value()).isZero();
            // The share of three replicas is six turns a second (three such shares never put more than 18 into a
            // second), and its first turn comes only once every turn reserved from the fleet's budget (up to a
            // second ahead) may have gone out.
            Duration shareTurn = Duration.ofSeconds(1).dividedBy(6);
            assertThat(waits).hasSize(2);
            assertThat(waits.get(0)).isCloseTo(shareTurn.multipliedBy(6), Duration.ofMillis(1));
            assertThat(waits.get(1)).isCloseTo(shareTurn.multipliedBy(7), Duration.ofMillis(1));

            network.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> replica.state().shared());
            assertThat(meters.get("dingtalk.pacing.shared").gauge().value()).isOne();
            assertThat(turn(replica, key)).isTrue();
            // Back on the fleet's budget, whose next turn waits until every replica may have noticed (a probe
            // interval, 200 ms here) and spent the turns it reserved from its share (a second).
            assertThat(waits.getLast()).isEqualTo(Duration.ofMillis(1_200));
        }
    }

    @Test
    void aDatabaseThatStopsAnsweringIsLeftForTheShareOnceTheDriverGivesUp() throws InterruptedException {
        try (TcpProxy network =
                new TcpProxy(schema.server().host(), schema.server().port())) {
            SharedBudgets replica = replica(network.host(), network.port(), new SimpleMeterRegistry());
            String key = freshKey();
            assertThat(turn(replica, key)).isTrue();

            // Packets vanish: no refusal, no answer; the driver's socket timeout (a second) ends the wait.
            network.blackhole();

            assertThat(turn(replica, key)).as("served from the share").isTrue();
            assertThat(replica.state().store()).isEqualTo("fallback");
            assertThat(replica.state().fallbackReason()).isNotBlank();
        }
    }
}
