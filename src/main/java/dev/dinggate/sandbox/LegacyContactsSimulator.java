package dev.dinggate.sandbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * DingTalk's old-style Contacts API ({@code /topapi/...}) over the {@link SandboxDirectory}: HTTP 200
 * with {@code errcode}, the token in the {@code access_token} query parameter, DingTalk's error codes.
 */
@RestController
@Profile("sandbox")
@RequestMapping(LegacyContactsSimulator.ROOT)
class LegacyContactsSimulator {

    static final String ROOT = "/sandbox/dingtalk/oapi";

    private static final Map<String, String> MESSAGES = Map.of(
            "60121", "找不到该用户 (user not found)",
            "40009", "不合法的部门id (invalid department id)",
            "60103", "手机号码不合法 (invalid mobile number)",
            "40103", "已发送邀请，对方接受后即可加入组织 (invitation sent)",
            "60104", "手机号码在公司中已注册 (mobile number already registered)",
            "60102", "UserID在公司中已存在 (userid already exists)",
            "60020", "职位和部门由智能人事管理 (title and department are managed by Smart HR)",
            "40014", "不合法的access_token (invalid access_token)");

    private final SandboxDirectory directory = new SandboxDirectory();
    private final SandboxTokens tokens;

    LegacyContactsSimulator(SandboxTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/gettoken")
    Map<String, Object> getToken(
            @RequestParam(required = false) @Nullable String appkey,
            @RequestParam(required = false) @Nullable String appsecret) {
        String token = tokens.issue(appkey, appsecret);
        if (token == null) {
            return failure("40096");
        }
        return Map.of("errcode", 0, "errmsg", "ok", "access_token", token, "expires_in", 7200);
    }

    @PostMapping("/topapi/v2/user/get")
    Map<String, Object> userGet(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        SandboxDirectory.User user = directory.user(String.valueOf(body.get("userid")));
        if (user == null) {
            return failure("60121");
        }
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
                        .map(id -> Map.of("dept_id", id, "leader", user.userId().equals("manager4220")))
                        .toList());
        result.put(
                "role_list",
                user.userId().equals("manager4220")
                        ? List.of(Map.of("id", 1, "name", "Administrator", "group_name", "Default"))
                        : List.of());
        if (user.managerUserId() != null) {
            result.put("manager_userid", user.managerUserId());
        }
        result.put("exclusive_account", user.exclusiveAccount());
        result.put("active", true);
        return success(result);
    }

    @PostMapping("/topapi/user/getbyunionid")
    Map<String, Object> getByUnionId(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        String unionId = String.valueOf(body.get("unionid"));
        if (SandboxDirectory.EXTERNAL_UNION_ID.equals(unionId)) {
            return success(Map.of("contact_type", 1, "userid", SandboxDirectory.EXTERNAL_USER_ID));
        }
        SandboxDirectory.User user = directory.userByUnionId(unionId);
        return user == null ? failure("60121") : success(Map.of("contact_type", 0, "userid", user.userId()));
    }

    @PostMapping("/topapi/v2/user/getbymobile")
    Map<String, Object> getByMobile(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        SandboxDirectory.User user = directory.userByMobile(String.valueOf(body.get("mobile")));
        return user == null ? failure("60121") : success(Map.of("userid", user.userId()));
    }

    @PostMapping("/topapi/v2/department/listsub")
    Map<String, Object> listSub(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        long departmentId = Long.parseLong(String.valueOf(body.get("dept_id")));
        if (!directory.hasDepartment(departmentId)) {
            return failure("40009");
        }
        List<Map<String, Object>> result = new ArrayList<>();
        directory
                .subDepartments(departmentId)
                .forEach(department -> result.add(Map.of(
                        "dept_id", department.id(), "name", department.name(), "parent_id", department.parentId())));
        return success(result);
    }

    @PostMapping("/topapi/user/listid")
    Map<String, Object> listId(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        long departmentId = Long.parseLong(String.valueOf(body.get("dept_id")));
        if (!directory.hasDepartment(departmentId)) {
            return failure("40009");
        }
        return success(Map.of("userid_list", directory.members(departmentId)));
    }

    @PostMapping("/topapi/v2/user/create")
    Map<String, Object> create(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        Object outcome = directory.create(
                String.valueOf(body.get("name")),
                String.valueOf(body.get("mobile")),
                departmentIds(body.get("dept_id_list")),
                text(body, "userid"),
                text(body, "title"),
                text(body, "email"));
        if (outcome instanceof SandboxDirectory.User user) {
            return success(Map.of("userid", user.userId(), "unionId", user.unionId()));
        }
        return failure((String) outcome);
    }

    @PostMapping("/topapi/v2/user/update")
    Map<String, Object> update(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        String code = directory.update(
                String.valueOf(body.get("userid")),
                text(body, "name"),
                text(body, "title"),
                text(body, "email"),
                body.containsKey("dept_id_list") ? departmentIds(body.get("dept_id_list")) : null,
                text(body, "manager_userid"),
                "manager_userid".equals(body.get("force_update_fields")));
        return code == null ? success(null) : failure(code);
    }

    @PostMapping("/topapi/v2/user/delete")
    Map<String, Object> delete(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        return directory.delete(String.valueOf(body.get("userid"))) ? success(null) : failure("60121");
    }

    private static List<Long> departmentIds(@Nullable Object commaSeparated) {
        if (commaSeparated == null || String.valueOf(commaSeparated).isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(String.valueOf(commaSeparated).split(","))
                    .map(String::trim)
                    .map(Long::parseLong)
                    .toList();
        } catch (NumberFormatException notIds) {
            return List.of(-1L);
        }
    }

    private static @Nullable String text(Map<String, Object> body, String key) {
        Object value = body.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static Map<String, Object> success(@Nullable Object result) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("errcode", 0);
        answer.put("errmsg", "ok");
        if (result != null) {
            answer.put("result", result);
        }
        answer.put("request_id", requestId());
        return answer;
    }

    private static Map<String, Object> failure(String code) {
        return Map.of(
                "errcode",
                Integer.parseInt(code),
                "errmsg",
                MESSAGES.getOrDefault(code, code),
                "request_id",
                requestId());
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
