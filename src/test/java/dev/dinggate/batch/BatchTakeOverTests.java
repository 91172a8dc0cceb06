package dev.dinggate.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dinggate.GatewayApplication;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.HeldAnswers;
import dev.dinggate.support.NeedsPostgres;
import dev.dinggate.support.TcpProxy;
import dev.dinggate.support.TestJwts;
import dev.dinggate.support.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two gateway replicas (two application contexts) on one PostgreSQL schema. The one working on a batch
 * loses its database while an item is in flight at DingTalk, as a replica that dies does: the other takes
 * the batch over. No item is sent twice, none is lost, every one ends in a final state, and the one in
 * flight is unknown.
 */
@NeedsPostgres
class BatchTakeOverTests {

    private static final int ITEMS = 12;
    private static final int HELD = 4;
    private static final String DELETE = "/topapi/v2/user/delete";

    private static final HeldAnswers held = new HeldAnswers();
    private static final WireMockServer dingTalk =
            new WireMockServer(options().dynamicPort().extensions(held));
    private static final TestJwts jwts = new TestJwts();
    private static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private static TcpProxy firstReplicasDatabase;
    private static Map<String, String> settings;
    private static TestPostgres.Schema schema;

    @BeforeAll
    static void startTheFirstReplica() {
        dingTalk.start();
        dingTalk.stubFor(get(urlEqualTo("/idp/jwks")).willReturn(okJson(jwts.jwkSetJson())));
        dingTalk.stubFor(post(urlEqualTo("/v1.0/oauth2/accessToken"))
                .willReturn(okJson("{\"accessToken\":\"batch-token\",\"expireIn\":7200}")));
        dingTalk.stubFor(post(urlPathEqualTo(DELETE)).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        dingTalk.stubFor(HeldAnswers.held(post(urlPathEqualTo(DELETE)).withRequestBody(containing(userId(HELD))))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        schema = TestPostgres.schemaFor(BatchTakeOverTests.class);
        Flyway.configure()
                .dataSource(schema.dataSource())
                .schemas(schema.name())
                .load()
                .migrate();
        firstReplicasDatabase =
                new TcpProxy(schema.server().host(), schema.server().port());
        settings = Map.ofEntries(
                Map.entry("spring.profiles.active", "production"),
                Map.entry("spring.datasource.username", schema.server().user()),
                Map.entry("dingtalk.base-url", dingTalk.baseUrl()),
                // The directory mirror's own DingTalk reads would be counted with the ones under test.
                Map.entry("gateway.directory.enabled", "false"),
                Map.entry("dingtalk.stream.enabled", "false"),
                Map.entry("dingtalk.legacy-base-url", dingTalk.baseUrl()),
                Map.entry("dingtalk.app-key", "batch-app"),
                Map.entry("dingtalk.app-secret", "batch-secret-0123456789"),
                // The held answer outlasts the take-over: the replica that sent it must not give up first.
                Map.entry("dingtalk.timeout.response", "50s"),
                Map.entry("gateway.batch.heartbeat", "500ms"),
                Map.entry("gateway.batch.missed-heartbeats", "4"),
                Map.entry("gateway.batch.polling-interval", "200ms"),
                Map.entry("gateway.batch.chunk-size", "3"),
                Map.entry("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", dingTalk.baseUrl() + "/idp/jwks"),
                Map.entry("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.ISSUER),
                Map.entry("spring.security.oauth2.resourceserver.jwt.audiences", TestJwts.AUDIENCE));
        replicas.add(start(schema.jdbcUrl(firstReplicasDatabase.host(), firstReplicasDatabase.port())));
    }

    @AfterAll
    static void stopTheReplicas() {
        held.release();
        replicas.forEach(ConfigurableApplicationContext::close);
        dingTalk.stop();
        firstReplicasDatabase.close();
        TestPostgres.drop(BatchTakeOverTests.class);
    }

    @Test
    void aBatchWhoseReplicaDiesIsFinishedByAnotherWithNoItemSentTwiceOrLost() {
        held.hold();
        String creator = jwts.token("hr-admin", "users:write", "user1002");
        String items = String.join(
                ",",
                IntStream.range(0, ITEMS)
                        .mapToObj(i -> "{\"operation\":\"delete-user\",\"userId\":\"" + userId(i) + "\"}")
                        .toList());
        GatewayHttp.Answer submitted = http(replicas.get(0))
                .send("POST", "/api/v1/batches", creator, "application/json", "{\"items\":[" + items + "]}");
        assertThat(submitted.status()).isEqualTo(202);
        String location = submitted.header("Location");
        await().atMost(Duration.ofSeconds(60)).until(() -> sent(HELD) == 1);

        // The first replica is cut off from the database with the item in flight: no heartbeat, no write.
        firstReplicasDatabase.refuse();
        ConfigurableApplicationContext second = start(schema.jdbcUrl());
        replicas.add(second);

        JsonNode batch = await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> http(second)
                                .send("GET", location, creator, null, null)
                                .json(),
                        shown -> shown.path("state").asString().equals("completed"));
        held.release();

        for (int i = 0; i < ITEMS; i++) {
            assertThat(sent(i)).as("requests for item %d", i).isEqualTo(1);
            String state = batch.path("items").get(i).path("state").asString();
            assertThat(state).as("item %d", i).isEqualTo(i == HELD ? "unknown" : "succeeded");
        }
        assertThat(batch.path("counts").toString())
                .isEqualTo(
                        "{\"pending\":0,\"succeeded\":" + (ITEMS - 1) + ",\"failed\":0,\"unknown\":1,\"cancelled\":0}");
    }

    private static String userId(int item) {
        return "user-" + (1000 + item);
    }

    private static int sent(int item) {
        return dingTalk.countRequestsMatching(postRequestedFor(urlPathEqualTo(DELETE))
                        .withRequestBody(containing(userId(item)))
                        .build())
                .getCount();
    }

    private static ConfigurableApplicationContext start(String jdbcUrl) {
        List<String> arguments = new ArrayList<>(
                List.of("--server.port=0", "--management.server.port=0", "--spring.datasource.url=" + jdbcUrl));
        settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new));
    }

    private static GatewayHttp http(ConfigurableApplicationContext replica) {
        return new GatewayHttp(
                ((WebServerApplicationContext) replica).getWebServer().getPort());
    }
}
