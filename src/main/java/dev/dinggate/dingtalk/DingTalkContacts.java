package dev.dinggate.dingtalk;

import dev.dinggate.dingtalk.internal.ApiCall;
import dev.dinggate.dingtalk.internal.DingTalkTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** DingTalk's Contacts APIs (old style, {@code oapi.} host, {@code /topapi/...}). */
@Component
public class DingTalkContacts {

    /** DingTalk's code for "invitation sent": the user joins once they accept. Not an error. */
    static final String INVITATION_SENT = "40103";

    private static final String READ_MEMBERS = "qyapi_get_member";
    private static final String READ_BY_MOBILE = "qyapi_get_member_by_mobile";
    private static final String READ_DEPARTMENTS = "qyapi_get_department_list";
    private static final String READ_DEPARTMENT_MEMBERS = "qyapi_get_department_member";
    private static final String MANAGE_CONTACTS = "qyapi_manage_addresslist";

    private final DingTalkTransport transport;

    DingTalkContacts(DingTalkTransport transport) {
        this.transport = transport;
    }

    public DingTalkUser user(String userId) {
        JsonNode result = read(
                "contact.user.get", "/topapi/v2/user/get", READ_MEMBERS, Map.of("userid", userId, "language", "en_US"));
        return new DingTalkUser(
                required(result, "userid", "contact.user.get"),
                text(result, "unionid"),
                orEmpty(text(result, "name")),
                text(result, "mobile"),
                text(result, "email"),
                text(result, "title"),
                text(result, "job_number"),
                longs(result.path("dept_id_list")),
                leaderDepartments(result.path("leader_in_dept")),
                roles(result.path("role_list")),
                text(result, "manager_userid"),
                result.path("exclusive_account").asBoolean(false),
                text(result, "login_id"),
                result.has("active") ? result.path("active").asBoolean() : null);
    }

    /** The userId behind a unionId, and whether DingTalk counts them as an external contact. */
    public UnionIdMatch userByUnionId(String unionId) {
        JsonNode result = read(
                "contact.user.getByUnionId", "/topapi/user/getbyunionid", READ_MEMBERS, Map.of("unionid", unionId));
        return new UnionIdMatch(
                required(result, "userid", "contact.user.getByUnionId"),
                result.path("contact_type").asInt(0) == 1);
    }

    /** The userId of the active employee with this mobile number. */
    public String userIdByMobile(String mobile) {
        JsonNode result = read(
                "contact.user.getByMobile", "/topapi/v2/user/getbymobile", READ_BY_MOBILE, Map.of("mobile", mobile));
        return required(result, "userid", "contact.user.getByMobile");
    }

    /** The next level of departments below {@code departmentId} (DingTalk never returns more than one level). */
    public List<DingTalkDepartment> subDepartments(long departmentId) {
        JsonNode result = read(
                "contact.department.listSub",
                "/topapi/v2/department/listsub",
                READ_DEPARTMENTS,
                Map.of("dept_id", departmentId, "language", "en_US"));
        List<DingTalkDepartment> departments = new ArrayList<>();
        result.forEach(department -> departments.add(new DingTalkDepartment(
                department.path("dept_id").asLong(),
                orEmpty(text(department, "name")),
                department.path("parent_id").asLong())));
        return departments;
    }

    /** The userIds of the members of one department (not of its sub-departments). */
    public List<String> userIdsIn(long departmentId) {
        JsonNode result = read(
                "contact.user.listId", "/topapi/user/listid", READ_DEPARTMENT_MEMBERS, Map.of("dept_id", departmentId));
        List<String> userIds = new ArrayList<>();
        result.path("userid_list").forEach(userId -> userIds.add(userId.asString()));
        return userIds;
    }

    public CreatedUser createUser(NewDingTalkUser user) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", user.name());
        body.put("mobile", user.mobile());
        body.put(
                "dept_id_list",
                user.departmentIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
        putIfPresent(body, "userid", user.userId());
        putIfPresent(body, "title", user.title());
        putIfPresent(body, "email", user.email());
        putIfPresent(body, "job_number", user.jobNumber());
        try {
            JsonNode result = change("contact.user.create", "/topapi/v2/user/create", body);
            return new CreatedUser(false, text(result, "userid"), text(result, "unionId"));
        } catch (DingTalkException.Rejected rejected) {
            if (INVITATION_SENT.equals(rejected.upstreamCode())) {
                return new CreatedUser(true, user.userId(), null);
            }
            throw rejected;
        }
    }

    public void updateUser(String userId, DingTalkUserChanges changes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userid", userId);
        putIfPresent(body, "name", changes.name());
        putIfPresent(body, "title", changes.title());
        putIfPresent(body, "email", changes.email());
        putIfPresent(body, "job_number", changes.jobNumber());
        if (changes.departmentIds() != null) {
            body.put(
                    "dept_id_list",
                    changes.departmentIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        putIfPresent(body, "manager_userid", changes.managerUserId());
        if (changes.clearManager()) {
            // An empty manager_userid is refused; clearing takes the force-update list.
            body.put("force_update_fields", "manager_userid");
        }
        change("contact.user.update", "/topapi/v2/user/update", body);
    }

    public void deleteUser(String userId) {
        change("contact.user.delete", "/topapi/v2/user/delete", Map.of("userid", userId));
    }

    /**
     * Result of a create.
     *
     * @param invited DingTalk sent an invitation (40103) instead: the user joins once they accept
     */
    public record CreatedUser(
            boolean invited,
            @Nullable String userId,
            @Nullable String unionId) {}

    /** Result of a unionId look-up. */
    public record UnionIdMatch(String userId, boolean external) {}

    private JsonNode read(String name, String path, String permission, Map<String, ?> body) {
        return transport
                .call(new ApiCall(name, HttpMethod.POST, ApiCall.Host.LEGACY, path, permission, true, body))
                .path("result");
    }

    private JsonNode change(String name, String path, Map<String, ?> body) {
        return transport
                .call(new ApiCall(name, HttpMethod.POST, ApiCall.Host.LEGACY, path, MANAGE_CONTACTS, false, body))
                .path("result");
    }

    private static void putIfPresent(Map<String, Object> body, String key, @Nullable Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asLong()));
        return values;
    }

    private static List<Long> leaderDepartments(JsonNode array) {
        List<Long> departments = new ArrayList<>();
        array.forEach(entry -> {
            if (entry.path("leader").asBoolean(false)) {
                departments.add(entry.path("dept_id").asLong());
            }
        });
        return departments;
    }

    private static List<String> roles(JsonNode array) {
        List<String> roles = new ArrayList<>();
        array.forEach(role -> roles.add(orEmpty(text(role, "name"))));
        return roles;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String required(JsonNode node, String field, String api) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new DingTalkException.UnexpectedResponse(api, 200, "no " + field + " in the result");
        }
        return value;
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
