package dev.dinggate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkDepartment;
import dev.dinggate.dingtalk.DingTalkUser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The simulator's {@code topapi/v2/user/list} and {@code topapi/v2/department/get}, in DingTalk's wire format. */
class SandboxUserListTests extends SandboxSimulatorTest {

    @Autowired
    DingTalkContacts contacts;

    private String token;

    @BeforeEach
    void takeAToken() {
        token = token();
    }

    private JsonNode page(long departmentId, long cursor, Object size) {
        return topapi(
                "/topapi/v2/user/list",
                token,
                "{\"dept_id\":" + departmentId + ",\"cursor\":" + cursor + ",\"size\":" + size
                        + ",\"language\":\"en_US\"}");
    }

    /** Every page of a department, following next_cursor from 0. */
    private List<JsonNode> allPages(long departmentId, int size) {
        List<JsonNode> pages = new ArrayList<>();
        long cursor = 0;
        while (true) {
            JsonNode page = page(departmentId, cursor, size);
            assertThat(page.path("errcode").asInt()).as(page.toString()).isZero();
            pages.add(page.path("result"));
            if (!page.path("result").path("has_more").asBoolean()) {
                return pages;
            }
            cursor = page.path("result").path("next_cursor").asLong();
        }
    }

    private static List<String> userIds(List<JsonNode> pages) {
        List<String> ids = new ArrayList<>();
        pages.forEach(page ->
                page.path("list").forEach(user -> ids.add(user.path("userid").asString())));
        return ids;
    }

    private List<String> listId(long departmentId) {
        List<String> ids = new ArrayList<>();
        topapi("/topapi/user/listid", token, "{\"dept_id\":" + departmentId + "}")
                .path("result")
                .path("userid_list")
                .forEach(id -> ids.add(id.asString()));
        return ids;
    }

    @Test
    void pagesOfTwoWalkADepartmentsDirectMembersOnceEachInAStableOrder() {
        long department = departmentNamed(token, "Finance team 2");
        List<String> members = listId(department);
        assertThat(members).as("more than two pages at size 2").hasSizeGreaterThan(4);

        List<JsonNode> pages = allPages(department, 2);

        assertThat(userIds(pages)).containsExactlyElementsOf(members);
        assertThat(pages).hasSize((members.size() + 1) / 2);
        for (int n = 0; n < pages.size() - 1; n++) {
            assertThat(pages.get(n).path("list")).hasSize(2);
            assertThat(pages.get(n).path("has_more").asBoolean()).isTrue();
            assertThat(pages.get(n).path("next_cursor").asLong()).isEqualTo(2L * (n + 1));
        }
        JsonNode last = pages.getLast();
        assertThat(last.path("has_more").asBoolean()).isFalse();
        assertThat(last.has("next_cursor")).as("no cursor after the last page").isFalse();
        assertThat(userIds(allPages(department, 2))).as("the same order again").isEqualTo(userIds(pages));
    }

    @Test
    void eachListedUserIsWhatUserGetAnswersForThem() {
        long engineering = departmentNamed(token, "Engineering");
        JsonNode list = page(engineering, 0, 100).path("result").path("list");

        assertThat(list).isNotEmpty();
        for (JsonNode user : list) {
            JsonNode get = topapi(
                    "/topapi/v2/user/get",
                    token,
                    "{\"userid\":\"" + user.path("userid").asString() + "\",\"language\":\"en_US\"}");
            assertThat(user).isEqualTo(get.path("result"));
        }
    }

    @Test
    void aUserInTwoDepartmentsIsListedInBoth() {
        long sales = departmentNamed(token, "Sales");
        long engineering = departmentNamed(token, "Engineering");

        assertThat(userIds(allPages(sales, 2))).contains("user1004");
        assertThat(userIds(allPages(engineering, 2))).contains("user1004");
    }

    @Test
    void aCursorPastTheEndIsAnEmptyLastPage() {
        long department = departmentNamed(token, "Finance team 2");

        JsonNode result = page(department, 10_000, 2).path("result");

        assertThat(result.path("list")).isEmpty();
        assertThat(result.path("has_more").asBoolean()).isFalse();
    }

