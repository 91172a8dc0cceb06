package dev.dinggate.dingtalk;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dinggate.GatewayApplication;
import dev.dinggate.dingtalk.internal.DingTalkTransport;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.PerSecondQuota;
import dev.dinggate.support.TcpProxy;
import dev.dinggate.support.TestJwts;
import dev.dinggate.support.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Three gateway replicas (three application contexts, each with its servers, pools and budget store, as a
 * production replica has them) on one PostgreSQL schema,
 * in front of one DingTalk stand-in that answers 90018 whenever an API gets more than its quota in a
 * wall-clock second. The replicas share one budget per API: together they use it, and never exceed it,
 * also while the database is away and each replica spends its share.
 */
@NeedsPostgres
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetQuotaTests {

    private static final int QUOTA = 20;
    private static final int REPLICAS = 3;
    private static final int MEASURED_SECONDS = 8;
    private static final String USER_GET = "/topapi/v2/user/get";
    private static final String BY_UNION_ID = "/topapi/user/getbyunionid";

    private static final PerSecondQuota quota = new PerSecondQuota(QUOTA);
    private static final WireMockServer dingTalk =
            new WireMockServer(options().dynamicPort().extensions(quota));
    private static final TestJwts jwts = new TestJwts();
    private static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private static TcpProxy database;

    @BeforeAll
    static void startTheFleet() {
        dingTalk.start();
        dingTalk.stubFor(get(urlEqualTo("/idp/jwks")).willReturn(okJson(jwts.jwkSetJson())));
        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(okJson("{\"accessToken\":\"fleet-token\",\"expireIn\":7200}")));
        dingTalk.stubFor(post(urlPathEqualTo(USER_GET))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid\":\"user1001\",\"name\":\"Li Si\"}}")));
        dingTalk.stubFor(post(urlPathEqualTo(BY_UNION_ID))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"contact_type\":0,\"userid\":\"user1001\"}}")));
        TestPostgres.Schema schema = TestPostgres.schemaFor(FleetQuotaTests.class);
        // Migrated once before the replicas start, as a deployment's first pod would.
        Flyway.configure()
                .dataSource(schema.dataSource())
                .schemas(schema.name())
                .load()
                .migrate();
        database = new TcpProxy(schema.server().host(), schema.server().port());
        Map<String, String> settings = Map.ofEntries(
                Map.entry("spring.profiles.active", "production"),
                Map.entry("spring.datasource.url", schema.jdbcUrl(database.host(), database.port())),
                Map.entry("spring.datasource.username", schema.server().user()),
                Map.entry("dingtalk.base-url", dingTalk.baseUrl()),
                Map.entry("dingtalk.legacy-base-url", dingTalk.baseUrl()),
                Map.entry("dingtalk.app-key", "fleet-app"),
                // The directory mirror's own DingTalk reads would be counted with the ones under test.
                Map.entry("gateway.directory.enabled", "false"),
                Map.entry("dingtalk.stream.enabled", "false"),
                Map.entry("dingtalk.app-secret", "fleet-secret-0123456789"),
                Map.entry("dingtalk.rate-limit.qps", Integer.toString(QUOTA)),
                Map.entry("dingtalk.rate-limit.fallback-replicas", Integer.toString(REPLICAS)),
                Map.entry("gateway.inbound.rate-limit.requests-per-second", "100000"),
                Map.entry("gateway.inbound.rate-limit.burst", "100000"),
                Map.entry("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", dingTalk.baseUrl() + "/idp/jwks"),
                Map.entry("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.ISSUER),
                Map.entry("spring.security.oauth2.resourceserver.jwt.audiences", TestJwts.AUDIENCE));
        for (int i = 0; i < REPLICAS; i++) {
            List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0"));
            settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
            replicas.add(new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new)));
        }
        // The replicas compile their hot paths under the first load: a few seconds of it, not measured.
        Load.run(
                Duration.ofSeconds(5),
                List.of(
                        new Caller(USER_GET, 12, FleetQuotaTests::userDetails, REPLICAS),
                        new Caller(BY_UNION_ID, 12, FleetQuotaTests::unionIdLookup, REPLICAS)));
    }

    @AfterAll
    static void stopTheFleet() {
        replicas.forEach(ConfigurableApplicationContext::close);
        dingTalk.stop();
        database.close();
        TestPostgres.drop(FleetQuotaTests.class);
    }

    @BeforeEach
    void freshCount() {
        quota.reset();
    }

    @Test
    @Order(1)
    void threeReplicasTogetherUseEachApisQuotaAndNeverExceedIt() {
        Load load = Load.measure(
                List.of(USER_GET, BY_UNION_ID),
                List.of(
                        new Caller(USER_GET, 12, FleetQuotaTests::userDetails, REPLICAS),
                        new Caller(BY_UNION_ID, 12, FleetQuotaTests::unionIdLookup, REPLICAS)));

        // With the cores starved (CI with another job) a turn can lie beyond max-wait: the caller is told to retry
        // later (503), which is the product's answer to overload, not a fault; the quota's use is what counts.
        assertThat(load.statuses().keySet()).isSubsetOf(200, 503);
        assertThat(quota.overQuota())
                .as("calls DingTalk answered with 90018, per second:\n%s", quota)
                .isZero();
        for (String api : List.of(USER_GET, BY_UNION_ID)) {
            double served = load.servedPerSecond(quota, api);
            System.out.printf(
                    "Fleet of %d replicas: %s served %.2f calls a second (quota %d); turns given up for "
                            + "waking late: %.0f%n",
                    REPLICAS, api, served, QUOTA, lateTurns());
            assertThat(served)
                    .as("%s calls a second; answers %s; calls per second:%n%s", api, load.statuses(), quota)
                    .isGreaterThanOrEqualTo(0.9 * QUOTA);
        }
        for (ConfigurableApplicationContext replica : replicas) {
            assertThat(pacing(replica)).isEqualTo("shared");
        }
    }

    @Test
    @Order(2)
    void aReplicaAloneUsesTheWholeQuota() {
        Load load = Load.measure(List.of(USER_GET), List.of(new Caller(USER_GET, 12, FleetQuotaTests::userDetails, 1)));

        assertThat(load.statuses().keySet()).isSubsetOf(200, 503);
        assertThat(quota.overQuota()).isZero();
        double served = load.servedPerSecond(quota, USER_GET);
        System.out.printf("One replica alone: %s served %.2f calls a second (quota %d)%n", USER_GET, served, QUOTA);
        assertThat(served).isGreaterThanOrEqualTo(0.9 * QUOTA);
    }

    @Test
    @Order(3)
    void withoutTheDatabaseEveryReplicaSpendsItsShareAndComesBackToTheFleetsBudget() {
        Load load = Load.start(List.of(
                new Caller(USER_GET, 12, FleetQuotaTests::userDetails, REPLICAS),
                new Caller(BY_UNION_ID, 12, FleetQuotaTests::unionIdLookup, REPLICAS)));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> quota.servedBetween(USER_GET, 0, Long.MAX_VALUE) > 40);
            database.refuse();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> replicas.stream()
                            .allMatch(replica -> pacing(replica).equals("fallback")));
            int servedBefore = quota.servedBetween(USER_GET, 0, Long.MAX_VALUE);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> quota.servedBetween(USER_GET, 0, Long.MAX_VALUE) > servedBefore + 3 * QUOTA);

            database.restore();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> replicas.stream()
                            .allMatch(replica -> pacing(replica).equals("shared")));
            int servedFallenBack = quota.servedBetween(USER_GET, 0, Long.MAX_VALUE);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> quota.servedBetween(USER_GET, 0, Long.MAX_VALUE) > servedFallenBack + 3 * QUOTA);
        } finally {
            load.stop();
        }

        System.out.printf("Fallback drill: answers %s%n", load.statuses());
        assertThat(quota.overQuota())
                .as("calls DingTalk answered with 90018, per second:\n%s", quota)
                .isZero();
        assertThat(load.statuses().getOrDefault(200, 0)).isPositive();
        assertThat(load.statuses().keySet())
                .as("callers may wait, or at worst be told to retry later")
                .isSubsetOf(200, 503);
    }

    private static String userDetails(GatewayHttp replica) {
        return "GET /api/v1/users/user1001";
    }

    private static String unionIdLookup(GatewayHttp replica) {
        return "POST /api/v1/users/lookup";
    }

    /** Turns the replicas gave up because their threads woke too late to send on time. */
    private static double lateTurns() {
        return replicas.stream()
                .mapToDouble(
                        replica -> replica.getBean(MeterRegistry.class).find("dingtalk.pacing.late").counters().stream()
                                .mapToDouble(Counter::count)
                                .sum())
                .sum();
    }

    /** Where a replica takes its turns from, as operators see it. */
    private static String pacing(ConfigurableApplicationContext replica) {
        return replica.getBean(DingTalkTransport.class).pacingState().store();
    }

    private static int port(ConfigurableApplicationContext replica) {
        return ((WebServerApplicationContext) replica).getWebServer().getPort();
    }

    /** Callers of one API that keep sending, each to replica (its index modulo {@code replicaCount}). */
    private record Caller(String api, int count, Function<GatewayHttp, String> request, int replicaCount) {}

    /** Requests kept going by virtual threads until stopped; every answer's status is counted. */
    private static final class Load {
        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        private volatile boolean running = true;
        private volatile Instant stopped = Instant.now();
        private volatile long measuredFrom;

        static Load run(Duration duration, List<Caller> callers) {
            Load load = start(callers);
            try {
                Thread.sleep(duration);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            load.stop();
            return load;
        }

        /**
         * Keeps the callers going until every one of {@code apis} has had a second at 90 % of the quota (on a busy
         * machine the callers and replicas take a while to fill the queues), then for {@code MEASURED} whole seconds.
         */
        static Load measure(List<String> apis, List<Caller> callers) {
            Load load = start(callers);
            try {
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> apis.stream()
                                .allMatch(api ->
                                        quota.servedBetween(api, nowSecond() - 1, nowSecond() - 1) >= 0.9 * QUOTA));
                load.measuredFrom = nowSecond() + 1;
                Thread.sleep(Duration.ofSeconds(MEASURED_SECONDS + 2));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } finally {
                load.stop();
            }
            return load;
        }

        private static long nowSecond() {
            return Instant.now().getEpochSecond();
        }

        static Load start(List<Caller> callers) {
            Load load = new Load();
            String token = jwts.token("fleet-load", "users:read", null);
            // One client per replica, shared by its callers, as an HR system's connection pool would be.
            List<GatewayHttp> clients = replicas.stream()
                    .map(replica -> new GatewayHttp(port(replica)))
                    .toList();
            for (Caller caller : callers) {
                for (int i = 0; i < caller.count(); i++) {
                    GatewayHttp replica = clients.get(i % caller.replicaCount());
                    String[] request = caller.request().apply(replica).split(" ", 2);
                    String body = request[0].equals("POST") ? "{\"unionId\":\"union-user1001\"}" : null;
                    load.callers.submit(() -> {
                        while (load.running) {
                            int status = replica.send(
                                            request[0],
                                            request[1],
                                            token,
                                            body == null ? null : "application/json",
                                            body)
                                    .status();
                            load.statuses
                                    .computeIfAbsent(status, unused -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    });
                }
            }
            return load;
        }

        void stop() {
            running = false;
            callers.close();
            stopped = Instant.now();
        }

        Map<Integer, Integer> statuses() {
            Map<Integer, Integer> counts = new ConcurrentHashMap<>();
            statuses.forEach((status, count) -> counts.put(status, count.get()));
            return counts;
        }

        /**
         * Calls of {@code api} DingTalk served per second, over the whole seconds from the one after the queues were
         * full to the one before the load stopped.
         */
        double servedPerSecond(PerSecondQuota quota, String api) {
            long first = measuredFrom;
            long last = stopped.getEpochSecond() - 1;
            return (double) quota.servedBetween(api, first, last) / (last - first + 1);
        }
    }
}
