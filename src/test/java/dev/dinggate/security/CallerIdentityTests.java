package dev.dinggate.security;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who did it comes from the token alone, for every audited operation: the audit row names the
 * token's subject, client and DingTalk userId, and visibility's optUserId is the token's userId.
 */
class CallerIdentityTests extends ProductionGatewayTest {

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "PUT    | /api/v1/org-accounts/user1001/dingtalk-id | {\"dingTalkId\":\"lisi2026\"}                                | accounts:write | org-account.change-dingtalk-id",
                "PUT    | /api/v1/org-accounts/visibility           | {\"corpIds\":[\"ding1\"]}                                    | accounts:write | org-account.visible-in-other-orgs",
                "POST   | /api/v1/users/lookup                      | {\"mobile\":\"+86-13800001001\"}                             | users:read     | user.lookup-by-mobile",
                "POST   | /api/v1/users                             | {\"name\":\"X\",\"mobile\":\"13912345678\",\"departmentIds\":[3]} | users:write | user.create",
                "PATCH  | /api/v1/users/user1001                    | {\"title\":\"X\"}                                            | users:write    | user.update",
                "DELETE | /api/v1/users/user1001                    |                                                            | users:write    | user.delete"
            })
    void auditIdentityIsTheTokensOwn(String method, String path, String body, String scope, String operation) {
        stubEveryChangeAsSuccessful();
        String subject = "idp-" + UUID.randomUUID();
        String token = jwts.builder(subject, scope, "user1004")
                .claim("azp", "hr-portal")
                .sign();

        GatewayHttp.Answer answer = http.send(method, path, token, body == null ? null : "application/json", body);

        assertThat(answer.status()).isBetween(200, 204);
        Map<String, Object> row = jdbc.sql(
                        "SELECT actor, client_id, actor_dingtalk_user_id, operation FROM audit_event "
                                + "WHERE actor = :actor")
                .param("actor", subject)
                .query()
                .singleRow();
        assertThat(row)
                .containsEntry("CLIENT_ID", "hr-portal")
                .containsEntry("ACTOR_DINGTALK_USER_ID", "user1004")
                .containsEntry("OPERATION", operation);
        if (path.endsWith("/visibility")) {
            dingTalk.verify(putRequestedFor(urlEqualTo("/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg"))
                    .withRequestBody(equalToJson(
                            "{\"toCorpIds\":[\"ding1\"],\"optUserId\":\"user1004\",\"fields\":[\"mobile\"]}")));
        }
    }

    private static void stubEveryChangeAsSuccessful() {
        dingTalk.stubFor(post(urlEqualTo("/v1.0/contact/orgAccounts/dingTalkIds/change"))
                .willReturn(okJson("{\"result\":true}")));
        dingTalk.stubFor(put(urlEqualTo("/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg"))
                .willReturn(okJson("{\"result\":true}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/getbymobile"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid\":\"user1001\"}}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/create"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid\":\"emp9\",\"unionId\":\"u9\"}}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/update")).willReturn(okJson("{\"errcode\":0}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/delete")).willReturn(okJson("{\"errcode\":0}")));
    }
}
