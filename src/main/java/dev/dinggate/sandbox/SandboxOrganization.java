package dev.dinggate.sandbox;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The simulated organisation and DingTalk's rules for it, kept in memory: a restart of the sandbox
 * starts from the seed again.
 */
final class SandboxOrganization {

    /** An employee as the simulator keeps it. */
    record Employee(
            String userId,
            String name,
            boolean enterpriseAccount,
            @Nullable String dingTalkId,
            boolean dingTalkIdChanged) {}

    private final Map<String, Employee> employees = new ConcurrentHashMap<>();
    private final Set<String> takenIds = ConcurrentHashMap.newKeySet();

    SandboxOrganization() {
        add(new Employee("manager4220", "Wang Fang", true, "wangfang01", false));
        add(new Employee("user1001", "Li Si", true, null, false));
        add(new Employee("user1002", "Zhang San", true, "zhangsan01", false));
        add(new Employee("user1003", "Zhao Liu", true, "zhaoliu88", true));
        add(new Employee("user1004", "Sun Ba", true, null, false));
        add(new Employee("user2001", "Chen Qi", false, "chenqi2020", false));
        // IDs held by people outside this organisation: DingTalk IDs are global.
        takenIds.addAll(Set.of("dingtalk", "administrator", "lisi2020"));
    }

    private void add(Employee employee) {
        employees.put(employee.userId(), employee);
        if (employee.dingTalkId() != null) {
            takenIds.add(employee.dingTalkId().toLowerCase(java.util.Locale.ROOT));
        }
    }

    boolean isEmployee(String userId) {
        return employees.containsKey(userId);
    }

    /** Applies DingTalk's rules for a DingTalk ID change; returns DingTalk's error code, or null on success. */
    synchronized @Nullable String changeDingTalkId(String userId, String dingTalkId) {
        Employee employee = employees.get(userId);
        if (employee == null) {
            return "emp.not.exist";
        }
        if (!employee.enterpriseAccount()) {
            return "internalenterpriseaccount.limit";
        }
        if (employee.dingTalkIdChanged()) {
            return "have.been.set";
        }
        if (dingTalkId.length() < 6 || dingTalkId.length() > 20) {
            return "incorrect.length";
        }
        if (!dingTalkId.matches("[A-Za-z][A-Za-z0-9]*")) {
            return "incorrect.format";
        }
        if (!takenIds.add(dingTalkId.toLowerCase(java.util.Locale.ROOT))) {
            return "incorrect.reserved";
        }
        employees.put(userId, new Employee(userId, employee.name(), true, dingTalkId, true));
        return null;
    }
}
