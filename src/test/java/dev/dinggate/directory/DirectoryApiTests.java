package dev.dinggate.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.support.GatewayHttp;
import dev.dinggate.support.ProductionGatewayTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The routes that read the directory mirror, over a mirror filled by a real full sync from a small WireMock org:
 * root 1 with Engineering (2, below it Platform 4) and Sales (3); Zhao Liu sits in 2 and 4.
 */
@TestPropertySource(
        properties = {
            "gateway.directory.enabled=true",
            // The test fills the mirror itself, once its DingTalk org is stubbed.
            "gateway.directory.check-interval=1h"
        })
class DirectoryApiTests extends ProductionGatewayTest {

    private static final String READER = jwts.token("people-picker", "users:read", null);

    @Autowired
    private FullSync fullSync;

    @BeforeEach
    void fillTheMirrorFromDingTalk() {
        stubOrganisation("Engineer");
        assertThat(fullSync.syncNow()).isPresent();
        dingTalk.resetRequests();
    }

    @Test
    void searchMatchesTheStartOfNameJobNumberOrTitleInNameOrder() {
        assertThat(userIds(search("q=zh"))).containsExactly("u1", "u2", "u3");
        assertThat(userIds(search("q=ZHAO"))).containsExactly("u2");
        assertThat(userIds(search("q=e00"))).containsExactly("u4", "u1");
        assertThat(userIds(search("q=acc"))).containsExactly("u2");
        assertThat(userIds(search("q=an"))).as("only the start of a field").isEmpty();
        assertThat(userIds(search("q=%25")))
                .as("a LIKE wildcard is a plain character")
                .isEmpty();
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void searchFiltersByDepartmentWithOrWithoutTheDepartmentsBelowAndByActivation() {
        assertThat(userIds(search("departmentId=2"))).containsExactly("u1", "u2");
        assertThat(userIds(search("departmentId=2&includeSubdepartments=true"))).containsExactly("u4", "u1", "u2");
        assertThat(userIds(search("active=false"))).containsExactly("u3");
        assertThat(userIds(search("departmentId=2&includeSubdepartments=true&q=li")))
                .containsExactly("u4");
    }

    @Test
    void pagesFollowTheCursorUntilItEnds() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = search("limit=1" + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            page.path("items").forEach(item -> seen.add(item.path("userId").asString()));
            cursor = page.path("nextCursor").isNull()
                    ? null
                    : page.path("nextCursor").asString();
            assertThat(Instant.parse(page.path("asOf").asString())).isBeforeOrEqualTo(Instant.now());
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).containsExactly("u4", "u1", "u2", "u3");
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void aCursorTheGatewayDidNotHandOutOrALimitOutOfRangeIsRefused() {
        GatewayHttp.Answer forged =
                http.send("GET", "/api/v1/directory/users?cursor=bm90LWEtY3Vyc29y", READER, null, null);
        GatewayHttp.Answer tooMany = http.send("GET", "/api/v1/directory/users?limit=201", READER, null, null);
        GatewayHttp.Answer badSince = http.send("GET", "/api/v1/directory/changes?since=%25%25", READER, null, null);

        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.field("code")).isEqualTo("directory.cursor-invalid");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.field("code")).isEqualTo("request.invalid");
        assertThat(badSince.status()).isEqualTo(400);
        assertThat(badSince.field("code")).isEqualTo("directory.cursor-invalid");
    }

    @Test
    void userDetailsComeFromTheMirrorWithoutCallingDingTalkAndSayWhen() {
        GatewayHttp.Answer answer = http.send("GET", "/api/v1/users/u2", READER, null, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.field("name")).isEqualTo("Zhao Liu");
        assertThat(answer.json().path("departmentIds").toString()).isEqualTo("[2,4]");
        assertThat(answer.json().path("asOf").isString()).isTrue();
        // The mirror keeps no mobile numbers by default, and the answer says so instead of pretending DingTalk did.
        assertThat(answer.json().path("mobile").isNull()).isTrue();
        assertThat(answer.json().path("unavailableFields").path("mobile").asString())
                .contains("store-contact-fields");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void aStrongReadAsksDingTalkAndRefreshesTheMirror() {
        stubOrganisation("Staff engineer");

        GatewayHttp.Answer strong = http.send("GET", "/api/v1/users/u1?consistency=strong", READER, null, null);
        GatewayHttp.Answer afterwards = http.send("GET", "/api/v1/users/u1", READER, null, null);

        assertThat(strong.status()).isEqualTo(200);
        assertThat(strong.field("title")).isEqualTo("Staff engineer");
        assertThat(strong.field("mobile")).as("DingTalk's own answer").isEqualTo("+86-13800000001");
        assertThat(afterwards.field("title")).isEqualTo("Staff engineer");
        assertThat(dingTalkCalls()).isEqualTo(1);
    }

    @Test
    void aUserTheMirrorLacksIsReadFromDingTalkOnce() {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/get"))
                .withRequestBody(matchingJsonPath("$.userid", equalTo("late")))
                .willReturn(okJson(legacy(user("late", "Lu Late", "Intern", "E900", "[3]", true)))));

        GatewayHttp.Answer first = http.send("GET", "/api/v1/users/late", READER, null, null);
        GatewayHttp.Answer second = http.send("GET", "/api/v1/users/late", READER, null, null);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.field("name")).isEqualTo("Lu Late");
        assertThat(dingTalkCalls()).isEqualTo(1);
    }

    @Test
    void departmentsAndTheEmployeeWalkComeFromTheMirror() {
        GatewayHttp.Answer tree = http.send("GET", "/api/v1/departments", READER, null, null);
        GatewayHttp.Answer engineering = http.send("GET", "/api/v1/users?departmentId=2", READER, null, null);
        GatewayHttp.Answer everyone = http.send("GET", "/api/v1/users", READER, null, null);
        GatewayHttp.Answer unknown = http.send("GET", "/api/v1/departments?departmentId=99", READER, null, null);

        assertThat(tree.status()).isEqualTo(200);
        assertThat(tree.json().toString())
                .isEqualTo("[{\"id\":2,\"name\":\"Engineering\",\"parentId\":1,\"children\":"
                        + "[{\"id\":4,\"name\":\"Platform\",\"parentId\":2,\"children\":[]}]},"
                        + "{\"id\":3,\"name\":\"Sales\",\"parentId\":1,\"children\":[]}]");
        assertThat(engineering.json().toString())
                .isEqualTo("[{\"userId\":\"u1\"},{\"userId\":\"u2\"},{\"userId\":\"u4\"}]");
        assertThat(everyone.json()).hasSize(4);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.field("code")).isEqualTo("department.invalid");
        assertThat(dingTalkCalls()).isZero();
    }

    @Test
    void theChangeFeedStartsFromNowAndListsTheGatewaysOwnChanges() {
        GatewayHttp.Answer start = http.send("GET", "/api/v1/directory/changes", READER, null, null);
        String since = start.field("nextCursor");
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/delete")).willReturn(okJson("{\"errcode\":0}")));

        GatewayHttp.Answer deleted = http.send(
                "DELETE", "/api/v1/users/u3", jwts.token("hr-admin", "users:read users:write", "u1"), null, null);
        GatewayHttp.Answer changes = http.send("GET", "/api/v1/directory/changes?since=" + since, READER, null, null);
        GatewayHttp.Answer again =
                http.send("GET", "/api/v1/directory/changes?since=" + changes.field("nextCursor"), READER, null, null);

        assertThat(start.json().path("changes")).isEmpty();
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(changes.json().path("changes")).hasSize(1);
        JsonNode change = changes.json().path("changes").get(0);
        assertThat(change.path("kind").asString()).isEqualTo("user");
        assertThat(change.path("id").asString()).isEqualTo("u3");
        assertThat(change.path("change").asString()).isEqualTo("removed");
        assertThat(again.json().path("changes")).isEmpty();
        assertThat(userIds(search("q=zhou"))).isEmpty();
    }

    @Test
    void operatorsSeeTheMirrorsState() {
        GatewayHttp.Answer status =
                http.send("GET", "/api/v1/directory/status", jwts.token("operator", "ops", null), null, null);

        assertThat(status.status()).isEqualTo(200);
        assertThat(status.field("state")).isEqualTo("ready");
        assertThat(status.json().path("users").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(status.json().path("departments").asLong())
                .as("the root and its three")
                .isEqualTo(4);
        assertThat(status.json().path("streamConnected").asBoolean()).isFalse();
    }

    private GatewayHttp.Answer search(String query) {
        GatewayHttp.Answer answer = http.send("GET", "/api/v1/directory/users?" + query, READER, null, null);
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return answer;
    }

    private static List<String> userIds(GatewayHttp.Answer page) {
        List<String> ids = new ArrayList<>();
        page.json().path("items").forEach(item -> ids.add(item.path("userId").asString()));
        return ids;
    }

    /** The org, with u1's title as given (a strong read then sees a change the mirror does not know yet). */
    private static void stubOrganisation(String firstTitle) {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/department/get"))
                .willReturn(okJson(legacy("{\"dept_id\":1,\"name\":\"Org\"}"))));
        departments(
                1,
                "[{\"dept_id\":2,\"name\":\"Engineering\",\"parent_id\":1},"
                        + "{\"dept_id\":3,\"name\":\"Sales\",\"parent_id\":1}]");
        departments(2, "[{\"dept_id\":4,\"name\":\"Platform\",\"parent_id\":2}]");
        departments(3, "[]");
        departments(4, "[]");
        String u1 = user("u1", "Zhang San", firstTitle, "E001", "[2]", true);
        String u2 = user("u2", "Zhao Liu", "Accountant", "F002", "[2,4]", true);
        String u3 = user("u3", "zhou jiu", "Sales lead", "S003", "[3]", false);
        String u4 = user("u4", "Li Si", "Engineer", "E004", "[4]", true);
        members(1, "");
        members(2, u1 + "," + u2);
        members(3, u3);
        members(4, u2 + "," + u4);
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/get"))
                .withRequestBody(matchingJsonPath("$.userid", equalTo("u1")))
                .willReturn(okJson(legacy(u1))));
    }

    private static void departments(long parent, String list) {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/department/listsub"))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo(Long.toString(parent))))
                .willReturn(okJson(legacy(list))));
    }

    private static void members(long department, String users) {
        dingTalk.stubFor(post(urlPathEqualTo("/topapi/v2/user/list"))
                .withRequestBody(matchingJsonPath("$.dept_id", equalTo(Long.toString(department))))
                .willReturn(okJson(legacy("{\"has_more\":false,\"next_cursor\":0,\"list\":[" + users + "]}"))));
    }

    private static String user(
            String userId, String name, String title, String jobNumber, String departments, boolean active) {
        return "{\"userid\":\"" + userId + "\",\"unionid\":\"union-" + userId + "\",\"name\":\"" + name
                + "\",\"mobile\":\"+86-1380000000" + userId.substring(userId.length() - 1) + "\",\"title\":\"" + title
                + "\",\"job_number\":\"" + jobNumber + "\",\"dept_id_list\":" + departments + ",\"active\":" + active
                + "}";
    }

    private static String legacy(String result) {
        return "{\"errcode\":0,\"errmsg\":\"ok\",\"result\":" + result + "}";
    }
}
