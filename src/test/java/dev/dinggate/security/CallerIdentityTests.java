package dev.dinggate.security;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.ApiRoutes;
import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who did it comes from the token alone, for every audited operation: the audit row names the
 * token's subject, client and DingTalk userId, and visibility's optUserId is the token's userId.
 */
class CallerIdentityTests extends ProductionGatewayTest {

    @Autowired
    JdbcClient jdbc;

    /**
     * The audit operation each audited API operation records, by operationId; the look-up is audited when it
     * is by mobile number, so its case sends one.
     */
    static final Map<String, AuditedCase> AUDITED = Map.of(
            "changeDingTalkId", new AuditedCase(null, "org-account.change-dingtalk-id"),
            "makeVisibleInOtherOrgs", new AuditedCase(null, "org-account.visible-in-other-orgs"),
            "lookupUser", new AuditedCase("{\"mobile\":\"+86-13800001001\"}", "user.lookup-by-mobile"),
            "createUser", new AuditedCase(null, "user.create"),
            "updateUser", new AuditedCase(null, "user.update"),
            "deleteUser", new AuditedCase(null, "user.delete"));

    /** A request body other than the route's first example, and the audit operation it records. */
    record AuditedCase(String body, String operation) {}

    static Stream<ApiRoutes.ApiRoute> auditedRoutes() {
        return ApiRoutes.stream().filter(route -> route.kind().audited());
    }

    @Test
    void everyAuditedOperationOfTheApiHasItsCase() {
        assertThat(AUDITED.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        auditedRoutes().map(ApiRoutes.ApiRoute::operationId).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("auditedRoutes")
    void auditIdentityIsTheTokensOwn(ApiRoutes.ApiRoute route) {
        AuditedCase audited = AUDITED.get(route.operationId());
        assertThat(audited).as("AUDITED has no case for " + route.operationId()).isNotNull();
        String method = route.method();
        String path = route.pathWith("user1001");
        String body = audited.body() != null ? audited.body() : route.validBody();
        String scope = route.scope();
        String operation = audited.operation();
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
                            "{\"toCorpIds\":[\"ding12345678\"],\"optUserId\":\"user1004\",\"fields\":[\"mobile\"]}")));
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
