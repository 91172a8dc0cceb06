package dev.dinggate.apidocs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dinggate.client.ApiClient;
import dev.dinggate.client.ApiException;
import dev.dinggate.client.api.AuditApi;
import dev.dinggate.client.api.DepartmentsApi;
import dev.dinggate.client.api.EnterpriseAccountsApi;
import dev.dinggate.client.api.UsersApi;
import dev.dinggate.client.model.ChangeDingTalkIdRequest;
import dev.dinggate.client.model.DepartmentNode;
import dev.dinggate.client.model.DingTalkIdChanged;
import dev.dinggate.client.model.EmployeeRef;
import dev.dinggate.client.model.Problem;
import dev.dinggate.client.model.UserLookupRequest;
import dev.dinggate.client.model.VisibilityRequest;
import dev.dinggate.support.ProductionGatewayTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Java client generated at build time from docs/openapi.json (openapi-generator, test scope) drives
 * the running gateway: what the document promises, a generated client can use.
 */
class GeneratedClientTests extends ProductionGatewayTest {

    private ApiClient client;

    @BeforeEach
    void generatedClient() {
        String token = jwts.token("web-app", "accounts:write users:read users:write audit:read", "manager4220");
        client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
    }

    @Test
    void enterpriseAccountOperations() throws ApiException {
        dingTalk.stubFor(post(urlEqualTo("/v1.0/contact/orgAccounts/dingTalkIds/change"))
                .willReturn(okJson("{\"result\":true}")));
        dingTalk.stubFor(put(urlEqualTo("/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg"))
                .willReturn(okJson("{\"result\":true}")));
        EnterpriseAccountsApi accounts = new EnterpriseAccountsApi(client);

        DingTalkIdChanged changed =
                accounts.changeDingTalkId("user1001", new ChangeDingTalkIdRequest().dingTalkId("lisi2026"), null);
        assertThat(changed.getUserId()).isEqualTo("user1001");
        assertThat(changed.getDingTalkId()).isEqualTo("lisi2026");

        assertThat(accounts.makeVisibleInOtherOrgs(new VisibilityRequest().corpIds(List.of("ding1")), null)
                        .getFields())
                .containsExactly("mobile");
    }

    @Test
    void problemsArriveAsTypedProblemDetails() throws Exception {
        dingTalk.stubFor(post(urlEqualTo("/v1.0/contact/orgAccounts/dingTalkIds/change"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"incorrect.reserved\",\"message\":\"taken\",\"requestid\":\"UP-1\"}")));

        ApiException failure = catchThrowableOfType(
                ApiException.class,
                () -> new EnterpriseAccountsApi(client)
                        .changeDingTalkId("user1001", new ChangeDingTalkIdRequest().dingTalkId("zhangsan01"), null));

        assertThat(failure.getCode()).isEqualTo(409);
        Problem problem = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .readValue(failure.getResponseBody(), Problem.class);
        assertThat(problem.getCode()).isEqualTo(Problem.CodeEnum.DINGTALK_ID_TAKEN);
        assertThat(problem.getUpstreamCode()).isEqualTo("incorrect.reserved");
    }

    @Test
    void contactsOperations() throws ApiException {
        dingTalk.stubFor(
                post(urlPathEqualTo("/topapi/v2/user/get"))
                        .willReturn(
                                okJson(
                                        "{\"errcode\":0,\"result\":{\"userid\":\"user1001\",\"name\":\"Li Si\",\"dept_id_list\":[3]}}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/user/getbyunionid"))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"contact_type\":0,\"userid\":\"user1001\"}}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/department/listsub"))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo("1")))
                .willReturn(okJson("{\"errcode\":0,\"result\":[{\"dept_id\":3,\"name\":\"Eng\",\"parent_id\":1}]}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/department/listsub"))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo("3")))
                .willReturn(okJson("{\"errcode\":0,\"result\":[]}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/user/listid"))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo("1")))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid_list\":[\"boss\"]}}")));
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/user/listid"))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo("3")))
                .willReturn(okJson("{\"errcode\":0,\"result\":{\"userid_list\":[\"user1001\",\"boss\"]}}")));
        UsersApi users = new UsersApi(client);

        assertThat(users.userDetails("user1001", null).getDepartmentIds()).containsExactly(3L);
        assertThat(users.lookupUser(new UserLookupRequest().unionId("union-user1001"), null)
                        .getContactType())
                .isEqualTo("internal");
        assertThat(users.listEmployees(null))
                .extracting(EmployeeRef::getUserId)
                .containsExactlyInAnyOrder("boss", "user1001");
        assertThat(new DepartmentsApi(client).departmentTree(null))
                .extracting(DepartmentNode::getName)
                .containsExactly("Eng");
    }

    @Test
    void auditEventsOfAChangeReadBackTyped() throws ApiException {
        dingTalk.stubFor(post(urlEqualTo("/v1.0/contact/orgAccounts/dingTalkIds/change"))
                .willReturn(okJson("{\"result\":true}")));
        new EnterpriseAccountsApi(client)
                .changeDingTalkId("user1007", new ChangeDingTalkIdRequest().dingTalkId("wujiu2026"), null);

        var page = new AuditApi(client)
                .findAuditEvents(
                        null, "org-account.change-dingtalk-id", "user1007", null, null, null, null, null, 0, 10);

        assertThat(page.getTotalItems()).isEqualTo(1);
        assertThat(page.getItems()).singleElement().satisfies(event -> {
            assertThat(event.getActor()).isEqualTo("web-app");
            assertThat(event.getSummary()).isEqualTo("set DingTalk ID to wujiu2026");
            assertThat(event.getOutcome()).hasToString("SUCCEEDED");
        });
    }
}
