package dev.dinggate.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Changes made inside DingTalk, as an administrator makes them in DingTalk's own console, so that the gateway's
 * handling of DingTalk's events can be tried in the sandbox. Sandbox-only routes: no DingTalk token and no gateway
 * login (like the simulator, {@link SandboxSecurityConfiguration}); JSON bodies, unknown fields refused.
 * <ul>
 *   <li>{@code POST /sandbox/dingtalk/console/users} {@code {"name","mobile","departmentIds"}} (and optionally
 *       {@code "userId","title","email"}) → {@code user_add_org}
 *   <li>{@code POST /sandbox/dingtalk/console/users/{userId}} any of {@code {"name","title","email","departmentIds"}}
 *       → {@code user_modify_org} (Smart HR's rules do not apply here: the console is where such changes are made)
 *   <li>{@code DELETE /sandbox/dingtalk/console/users/{userId}} → {@code user_leave_org}
 *   <li>{@code POST /sandbox/dingtalk/console/departments} {@code {"name","parentId"}} → {@code org_dept_create}
 *   <li>{@code POST /sandbox/dingtalk/console/departments/{deptId}} either of {@code {"name","parentId"}} →
 *       {@code org_dept_modify}
 *   <li>{@code DELETE /sandbox/dingtalk/console/departments/{deptId}} (an empty department) → {@code
 *       org_dept_remove}
 *   <li>{@code POST /sandbox/dingtalk/console/stream/disconnect} → every open stream connection gets a SYSTEM
 *       {@code disconnect} and is closed, as when DingTalk moves connections: {@code {"closed": n}}
 * </ul>
 * A change answers 200 {@code {"eventType", "user"|"department"}}, the user or department as {@code user/get} or
 * {@code department/get} now answers it (a removal names only the id), and its event is on the stream. Errors
 * answer {@code {"message"}}: 404 for an unknown user or department in the path, 400 for a body DingTalk would
 * refuse, 409 for a department that is not empty.
 */
@RestController
@Profile("sandbox")
@RequestMapping(DingTalkConsole.ROOT)
class DingTalkConsole {

    static final String ROOT = "/sandbox/dingtalk/console";

    private final SandboxDirectory directory;
    private final SandboxEventStream stream;

    DingTalkConsole(SandboxDirectory directory, SandboxEventStream stream) {
        this.directory = directory;
        this.stream = stream;
    }

    record NewUser(
            @Nullable String name,
            @Nullable String mobile,
            @Nullable List<Long> departmentIds,
            @Nullable String userId,
            @Nullable String title,
            @Nullable String email) {}

    record UserChange(
            @Nullable String name,
            @Nullable String title,
            @Nullable String email,
            @Nullable List<Long> departmentIds) {}

    record DepartmentChange(@Nullable String name, @Nullable Long parentId) {}

    @PostMapping("/users")
    ResponseEntity<Map<String, Object>> addUser(@RequestBody NewUser user) {
        if (isBlank(user.name()) || isBlank(user.mobile()) || isEmpty(user.departmentIds())) {
            return refused(400, "name, mobile and departmentIds are required");
        }
        Object outcome = directory.create(
                user.name(), user.mobile(), user.departmentIds(), user.userId(), user.title(), user.email());
        if (outcome instanceof SandboxDirectory.User added) {
            return changed("user_add_org", "user", TopapiResults.user(added));
        }
        return refused(400, TopapiResults.message((String) outcome));
    }

    @PostMapping("/users/{userId}")
    ResponseEntity<Map<String, Object>> changeUser(@PathVariable String userId, @RequestBody UserChange change) {
        if (directory.user(userId) == null) {
            return refused(404, "no user " + userId + " in the sandbox organisation");
        }
        if (change.departmentIds() != null && change.departmentIds().isEmpty()) {
            return refused(400, "departmentIds must name at least one department");
        }
        String code = directory.changeInConsole(
                userId, change.name(), change.title(), change.email(), change.departmentIds());
        if (code != null) {
            return refused(code.equals("60121") ? 404 : 400, TopapiResults.message(code));
        }
        SandboxDirectory.User user = directory.user(userId);
        return user == null
                ? refused(404, "no user " + userId + " in the sandbox organisation")
                : changed("user_modify_org", "user", TopapiResults.user(user));
    }

    @DeleteMapping("/users/{userId}")
    ResponseEntity<Map<String, Object>> removeUser(@PathVariable String userId) {
        return directory.delete(userId)
                ? changed("user_leave_org", "user", Map.of("userid", userId))
                : refused(404, "no user " + userId + " in the sandbox organisation");
    }

    @PostMapping("/departments")
    ResponseEntity<Map<String, Object>> addDepartment(@RequestBody DepartmentChange department) {
        if (isBlank(department.name()) || department.parentId() == null) {
            return refused(400, "name and parentId are required");
        }
        SandboxDirectory.Department added = directory.createDepartment(department.name(), department.parentId());
        return added == null
                ? refused(400, "no department " + department.parentId() + " to be the parent")
                : changed("org_dept_create", "department", TopapiResults.department(added));
    }

    @PostMapping("/departments/{departmentId}")
    ResponseEntity<Map<String, Object>> changeDepartment(
            @PathVariable long departmentId, @RequestBody DepartmentChange change) {
        if (directory.department(departmentId) == null) {
            return refused(404, "no department " + departmentId + " in the sandbox organisation");
        }
        if (change.name() != null && change.name().isBlank()) {
            return refused(400, "name must not be blank");
        }
        String refusal = directory.changeDepartment(departmentId, change.name(), change.parentId());
        if (refusal != null) {
            return refused(
                    400,
                    switch (refusal) {
                        case "root" -> "the root department cannot be moved";
                        case "cycle" -> "a department cannot be moved below itself";
                        default -> "no department " + change.parentId() + " to be the parent";
                    });
        }
        SandboxDirectory.Department department = directory.department(departmentId);
        return department == null
                ? refused(404, "no department " + departmentId + " in the sandbox organisation")
                : changed("org_dept_modify", "department", TopapiResults.department(department));
    }

    @DeleteMapping("/departments/{departmentId}")
    ResponseEntity<Map<String, Object>> removeDepartment(@PathVariable long departmentId) {
        String refusal = directory.removeDepartment(departmentId);
        if (refusal == null) {
            return changed("org_dept_remove", "department", Map.of("dept_id", departmentId));
        }
        return switch (refusal) {
            case "root" -> refused(400, "the root department cannot be removed");
            case "has-members" -> refused(409, "the department still has members: move or remove them first");
            case "has-subdepartments" -> refused(409, "the department still has sub-departments: remove them first");
            default -> refused(404, "no department " + departmentId + " in the sandbox organisation");
        };
    }

    @PostMapping("/stream/disconnect")
    Map<String, Object> disconnectStream() {
        return Map.of("closed", stream.disconnectAll("DingTalk is moving this connection (sandbox console)"));
    }

    private static ResponseEntity<Map<String, Object>> changed(String eventType, String kind, Object what) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("eventType", eventType);
        answer.put(kind, what);
        return ResponseEntity.ok(answer);
    }

    private static ResponseEntity<Map<String, Object>> refused(int status, String message) {
        return ResponseEntity.status(status).body(Map.of("message", message));
    }

    private static boolean isBlank(@Nullable String text) {
        return text == null || text.isBlank();
    }

    private static boolean isEmpty(@Nullable List<Long> ids) {
        return ids == null || ids.isEmpty();
    }
}
