package dev.dinggate.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user, a department and an error message as DingTalk's old-style Contacts API writes them: {@code user/get} and
 * {@code user/list} share one user shape, {@code department/get} and {@code department/listsub} one department shape.
 */
final class TopapiResults {

    /** The seed's administrator: leader of their departments and holder of the Administrator role. */
    private static final String ADMINISTRATOR = "manager4220";

    private static final Map<String, String> MESSAGES = Map.of(
            "40035", "不合法的参数 (invalid parameter)",
            "60121", "找不到该用户 (user not found)",
            "40009", "不合法的部门id (invalid department id)",
            "60103", "手机号码不合法 (invalid mobile number)",
            "40103", "已发送邀请，对方接受后即可加入组织 (invitation sent)",
            "60104", "手机号码在公司中已注册 (mobile number already registered)",
            "60102", "UserID在公司中已存在 (userid already exists)",
            "60020", "职位和部门由智能人事管理 (title and department are managed by Smart HR)",
            "40014", "不合法的access_token (invalid access_token)");

    private TopapiResults() {}

    /** DingTalk's {@code errmsg} for one of its error codes. */
    static String message(String code) {
        return MESSAGES.getOrDefault(code, code);
    }

    static Map<String, Object> user(SandboxDirectory.User user) {
        boolean administrator = user.userId().equals(ADMINISTRATOR);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userid", user.userId());
        result.put("unionid", user.unionId());
        result.put("name", user.name());
        result.put("mobile", user.mobile());
        if (user.email() != null) {
            result.put("email", user.email());
        }
        if (user.title() != null) {
            result.put("title", user.title());
        }
        result.put("dept_id_list", List.copyOf(user.departmentIds()));
        result.put(
                "leader_in_dept",
                user.departmentIds().stream()
                        .map(id -> Map.of("dept_id", id, "leader", administrator))
                        .toList());
        result.put(
                "role_list",
                administrator ? List.of(Map.of("id", 1, "name", "Administrator", "group_name", "Default")) : List.of());
        if (user.managerUserId() != null) {
            result.put("manager_userid", user.managerUserId());
        }
        result.put("exclusive_account", user.exclusiveAccount());
        result.put("active", true);
        return result;
    }

    /** The root department has no parent: its {@code parent_id} is left out rather than written as 0. */
    static Map<String, Object> department(SandboxDirectory.Department department) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dept_id", department.id());
        result.put("name", department.name());
        if (department.parentId() != 0) {
            result.put("parent_id", department.parentId());
        }
        return result;
    }
}
