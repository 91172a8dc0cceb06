package dev.dinggate.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.dinggate.support.HeldAnswers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An organisation as DingTalk's Contacts APIs show it, served by WireMock: {@code department/get},
 * {@code listsub}, {@code user/list} in pages, and {@code user/get}. Change it, then {@link #serve()} again.
 */
final class WireMockOrg {

    static final String DEPARTMENT_GET = "/topapi/v2/department/get";
    static final String LIST_SUB = "/topapi/v2/department/listsub";
    static final String USER_LIST = "/topapi/v2/user/list";
    static final String USER_GET = "/topapi/v2/user/get";

    record Department(long id, String name, long parentId) {}

    record User(String userId, String name, List<Long> departmentIds) {}

    private final WireMockServer dingTalk;
    private final int pageSize;
    private final Map<Long, Department> departments = new LinkedHashMap<>();
    private final Map<String, User> users = new LinkedHashMap<>();

    WireMockOrg(WireMockServer dingTalk, int pageSize) {
        this.dingTalk = dingTalk;
        this.pageSize = pageSize;
        department(1, "Acme", 0);
    }

    /**
     * Acme: the root (boss), Sales (a to e) with Sales EU (a, h), Support (c, f, g) with Night shift (nobody). a and
     * c are in two departments each.
     */
    static WireMockOrg acme(WireMockServer dingTalk, int pageSize) {
        return new WireMockOrg(dingTalk, pageSize)
                .department(2, "Sales", 1)
                .department(3, "Support", 1)
                .department(4, "Sales EU", 2)
                .department(5, "Night shift", 3)
                .user("boss", "The Boss", 1L)
                .user("a", "User A", 2L, 4L)
                .user("b", "User B", 2L)
                .user("c", "User C", 2L, 3L)
                .user("d", "User D", 2L)
                .user("e", "User E", 2L)
                .user("f", "User F", 3L)
                .user("g", "User G", 3L)
                .user("h", "User H", 4L);
    }

    WireMockOrg department(long id, String name, long parentId) {
        departments.put(id, new Department(id, name, parentId));
        return this;
    }

    WireMockOrg user(String userId, String name, Long... departmentIds) {
        users.put(userId, new User(userId, name, List.of(departmentIds)));
        return this;
    }

    WireMockOrg withoutUser(String userId) {
        users.remove(userId);
        return this;
    }

    WireMockOrg withoutDepartment(long id) {
        departments.remove(id);
        return this;
    }

    /** Stubs every read of the organisation as it is now. */
    WireMockOrg serve() {
        for (Department department : departments.values()) {
            dingTalk.stubFor(post(urlPathEqualTo(DEPARTMENT_GET))
                    .withRequestBody(equalToJson("{\"dept_id\":" + department.id() + "}", true, true))
                    .willReturn(okJson("{\"errcode\":0,\"result\":" + json(department) + "}")));
            String children = departments.values().stream()
                    .filter(child -> child.parentId() == department.id() && child.id() != 1)
                    .map(WireMockOrg::json)
                    .collect(Collectors.joining(",", "[", "]"));
            dingTalk.stubFor(post(urlPathEqualTo(LIST_SUB))
                    .withRequestBody(equalToJson("{\"dept_id\":" + department.id() + "}", true, true))
                    .willReturn(okJson("{\"errcode\":0,\"result\":" + children + "}")));
            List<User> members = members(department.id());
            int pages = Math.max(1, (members.size() + pageSize - 1) / pageSize);
            for (int page = 0; page < pages; page++) {
                dingTalk.stubFor(page(department.id(), page).willReturn(okJson(pageJson(members, page, pages))));
            }
        }
        for (User user : users.values()) {
            stubUserGet(user.userId(), "{\"errcode\":0,\"result\":" + json(user) + "}");
        }
        return this;
    }

    /** The page's answer waits while {@link HeldAnswers} holds. */
    void hold(long departmentId, int page) {
        List<User> members = members(departmentId);
        int pages = Math.max(1, (members.size() + pageSize - 1) / pageSize);
        dingTalk.stubFor(HeldAnswers.held(page(departmentId, page)).willReturn(okJson(pageJson(members, page, pages))));
    }

    void answerUserGet(String userId, String body) {
        stubUserGet(userId, body);
    }

    void answerListSub(long departmentId, String body) {
        dingTalk.stubFor(post(urlPathEqualTo(LIST_SUB))
                .withRequestBody(equalToJson("{\"dept_id\":" + departmentId + "}", true, true))
                .willReturn(okJson(body)));
    }

    void answerDepartmentGet(long departmentId, String body) {
        dingTalk.stubFor(post(urlPathEqualTo(DEPARTMENT_GET))
                .withRequestBody(equalToJson("{\"dept_id\":" + departmentId + "}", true, true))
                .willReturn(okJson(body)));
    }

    /** Requests DingTalk received for this path with this body (extra fields ignored). */
    int requests(String path, String body) {
        return dingTalk.countRequestsMatching(postRequestedFor(urlPathEqualTo(path))
                        .withRequestBody(equalToJson(body, true, true))
                        .build())
                .getCount();
    }

    int requests(String path) {
        return dingTalk.countRequestsMatching(
                        postRequestedFor(urlPathEqualTo(path)).build())
                .getCount();
    }

    int pagesOf(long departmentId) {
        return Math.max(1, (members(departmentId).size() + pageSize - 1) / pageSize);
    }

    List<Long> departmentIds() {
        return List.copyOf(departments.keySet());
    }

    static String userJson(String userId, String name, Long... departmentIds) {
        return json(new User(userId, name, List.of(departmentIds)));
    }

    private void stubUserGet(String userId, String body) {
        dingTalk.stubFor(post(urlPathEqualTo(USER_GET))
                .withRequestBody(equalToJson("{\"userid\":\"" + userId + "\"}", true, true))
                .willReturn(okJson(body)));
    }

    private MappingBuilder page(long departmentId, int page) {
        return post(urlPathEqualTo(USER_LIST))
                .withRequestBody(equalToJson(
                        "{\"dept_id\":" + departmentId + ",\"cursor\":" + (page * pageSize) + ",\"size\":" + pageSize
                                + "}",
                        true,
                        true));
    }

    private List<User> members(long departmentId) {
        List<User> members = new ArrayList<>();
        users.values().stream()
                .filter(user -> user.departmentIds().contains(departmentId))
                .forEach(members::add);
        return members;
    }

    private String pageJson(List<User> members, int page, int pages) {
        String list = members.stream()
                .skip((long) page * pageSize)
                .limit(pageSize)
                .map(WireMockOrg::json)
                .collect(Collectors.joining(",", "[", "]"));
        boolean more = page + 1 < pages;
        return "{\"errcode\":0,\"result\":{\"has_more\":" + more
                + (more ? ",\"next_cursor\":" + ((page + 1) * pageSize) : "") + ",\"list\":" + list + "}}";
    }

    private static String json(Department department) {
        return "{\"dept_id\":" + department.id() + ",\"name\":\"" + department.name() + "\""
                + (department.id() == 1 ? "" : ",\"parent_id\":" + department.parentId()) + "}";
    }

    private static String json(User user) {
        return "{\"userid\":\"" + user.userId() + "\",\"unionid\":\"union-" + user.userId() + "\",\"name\":\""
                + user.name() + "\",\"mobile\":\"+86-1380000"
                + Math.abs(user.userId().hashCode() % 10000)
                + "\",\"email\":\"" + user.userId() + "@mail.example.com\",\"title\":\"Engineer\",\"job_number\":\"E-"
                + user.userId() + "\",\"dept_id_list\":" + user.departmentIds() + ",\"active\":true}";
    }
}
