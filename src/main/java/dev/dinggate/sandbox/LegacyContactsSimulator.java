package dev.dinggate.sandbox;

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

    /** DingTalk's "invalid parameter", e.g. a page size outside 1 to 100. */
    private static final String INVALID_PARAMETER = "40035";

    /** {@code user/list}'s largest page. */
    private static final int MAX_PAGE = 100;

    private final SandboxDirectory directory;
    private final SandboxTokens tokens;

    LegacyContactsSimulator(SandboxDirectory directory, SandboxTokens tokens) {
        this.directory = directory;
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
        return success(TopapiResults.user(user));
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
        return success(directory.subDepartments(departmentId).stream()
                .map(TopapiResults::department)
                .toList());
    }

    /** One department: {@code dept_id}, {@code name}, {@code parent_id}. */
    @PostMapping("/topapi/v2/department/get")
    Map<String, Object> departmentGet(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        Long departmentId = number(body, "dept_id");
        if (departmentId == null) {
            return failure(INVALID_PARAMETER);
        }
        SandboxDirectory.Department department = directory.department(departmentId);
        return department == null ? failure("40009") : success(TopapiResults.department(department));
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

    /**
     * One page of the users directly in a department, each as {@code user/get} answers it. The cursor is the
     * offset of the page's first user, in the order users joined; {@code next_cursor} is given only while {@code
     * has_more}.
     */
    @PostMapping("/topapi/v2/user/list")
    Map<String, Object> userList(
            @RequestParam(name = "access_token", required = false) @Nullable String token,
            @RequestBody Map<String, Object> body) {
        if (!tokens.isValid(token)) {
            return failure("40014");
        }
        Long departmentId = number(body, "dept_id");
        Long cursor = number(body, "cursor");
        Long size = number(body, "size");
        if (departmentId == null || cursor == null || cursor < 0 || size == null || size < 1 || size > MAX_PAGE) {
            return failure(INVALID_PARAMETER);
        }
        if (!directory.hasDepartment(departmentId)) {
            return failure("40009");
        }
        List<SandboxDirectory.User> members = directory.usersIn(departmentId);
        int from = (int) Math.min(cursor, members.size());
        int to = (int) Math.min(from + size, members.size());
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("has_more", to < members.size());
        if (to < members.size()) {
            page.put("next_cursor", (long) to);
        }
        page.put(
                "list",
                members.subList(from, to).stream().map(TopapiResults::user).toList());
        return success(page);
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

    /** A whole number given as a JSON number or as text; null when absent or not a whole number. */
    private static @Nullable Long number(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
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
                "errcode", Integer.parseInt(code), "errmsg", TopapiResults.message(code), "request_id", requestId());
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