    @Test
    void aSizeOutsideOneToAHundredIsAnInvalidParameter() {
        long department = departmentNamed(token, "Finance team 2");

        assertThat(page(department, 0, 0).path("errcode").asInt()).isEqualTo(40035);
        assertThat(page(department, 0, 101).path("errcode").asInt()).isEqualTo(40035);
        assertThat(page(department, 0, "null").path("errcode").asInt()).isEqualTo(40035);
        assertThat(page(department, -1, 2).path("errcode").asInt()).isEqualTo(40035);
        assertThat(page(department, 0, 100).path("errcode").asInt()).isZero();
        assertThat(page(department, 0, 1).path("result").path("list")).hasSize(1);
    }

    @Test
    void anUnknownDepartmentIsRefusedAsListsubRefusesIt() {
        JsonNode listSub = topapi("/topapi/v2/department/listsub", token, "{\"dept_id\":987654}");
        JsonNode list = page(987654, 0, 2);
        JsonNode get = topapi("/topapi/v2/department/get", token, "{\"dept_id\":987654,\"language\":\"en_US\"}");

        assertThat(listSub.path("errcode").asInt()).isEqualTo(40009);
        assertThat(list.path("errcode").asInt()).isEqualTo(40009);
        assertThat(get.path("errcode").asInt()).isEqualTo(40009);
        assertThat(list.path("errmsg")).isEqualTo(listSub.path("errmsg"));
        assertThat(get.path("errmsg")).isEqualTo(listSub.path("errmsg"));
    }

    @Test
    void withoutAValidTokenNeitherCallAnswers() {
        assertThat(topapi("/topapi/v2/user/list", "forged", "{\"dept_id\":1,\"cursor\":0,\"size\":2}")
                        .path("errcode")
                        .asInt())
                .isEqualTo(40014);
        assertThat(topapi("/topapi/v2/department/get", "forged", "{\"dept_id\":1}")
                        .path("errcode")
                        .asInt())
                .isEqualTo(40014);
    }

    @Test
    void departmentGetAnswersAsListsubDescribesTheDepartment() {
        long engineering = departmentNamed(token, "Engineering");
        JsonNode listed = null;
        for (JsonNode entry : topapi("/topapi/v2/department/listsub", token, "{\"dept_id\":" + engineering + "}")
                .path("result")) {
            listed = entry;
        }

        JsonNode get = topapi(
                "/topapi/v2/department/get",
                token,
                "{\"dept_id\":" + listed.path("dept_id").asLong() + ",\"language\":\"en_US\"}");

        assertThat(get.path("errcode").asInt()).isZero();
        assertThat(get.path("result")).isEqualTo(listed);
        assertThat(get.path("result").path("parent_id").asLong()).isEqualTo(engineering);
    }

    @Test
    void theRootDepartmentHasNoParent() {
        JsonNode root = topapi("/topapi/v2/department/get", token, "{\"dept_id\":1,\"language\":\"en_US\"}")
                .path("result");

        assertThat(root.path("name").asString()).isEqualTo("Sandbox Co.");
        assertThat(root.has("parent_id")).isFalse();
    }

    @Test
    void theGatewaysContactsClientReadsThePagesAndADepartment() {
        long department = departmentNamed(token, "Finance team 2");
        List<String> members = listId(department);

        List<String> read = new ArrayList<>();
        DingTalkContacts.UserPage page = contacts.usersIn(department, 0, 2);
        read.addAll(page.users().stream().map(DingTalkUser::userId).toList());
        while (page.hasMore()) {
            page = contacts.usersIn(department, page.nextCursor(), 2);
            read.addAll(page.users().stream().map(DingTalkUser::userId).toList());
        }
        DingTalkDepartment financeTeam2 = contacts.department(department);

        assertThat(read).containsExactlyElementsOf(members);
        assertThat(financeTeam2.name()).isEqualTo("Finance team 2");
        assertThat(financeTeam2.parentId()).isEqualTo(departmentNamed(token, "Finance"));
        assertThat(contacts.usersIn(departmentNamed(token, "Sales"), 0, 100).users())
                .filteredOn(user -> user.userId().equals("user1004"))
                .singleElement()
                .satisfies(user -> assertThat(user.departmentIds()).hasSize(2));
    }
}
