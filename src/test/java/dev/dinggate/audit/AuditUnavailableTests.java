package dev.dinggate.audit;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;

import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;

/** The audit database goes away mid-run: changes stop at the gateway, none reaches DingTalk unaudited. */
class AuditUnavailableTests extends ProductionGatewayTest {

    private static final String CHANGE_UPSTREAM = "/v1.0/contact/orgAccounts/dingTalkIds/change";
    private static final String VISIBILITY_UPSTREAM = "/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg";
    private static final Server database;

    static {
        try (ServerSocket socket = new ServerSocket(0)) {
            int port = socket.getLocalPort();
            socket.close();
            database = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
        }
        catch (IOException | SQLException failure) {
            throw new IllegalStateException(failure);
        }
    }

    @DynamicPropertySource
    static void auditDatabaseOverTcp(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:h2:tcp://localhost:" + database.getPort() + "/mem:audit-down;DB_CLOSE_DELAY=-1");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @Test
    void whileTheAuditDatabaseIsDownChangesAreRefusedAndNotSent() {
        dingTalk.stubFor(post(urlEqualTo(CHANGE_UPSTREAM)).willReturn(okJson("{\"result\":true}")));
        String token = jwts.token("alice", "accounts:write", "manager4220");
        assertThat(http.putJson("/api/v1/org-accounts/user1001/dingtalk-id", token, "{\"dingTalkId\":\"lisi2026\"}")
                .status()).as("audit up").isEqualTo(200);

        database.stop();
        GatewayHttp.Answer refused = http.putJson("/api/v1/org-accounts/user1004/dingtalk-id", token,
                "{\"dingTalkId\":\"sunba2026\"}");
        GatewayHttp.Answer refusedToo = http.putJson("/api/v1/org-accounts/visibility", token,
                "{\"corpIds\":[\"ding12345678\"]}");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.field("code")).isEqualTo("audit.unavailable");
        assertThat(refusedToo.field("code")).isEqualTo("audit.unavailable");
        assertThat(dingTalk.countRequestsMatching(postRequestedFor(urlEqualTo(CHANGE_UPSTREAM)).build()).getCount())
                .as("only the change made while the audit trail was up reached DingTalk").isEqualTo(1);
        assertThat(dingTalk.countRequestsMatching(putRequestedFor(urlEqualTo(VISIBILITY_UPSTREAM)).build()).getCount())
                .isZero();
    }
}
