package dev.dinggate.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The Contacts operations end to end, and each FAQ pitfall turned into its answer. */
@ExtendWith(OutputCaptureExtension.class)
class ContactApiTests extends ProductionGatewayTest {

    private static final String USER_GET = "/topapi/v2/user/get";
    private static final String BY_UNION_ID = "/topapi/user/getbyunionid";
    private static final String BY_MOBILE = "/topapi/v2/user/getbymobile";
    private static final String LIST_SUB = "/topapi/v2/department/listsub";
    private static final String CREATE = "/topapi/v2/user/create";
    private static final String UPDATE = "/topapi/v2/user/update";
    private static final String DELETE = "/topapi/v2/user/delete";

    @Autowired
    JdbcClient jdbc;

    private String reader() {
        return jwts.token("hr-sync", "users:read", "user1002");
    }

    private String writer() {
        return jwts.token("hr-admin", "users:read users:write", "user1002");
    }

    private static void answer(String path, String body) {
        dingTalk.stubFor(post(urlPathEqualTo(path)).willReturn(okJson(body)));
    }

    @Test
    void userDetailsAreTheGatewaysOwnRecordAndSayWhyEmailIsMissing() {
        answer(USER_GET, """
                {"errcode":0,"errmsg":"ok","result":{"userid":"user1001","unionid":"u-1","name":"Li Si",
                "mobile":"+86-13800001001","title":"Engineer","dept_id_list":[3,5],
                "leader_in_dept":[{"dept_id":3,"leader":true},{"dept_id":5,"leader":false}],
                "role_list":[{"id":1,"name":"Admin","group_name":"Default"}],"exclusive_account":true,
                "login_id":"lisi","active":true},"request_id":"r1"}""");

        GatewayHttp.Answer answer = http.send("GET", "/api/v1/users/user1001", reader(), null, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("userId").asString()).isEqualTo("user1001");
        assertThat(answer.json().path("departmentIds").toString()).isEqualTo("[3,5]");
        assertThat(answer.json().path("leaderInDepartmentIds").toString()).isEqualTo("[3]");
        assertThat(answer.json().path("roles").toString()).isEqualTo("[\"Admin\"]");
        assertThat(answer.json().path("email").isNull()).isTrue();
        assertThat(answer.json().path("unavailableFields").path("email").asString())
                .contains("DingTalk Mail");
        assertThat(answer.json().path("unavailableFields").has("mobile")).isFalse();
        assertThat(answer.response().body()).doesNotContain("dept_id_list", "userid");
        dingTalk.verify(postRequestedFor(urlPathEqualTo(USER_GET))
                .withQueryParam("access_token", equalTo("it-token-1"))
                .withRequestBody(equalToJson("{\"userid\":\"user1001\",\"language\":\"en_US\"}")));
    }

    @Test
    void everyBodyIsJsonSoAskingForYamlIsNotAcceptable() {
        answer(USER_GET, "{\"errcode\":0,\"result\":{\"userid\":\"user1001\",\"name\":\"Li Si\"}}");

        GatewayHttp.Answer yaml = http.sendAccepting("GET", "/api/v1/users/user1001", reader(), "application/yaml");

        assertThat(yaml.status()).isEqualTo(406);
        assertThat(yaml.contentType()).startsWith("application/problem+json");
        assertThat(yaml.field("code")).isEqualTo("request.not-acceptable");
    }

