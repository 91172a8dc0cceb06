package dev.dinggate.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The sandbox organisation's Contacts: a nested department tree and a few hundred users, some in
 * several departments, with DingTalk's rules for creating, updating and deleting them. In memory.
 * The People division's departments are managed by Smart HR: titles and departments of their members
 * cannot be changed through the Contacts API. Every change is told to a {@link DirectoryChange.Listener},
 * as DingTalk tells its event stream; one instance is shared by the simulator's Contacts API and its console.
 */
@Component
@Profile("sandbox")
final class SandboxDirectory {

    /** A department of the seed. */
    record Department(long id, String name, long parentId, boolean smartHr) {}

    /** A user of the seed. */
    record User(
            String userId,
            String name,
            String mobile,
            @Nullable String email,
            @Nullable String title,
            Set<Long> departmentIds,
            @Nullable String managerUserId,
            boolean exclusiveAccount) {

        String unionId() {
            return "union-" + userId;
        }
    }

    /** Mobile numbers of people already in another, authenticated organisation: adding them sends an invitation. */
    static final Set<String> INVITE_ONLY_MOBILES = Set.of("+86-13700000001");

    static final String EXTERNAL_UNION_ID = "union-ext-0001";
    static final String EXTERNAL_USER_ID = "ext0001";

    private final Map<Long, Department> departments = new LinkedHashMap<>();
    private final Map<String, User> users = new LinkedHashMap<>();
    private final AtomicInteger nextEmployee = new AtomicInteger(1000);
    /** DingTalk never gives a removed department's id to a new one. */
    private long lastDepartmentId;

    private final DirectoryChange.Listener changes;

    SandboxDirectory(DirectoryChange.Listener changes) {
        this.changes = changes;
        department(1, "Sandbox Co.", 0, false);
        String[] divisions = {"Engineering", "Sales", "People", "Finance", "Operations", "Legal"};
        long id = 2;
        List<Long> teams = new ArrayList<>();
        for (String division : divisions) {
            long divisionId = id++;
            department(divisionId, division, 1, division.equals("People"));
            for (int t = 1; t <= 3; t++) {
                long teamId = id++;
                department(teamId, division + " team " + t, divisionId, division.equals("People"));
                teams.add(teamId);
                if (division.equals("Engineering")) {
                    for (int s = 1; s <= 2; s++) {
                        long squadId = id++;
                        department(squadId, division + " team " + t + " squad " + s, teamId, false);
                        teams.add(squadId);
                    }
                }
            }
        }
        user(
                "manager4220",
                "Wang Fang",
                "+86-13800004220",
                "wang.fang@sandbox.example",
                "Director",
                Set.of(1L, idOf("Engineering")),
                null,
                true);
        user(
                "user1001",
                "Li Si",
                "+86-13800001001",
                null,
                "Engineer",
                Set.of(idOf("Engineering team 1")),
                "manager4220",
                true);
        user(
                "user1002",
                "Zhang San",
                "+86-13800001002",
                "zhang.san@sandbox.example",
                "HR partner",
                Set.of(idOf("People")),
                "manager4220",
                true);
        user(
                "user1003",
                "Zhao Liu",
                "+86-13800001003",
                null,
                "Accountant",
                Set.of(idOf("Finance")),
                "manager4220",
                true);
        user(
                "user1004",
                "Sun Ba",
                "+86-13800001004",
                null,
                "Sales lead",
                Set.of(idOf("Sales"), idOf("Engineering")),
                "manager4220",
                true);
        user(
                "user2001",
                "Chen Qi",
                "+86-13800002001",
                null,
                "Recruiter",
                Set.of(idOf("People team 1")),
                "user1002",
                false);
        for (int n = 1; n <= 300; n++) {
            Set<Long> memberOf = new LinkedHashSet<>();
            memberOf.add(teams.get(n % teams.size()));
            if (n % 7 == 0) {
                memberOf.add(teams.get((n * 3 + 1) % teams.size()));
            }
            String userId = String.format("emp%04d", n);
            user(
                    userId,
                    "Employee " + n,
                    String.format("+86-1390000%04d", n),
                    null,
                    "Staff",
                    memberOf,
                    "manager4220",
                    false);
        }
    }

