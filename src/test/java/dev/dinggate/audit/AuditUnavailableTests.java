package dev.dinggate.audit;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import dev.dinggate.support.TcpProxy;
import dev.dinggate.support.TestPostgres;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The audit database goes away mid-run: changes stop at the gateway, none reaches DingTalk unaudited.
 * The gateway reaches its PostgreSQL schema through a proxy that the test cuts, as a network fault or
 * a database restart would.
 */
class AuditUnavailableTests extends ProductionGatewayTest {

    private static final String CHANGE_UPSTREAM = "/v1.0/contact/orgAccounts/dingTalkIds/change";
    private static final String VISIBILITY_UPSTREAM = "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg";
    private static TcpProxy database;

    @DynamicPropertySource
    static void auditDatabaseThroughAProxy(DynamicPropertyRegistry registry) {
        TestPostgres.Schema schema = TestPostgres.schemaFor(AuditUnavailableTests.class);
        database = new TcpProxy(schema.server().host(), schema.server().port());
        registry.add("spring.datasource.url", () -> schema.jdbcUrl(database.host(), database.port()));
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @AfterAll
    static void closeProxy() {
        database.close();
    }

    @Test
    void whileTheAuditDatabaseIsDownChangesAreRefusedAndNotSent() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
        String token = jwts.token("alice", "accounts:write", "manager4220");
        assertThat(http.putJson("/api/v1/org-accounts/user1001/dingtalk-id", token, "{\"dingTalkId\":\"lisi2026\"}")
                        .status())
                .as("audit up")
                .isEqualTo(200);

        database.refuse();
        GatewayHttp.Answer refused =
                http.putJson("/api/v1/org-accounts/user1004/dingtalk-id", token, "{\"dingTalkId\":\"sunba2026\"}");
        GatewayHttp.Answer refusedToo =
                http.putJson("/api/v1/org-accounts/visibility", token, "{\"corpIds\":[\"ding12345678\"]}");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.field("code")).isEqualTo("audit.unavailable");
        assertThat(refusedToo.field("code")).isEqualTo("audit.unavailable");
        assertThat(dingTalk.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)).build())
                        .getCount())
                .as("only the change made while the audit trail was up reached DingTalk")
                .isEqualTo(1);
        assertThat(dingTalk.countRequestsMatching(
                                putRequestedFor(urlEqualTo(VISIBILITY_UPSTREAM)).build())
                        .getCount())
                .isZero();

        // Once the database is back, changes go through again (the pool may first hand out a dead connection).
        database.restore();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(http.putJson(
                                        "/api/v1/org-accounts/user1005/dingtalk-id",
                                        token,
                                        "{\"dingTalkId\":\"zhou2026x\"}")
                                .status())
                        .as("audit back")
                        .isEqualTo(200));
        assertThat(dingTalk.countRequestsMatching(
                                postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)).build())
                        .getCount())
                .isEqualTo(2);
    }
}