    @Test
    void userDetailsWithoutTheMobilePermissionSayWhyMobileIsMissing() {
        answer(
                USER_GET,
                "{\"errcode\":0,\"result\":{\"userid\":\"user1001\",\"name\":\"Li Si\",\"email\":\"li@example.com\"}}");

        GatewayHttp.Answer answer = http.send("GET", "/api/v1/users/user1001", reader(), null, null);

        assertThat(answer.json().path("mobile").isNull()).isTrue();
        assertThat(answer.json().path("unavailableFields").path("mobile").asString())
                .contains("permission");
        assertThat(answer.json().path("unavailableFields").has("email")).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {2} {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"errcode\":60121,\"errmsg\":\"找不到该用户\"}                                  | 60121 | 404 | user.not-found             | resigned",
                "{\"errcode\":50002,\"errmsg\":\"请求的员工userid不在授权范围内\"}                  | 50002 | 403 | dingtalk.outside-app-scope | Manage permissions",
                "{\"errcode\":88,\"sub_code\":\"60011\",\"sub_msg\":\"no permission\"}            | 60011 | 502 | dingtalk.permission-missing | qyapi_get_member",
                "{\"errcode\":88,\"sub_code\":\"60011\",\"sub_msg\":\"The requested userid is not within the authorized scope\"} | 60011 | 403 | dingtalk.outside-app-scope | Manage permissions",
                "{\"errcode\":-1,\"errmsg\":\"系统繁忙\"}                                         | -1    | 503 | upstream.busy              | busy"
            })
    void faqErrorsOfUserDetailsBecomeClearAnswers(
            String dingTalkAnswer, String upstreamCode, int status, String code, String explanation) {
        answer(USER_GET, dingTalkAnswer);

        GatewayHttp.Answer answer = http.send("GET", "/api/v1/users/user1001", reader(), null, null);

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.field("code")).isEqualTo(code);
        assertThat(answer.field("upstreamCode")).isEqualTo(upstreamCode);
        assertThat(answer.field("detail")).contains(explanation);
    }

    @Test
    void unionIdLookupSaysWhetherTheContactIsExternal() {
        answer(BY_UNION_ID, "{\"errcode\":0,\"result\":{\"contact_type\":1,\"userid\":\"ext01\"}}");

        GatewayHttp.Answer answer = http.send(
                "POST", "/api/v1/users/lookup", reader(), "application/json", "{\"unionId\":\"union-ext-01\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().toString()).isEqualTo("{\"userId\":\"ext01\",\"contactType\":\"external\"}");
    }

    @Test
    void mobileLookupSendsTheNormalisedNumberAndIsAuditedWithItMasked(CapturedOutput output) {
        answer(BY_MOBILE, "{\"errcode\":0,\"result\":{\"userid\":\"user1001\"}}");

        GatewayHttp.Answer answer = http.send(
                "POST", "/api/v1/users/lookup", reader(), "application/json", "{\"mobile\":\"138 0000 1001\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().toString()).isEqualTo("{\"userId\":\"user1001\"}");
        dingTalk.verify(postRequestedFor(urlPathEqualTo(BY_MOBILE))
                .withRequestBody(equalToJson("{\"mobile\":\"+86-13800001001\"}")));
        List<String> rows = jdbc.sql("SELECT target || ' ' || summary || ' ' || actor FROM audit_event "
                        + "WHERE request_id = :requestId")
                .param("requestId", answer.header("X-Request-Id"))
                .query(String.class)
                .list();
        assertThat(rows)
                .isNotEmpty()
                .allSatisfy(row ->
                        assertThat(row).contains("+86-138******01", "hr-sync").doesNotContain("13800001001"));
        assertThat(output.getAll()).doesNotContain("13800001001");
    }

    @Test
    void mobileLookupFromAnOldStyleAppExplainsWhatToDo() {
        answer(BY_MOBILE, "{\"errcode\":60011,\"errmsg\":\"No permission to call\"}");

        GatewayHttp.Answer answer = http.send(
                "POST", "/api/v1/users/lookup", reader(), "application/json", "{\"mobile\":\"+86-13800001001\"}");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.field("code")).isEqualTo("dingtalk.permission-missing");
        assertThat(answer.field("detail")).contains("qyapi_get_member_by_mobile", "new internal app");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"unionId\":\"u1\",\"mobile\":\"+86-13800001001\"} | lookup.invalid",
                "{}                                                   | lookup.invalid",
                "{\"mobile\":\"12\"}                                   | request.invalid",
                "{\"mobile\":\"+86-123\"}                              | user.mobile-invalid"
            })
    void lookupsThatCannotBeAnsweredAreRefusedBeforeDingTalk(String body, String code) {
        GatewayHttp.Answer answer = http.send("POST", "/api/v1/users/lookup", reader(), "application/json", body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field("code")).isEqualTo(code);
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void createdUserAnswers201WithItsLocation() {
        answer(CREATE, "{\"errcode\":0,\"result\":{\"userid\":\"emp9\",\"unionId\":\"u-9\"},\"request_id\":\"r\"}");

        GatewayHttp.Answer answer = http.send(
                "POST",
                "/api/v1/users",
                writer(),
                "application/json",
                "{\"name\":\"Zhou Jiu\",\"mobile\":\"13912345678\",\"departmentIds\":[2,3],\"title\":\"Engineer\"}");

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.header("Location")).isEqualTo("/api/v1/users/emp9");
        assertThat(answer.json().toString())
                .isEqualTo("{\"state\":\"created\",\"userId\":\"emp9\",\"unionId\":\"u-9\"}");
        dingTalk.verify(
                postRequestedFor(urlPathEqualTo(CREATE))
                        .withRequestBody(
                                equalToJson(
                                        "{\"name\":\"Zhou Jiu\",\"mobile\":\"+86-13912345678\",\"dept_id_list\":\"2,3\",\"title\":\"Engineer\"}")));
    }

    @Test
    void invitationSentIsAcceptedNotAnError() {
        answer(
                CREATE,
                "{\"errcode\":40103,\"errmsg\":\"Invitation sent. The user can Join Organization after accepting it\"}");

        GatewayHttp.Answer answer = http.send(
                "POST",
                "/api/v1/users",
                writer(),
                "application/json",
                "{\"name\":\"Wu Shi\",\"mobile\":\"+86-13700000001\",\"departmentIds\":[3],\"userId\":\"wushi\"}");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().path("state").asString()).isEqualTo("invited");
        assertThat(answer.json().path("userId").asString()).isEqualTo("wushi");
    }

    @Test
    void createRefusedForTheMobileRegionExplainsTheFormat() {
        answer(CREATE, "{\"errcode\":60103,\"errmsg\":\"invalid mobile\"}");

        GatewayHttp.Answer answer = http.send(
                "POST",
                "/api/v1/users",
                writer(),
                "application/json",
                "{\"name\":\"Zhou Jiu\",\"mobile\":\"+852 9123 4567\",\"departmentIds\":[3]}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field("code")).isEqualTo("user.mobile-invalid");
        assertThat(answer.field("detail")).contains("+86-13812345678");
        dingTalk.verify(postRequestedFor(urlPathEqualTo(CREATE))
                .withRequestBody(matchingJsonPath("$.mobile", equalTo("+852-91234567"))));
    }

    @Test
    void createBusyThroughEveryRetryMentionsTheAddLimits() {
        answer(CREATE, "{\"errcode\":-1,\"errmsg\":\"系统繁忙\"}");

        GatewayHttp.Answer answer = http.send(
                "POST",
                "/api/v1/users",
                writer(),
                "application/json",
                "{\"name\":\"Zhou Jiu\",\"mobile\":\"13912345678\",\"departmentIds\":[3]}");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.field("code")).isEqualTo("upstream.busy");
        assertThat(answer.field("detail")).contains("weekly or total limit");
        assertThat(answer.header("Retry-After")).isEqualTo("5");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"name\":\"X\",\"mobile\":\"not a number\",\"departmentIds\":[3]} | user.mobile-invalid",
                "{\"name\":\"X\",\"mobile\":\"13912345678\",\"departmentIds\":[-7]}  | department.invalid",
                "{\"name\":\"X\",\"mobile\":\"13912345678\",\"departmentIds\":[]}    | department.invalid",
                "{\"mobile\":\"13912345678\",\"departmentIds\":[3]}                  | request.invalid",
                // Two mistakes with different codes: the generic one, listing both in errors.
                "{\"mobile\":\"13912345678\",\"departmentIds\":[]}                   | request.invalid"
            })
    void createWithBadInputReachesNobody(String body, String code) {
        GatewayHttp.Answer answer = http.send("POST", "/api/v1/users", writer(), "application/json", body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field("code")).isEqualTo(code);
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void mobileChangeIsRefusedLocallyWithTheFaqsAdvice() {
        GatewayHttp.Answer answer = http.send(
                "PATCH", "/api/v1/users/user1001", writer(), "application/json", "{\"mobile\":\"+86-13911112222\"}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.field("code")).isEqualTo("user.mobile-immutable");
        assertThat(answer.field("detail")).contains("Delete the user and add them again");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void nullManagerIsSentAsAForcedClearAndAbsentFieldsAreLeftAlone() {
        answer(UPDATE, "{\"errcode\":0,\"errmsg\":\"ok\"}");

        GatewayHttp.Answer answer = http.send(
                "PATCH",
                "/api/v1/users/user1001",
                writer(),
                "application/merge-patch+json",
                "{\"managerUserId\":null,\"title\":\"Senior engineer\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().toString())
                .isEqualTo("{\"userId\":\"user1001\",\"updatedFields\":[\"title\",\"managerUserId\"]}");
        dingTalk.verify(
                postRequestedFor(urlPathEqualTo(UPDATE))
                        .withRequestBody(
                                equalToJson(
                                        "{\"userid\":\"user1001\",\"title\":\"Senior engineer\",\"force_update_fields\":\"manager_userid\"}")));
    }

    @Test
    void newManagerIsSentPlainly() {
        answer(UPDATE, "{\"errcode\":0,\"errmsg\":\"ok\"}");

        GatewayHttp.Answer answer = http.send(
                "PATCH", "/api/v1/users/user1001", writer(), "application/json", "{\"managerUserId\":\"user1004\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("updatedFields").toString()).isEqualTo("[\"managerUserId\"]");
        dingTalk.verify(postRequestedFor(urlPathEqualTo(UPDATE))
                .withRequestBody(equalToJson("{\"userid\":\"user1001\",\"manager_userid\":\"user1004\"}"))
                .withRequestBody(matchingJsonPath("$.force_update_fields", absent())));
    }

    @Test
    void titleManagedBySmartHrIsAConflictWithTheFaqsExplanation() {
        answer(UPDATE, "{\"errcode\":60020,\"errmsg\":\"title and department are managed by Smart HR\"}");

        GatewayHttp.Answer answer = http.send(
                "PATCH", "/api/v1/users/user1002", writer(), "application/json", "{\"title\":\"Head of People\"}");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.field("code")).isEqualTo("user.managed-by-smart-hr");
        assertThat(answer.field("detail")).contains("Smart HR employee transfer");
    }

    @Test
    void deleteAnswers204AndUnknownUsers404() {
        dingTalk.stubFor(post(urlPathEqualTo(DELETE))
                .withRequestBody(matchingJsonPath("$.userid", equalTo("user1003")))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        dingTalk.stubFor(post(urlPathEqualTo(DELETE))
                .withRequestBody(matchingJsonPath("$.userid", equalTo("ghost1")))
                .willReturn(okJson("{\"errcode\":60121,\"errmsg\":\"找不到该用户\"}")));

        assertThat(http.send("DELETE", "/api/v1/users/user1003", writer(), null, null)
                        .status())
                .isEqualTo(204);
        GatewayHttp.Answer unknown = http.send("DELETE", "/api/v1/users/ghost1", writer(), null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.field("code")).isEqualTo("user.not-found");
        assertThat(jdbc.sql("SELECT outcome FROM audit_event WHERE operation = 'user.delete' AND target = 'ghost1'")
                        .query(String.class)
                        .list())
                .contains("FAILED");
    }

    @Test
    void departmentTreeIsBuiltFromOneLevelAtATime() {
        dingTalk.stubFor(post(urlPathEqualTo(LIST_SUB))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo("1")))
                .willReturn(okJson("{\"errcode\":0,\"result\":[{\"dept_id\":2,\"name\":\"Eng\",\"parent_id\":1},"
                        + "{\"dept_id\":3,\"name\":\"Sales\",\"parent_id\":1}]}")));
        dingTalk.stubFor(post(urlPathEqualTo(LIST_SUB))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo("2")))
                .willReturn(
                        okJson("{\"errcode\":0,\"result\":[{\"dept_id\":4,\"name\":\"Platform\",\"parent_id\":2}]}")));
        dingTalk.stubFor(post(urlPathEqualTo(LIST_SUB))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo("3")))
                .willReturn(okJson("{\"errcode\":0,\"result\":[]}")));
        dingTalk.stubFor(post(urlPathEqualTo(LIST_SUB))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo("4")))
                .willReturn(okJson("{\"errcode\":0,\"result\":[]}")));

        GatewayHttp.Answer answer = http.send("GET", "/api/v1/departments", reader(), null, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().toString())
                .isEqualTo("[{\"id\":2,\"name\":\"Eng\",\"parentId\":1,\"children\":"
                        + "[{\"id\":4,\"name\":\"Platform\",\"parentId\":2,\"children\":[]}]},"
                        + "{\"id\":3,\"name\":\"Sales\",\"parentId\":1,\"children\":[]}]");
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/departments?departmentId=-7", "/api/v1/users?departmentId=-7", "/api/v1/users?departmentId=0"})
    void schoolParentDepartmentIsRefusedBeforeAnyCall(String path) {
        GatewayHttp.Answer answer = http.send("GET", path, reader(), null, null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field("code")).isEqualTo("department.invalid");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void departmentDingTalkDoesNotKnowIsABadRequest() {
        answer(LIST_SUB, "{\"errcode\":40009,\"errmsg\":\"不合法的部门id\"}");

        GatewayHttp.Answer answer = http.send("GET", "/api/v1/users?departmentId=999", reader(), null, null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field("code")).isEqualTo("department.invalid");
        assertThat(answer.field("upstreamCode")).isEqualTo("40009");
    }

    @Test
    void readScopeCannotChangeUsersAndNoTokenCannotRead() {
        GatewayHttp.Answer forbidden = http.send(
                "POST",
                "/api/v1/users",
                reader(),
                "application/json",
                "{\"name\":\"X\",\"mobile\":\"13912345678\",\"departmentIds\":[3]}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(http.send("DELETE", "/api/v1/users/user1001", reader(), null, null)
                        .status())
                .isEqualTo(403);
        assertThat(http.send("GET", "/api/v1/users/user1001", null, null, null).status())
                .isEqualTo(401);
        assertThat(http.send("GET", "/api/v1/departments", jwts.token("x", "accounts:write", "u1"), null, null)
                        .status())
                .isEqualTo(403);
        assertThat(dingTalkCalls()).isZero();
    }
}