    private long idOf(String name) {
        return departments.values().stream()
                .filter(department -> department.name().equals(name))
                .findFirst()
                .orElseThrow()
                .id();
    }

    private void department(long id, String name, long parentId, boolean smartHr) {
        departments.put(id, new Department(id, name, parentId, smartHr));
        lastDepartmentId = Math.max(lastDepartmentId, id);
    }

    private void user(
            String userId,
            String name,
            String mobile,
            @Nullable String email,
            @Nullable String title,
            Set<Long> departmentIds,
            @Nullable String managerUserId,
            boolean exclusiveAccount) {
        users.put(userId, new User(userId, name, mobile, email, title, departmentIds, managerUserId, exclusiveAccount));
    }

    synchronized @Nullable User user(String userId) {
        return users.get(userId);
    }

    synchronized @Nullable User userByMobile(String mobile) {
        return users.values().stream()
                .filter(user -> user.mobile().equals(mobile))
                .findFirst()
                .orElse(null);
    }

    synchronized @Nullable User userByUnionId(String unionId) {
        return users.values().stream()
                .filter(user -> user.unionId().equals(unionId))
                .findFirst()
                .orElse(null);
    }

    synchronized boolean hasDepartment(long id) {
        return departments.containsKey(id);
    }

    synchronized List<Department> subDepartments(long parentId) {
        return departments.values().stream()
                .filter(department -> department.parentId() == parentId)
                .toList();
    }

    synchronized @Nullable Department department(long id) {
        return departments.get(id);
    }

    synchronized List<String> members(long departmentId) {
        return usersIn(departmentId).stream().map(User::userId).toList();
    }

    /** The users directly in a department, in the order they joined the organisation (stable across calls). */
    synchronized List<User> usersIn(long departmentId) {
        return users.values().stream()
                .filter(user -> user.departmentIds().contains(departmentId))
                .toList();
    }

    /** DingTalk's answer to a create: an error code, or null with the user added. */
    synchronized Object create(
            String name,
            String mobile,
            List<Long> departmentIds,
            @Nullable String userId,
            @Nullable String title,
            @Nullable String email) {
        if (!mobile.matches("\\+\\d{1,3}-\\d{5,15}")) {
            return "60103";
        }
        if (departmentIds.isEmpty() || !departmentIds.stream().allMatch(departments::containsKey)) {
            return "40009";
        }
        if (INVITE_ONLY_MOBILES.contains(mobile)) {
            return "40103";
        }
        if (userByMobile(mobile) != null) {
            return "60104";
        }
        String id = userId != null ? userId : "emp" + nextEmployee.incrementAndGet();
        if (users.containsKey(id)) {
            return "60102";
        }
        User user = new User(id, name, mobile, email, title, new LinkedHashSet<>(departmentIds), null, false);
        users.put(id, user);
        changes.changed(DirectoryChange.user("user_add_org", id));
        return user;
    }

    /** DingTalk's answer to an update: an error code, or null when applied. */
    synchronized @Nullable String update(
            String userId,
            @Nullable String name,
            @Nullable String title,
            @Nullable String email,
            @Nullable List<Long> departmentIds,
            @Nullable String managerUserId,
            boolean clearManager) {
        User user = users.get(userId);
        if (user == null) {
            return "60121";
        }
        boolean smartHr = user.departmentIds().stream().map(departments::get).anyMatch(Department::smartHr);
        if (smartHr && (title != null || departmentIds != null)) {
            return "60020";
        }
        return apply(user, name, title, email, departmentIds, managerUserId, clearManager);
    }

