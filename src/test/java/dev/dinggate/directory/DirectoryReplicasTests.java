package dev.dinggate.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.dinggate.directory.WireMockOrg.DEPARTMENT_GET;
import static dev.dinggate.directory.WireMockOrg.LIST_SUB;
import static dev.dinggate.directory.WireMockOrg.USER_LIST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dinggate.GatewayApplication;
import dev.dinggate.dingtalk.stream.DingTalkEvent;
import dev.dinggate.dingtalk.stream.DingTalkEventListener;
import dev.dinggate.dingtalk.stream.DingTalkEventListener.Acknowledgement;
import dev.dinggate.support.HeldAnswers;
import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TestJwts;
import dev.dinggate.support.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two gateway replicas (two application contexts) on one PostgreSQL schema, each looking every 200 ms whether a
 * full sync is due. One of them reads the organisation, once; the other finds the lease taken while it runs and
 * the mirror fresh afterwards. An event applied by one is seen by the other, through the shared database.
 */
@NeedsPostgres
class DirectoryReplicasTests {

    private static final int PAGE_SIZE = 2;

    private static final HeldAnswers held = new HeldAnswers();
    private static final WireMockServer dingTalk =
            new WireMockServer(options().dynamicPort().extensions(held));
    private static final TestJwts jwts = new TestJwts();
    private static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private static TestPostgres.Schema schema;
    private static WireMockOrg org;

    @BeforeAll
    static void startTwoReplicasWithAnEmptyMirror() {
        dingTalk.start();
        dingTalk.stubFor(get(urlEqualTo("/idp/jwks")).willReturn(okJson(jwts.jwkSetJson())));
        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(okJson("{\"accessToken\":\"directory-token\",\"expireIn\":7200}")));
        org = WireMockOrg.acme(dingTalk, PAGE_SIZE).serve();
        // The sync that starts first stays at Sales' first page until the test has looked at both replicas.
        org.hold(2, 0);
        held.hold();
        schema = TestPostgres.schemaFor(DirectoryReplicasTests.class);
        Flyway.configure()
                .dataSource(schema.dataSource())
                .schemas(schema.name())
                .load()
                .migrate();
        Map<String, String> settings = Map.ofEntries(
                Map.entry("spring.profiles.active", "production"),
                Map.entry("spring.datasource.url", schema.jdbcUrl()),
                Map.entry("spring.datasource.username", schema.server().user()),
                Map.entry("dingtalk.base-url", dingTalk.baseUrl()),
                Map.entry("dingtalk.legacy-base-url", dingTalk.baseUrl()),
                Map.entry("dingtalk.app-key", "directory-app"),
                Map.entry("dingtalk.app-secret", "directory-secret-0123456789"),
                Map.entry("dingtalk.timeout.response", "90s"),
                Map.entry("dingtalk.stream.enabled", "false"),
                Map.entry("gateway.directory.enabled", "true"),
                Map.entry("gateway.directory.check-interval", "200ms"),
                Map.entry("gateway.directory.page-size", Integer.toString(PAGE_SIZE)),
                Map.entry("gateway.reconciliation.interval", "1h"),
                Map.entry("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", dingTalk.baseUrl() + "/idp/jwks"),
                Map.entry("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.ISSUER),
                Map.entry("spring.security.oauth2.resourceserver.jwt.audiences", TestJwts.AUDIENCE));
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0"));
        settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        for (int replica = 0; replica < 2; replica++) {
            replicas.add(new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new)));
        }
    }

    @AfterAll
    static void stopTheReplicas() {
        held.release();
        replicas.forEach(ConfigurableApplicationContext::close);
        dingTalk.stop();
        TestPostgres.drop(DirectoryReplicasTests.class);
    }

    @Test
    void oneReplicaReadsTheOrganisationOnceAndBothServeWhatEitherLearns() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> org.requests(USER_LIST, "{\"dept_id\":2,\"cursor\":0}") == 1);
        for (ConfigurableApplicationContext replica : replicas) {
            assertThat(replica.getBean(FullSync.class).syncNow())
                    .as("a sync runs already")
                    .isEmpty();
        }
        held.release();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> replicas.getFirst()
                        .getBean(MirrorStatus.class)
                        .status()
                        .state()
                        .equals("ready"));

        for (ConfigurableApplicationContext replica : replicas) {
            assertThat(replica.getBean(FullSyncSchedule.class).check())
                    .as("the fleet's last sync is fresh")
                    .isFalse();
            assertThat(replica.getBean(MirrorStatus.class).status().users()).isEqualTo(9);
        }
        assertThat(replicas.stream()
                        .mapToDouble(replica -> replica.getBean(MeterRegistry.class)
                                .get("gateway.directory.full-syncs")
                                .tag("outcome", "completed")
                                .timer()
                                .count())
                        .sum())
                .isEqualTo(1);
        assertThat(org.requests(DEPARTMENT_GET)).isEqualTo(1);
        for (long department : org.departmentIds()) {
            assertThat(org.requests(LIST_SUB, "{\"dept_id\":" + department + "}"))
                    .as("listsub of %d", department)
                    .isEqualTo(1);
        }
        assertThat(org.requests(USER_LIST)).isEqualTo(8);

        org.answerUserGet(
                "a", "{\"errcode\":0,\"result\":" + WireMockOrg.userJson("a", "A From An Event", 2L, 4L) + "}");
        assertThat(replicas.get(1)
                        .getBean(DingTalkEventListener.class)
                        .onEvent(new DingTalkEvent(
                                "ev-fleet", "user_modify_org", "corp-acme", Instant.now(), "{\"userId\":[\"a\"]}")))
                .isEqualTo(Acknowledgement.SUCCESS);
        DirectoryStatus seenByTheOther =
                replicas.getFirst().getBean(MirrorStatus.class).status();
        assertThat(seenByTheOther.eventsReceived()).isEqualTo(1);
        assertThat(seenByTheOther.lastEventAt()).isNotNull();
        assertThat(replicas.getFirst()
                        .getBean(DingTalkEventListener.class)
                        .onEvent(new DingTalkEvent(
                                "ev-fleet", "user_modify_org", "corp-acme", Instant.now(), "{\"userId\":[\"a\"]}")))
                .as("the same event delivered again, to the other replica")
                .isEqualTo(Acknowledgement.SUCCESS);
        assertThat(schema.jdbc()
                        .sql("SELECT name FROM directory_user WHERE user_id = 'a'")
                        .query(String.class)
                        .single())
                .isEqualTo("A From An Event");
        assertThat(replicas.getFirst().getBean(MirrorStatus.class).status().eventsReceived())
                .isEqualTo(1);
    }
}