    /**
     * A change an administrator makes in DingTalk's own console: Smart HR's rules do not stop it (Smart HR is
     * where such changes are made). An error code, or null when applied.
     */
    synchronized @Nullable String changeInConsole(
            String userId,
            @Nullable String name,
            @Nullable String title,
            @Nullable String email,
            @Nullable List<Long> departmentIds) {
        User user = users.get(userId);
        if (user == null) {
            return "60121";
        }
        return apply(user, name, title, email, departmentIds, null, false);
    }

    private @Nullable String apply(
            User user,
            @Nullable String name,
            @Nullable String title,
            @Nullable String email,
            @Nullable List<Long> departmentIds,
            @Nullable String managerUserId,
            boolean clearManager) {
        String userId = user.userId();
        if (departmentIds != null && !departmentIds.stream().allMatch(departments::containsKey)) {
            return "40009";
        }
        users.put(
                userId,
                new User(
                        userId,
                        name != null ? name : user.name(),
                        user.mobile(),
                        email != null ? email : user.email(),
                        title != null ? title : user.title(),
                        departmentIds != null ? new LinkedHashSet<>(departmentIds) : user.departmentIds(),
                        clearManager ? null : managerUserId != null ? managerUserId : user.managerUserId(),
                        user.exclusiveAccount()));
        changes.changed(DirectoryChange.user("user_modify_org", userId));
        return null;
    }

    synchronized boolean delete(String userId) {
        if (users.remove(userId) == null) {
            return false;
        }
        changes.changed(DirectoryChange.user("user_leave_org", userId));
        return true;
    }

    /** A new department below {@code parentId}, or null when there is no such parent. */
    synchronized @Nullable Department createDepartment(String name, long parentId) {
        Department parent = departments.get(parentId);
        if (parent == null) {
            return null;
        }
        long id = lastDepartmentId + 1;
        // Smart HR manages a whole division: what is created inside it is managed too.
        department(id, name, parentId, parent.smartHr());
        changes.changed(DirectoryChange.department("org_dept_create", id));
        return departments.get(id);
    }

    /**
     * Renames or moves a department: null when done, else why not ({@code "40009"} for an unknown department
     * or parent, {@code "cycle"} for a move below itself, {@code "root"} for a move of the root).
     */
    synchronized @Nullable String changeDepartment(long id, @Nullable String name, @Nullable Long parentId) {
        Department department = departments.get(id);
        if (department == null || (parentId != null && !departments.containsKey(parentId))) {
            return "40009";
        }
        if (parentId != null && id == 1) {
            return "root";
        }
        if (parentId != null && isSelfOrBelow(parentId, id)) {
            return "cycle";
        }
        department(
                id,
                name != null ? name : department.name(),
                parentId != null ? parentId : department.parentId(),
                department.smartHr());
        changes.changed(DirectoryChange.department("org_dept_modify", id));
        return null;
    }

    /**
     * Removes an empty department: null when done, else why not ({@code "40009"} unknown, {@code "root"}, {@code
     * "has-members"}, {@code "has-subdepartments"}: DingTalk removes only empty departments).
     */
    synchronized @Nullable String removeDepartment(long id) {
        if (!departments.containsKey(id)) {
            return "40009";
        }
        if (id == 1) {
            return "root";
        }
        if (users.values().stream().anyMatch(user -> user.departmentIds().contains(id))) {
            return "has-members";
        }
        if (departments.values().stream().anyMatch(department -> department.parentId() == id)) {
            return "has-subdepartments";
        }
        departments.remove(id);
        changes.changed(DirectoryChange.department("org_dept_remove", id));
        return null;
    }

    private boolean isSelfOrBelow(long candidate, long ancestor) {
        for (long id = candidate; id != 0; id = departments.get(id).parentId()) {
            if (id == ancestor) {
                return true;
            }
        }
        return false;
    }
}
