package dev.dinggate.sandbox;

/**
 * A change to the sandbox organisation, named as DingTalk's contact event names it.
 *
 * @param eventType DingTalk's event type, e.g. {@code user_modify_org}, {@code org_dept_create}
 * @param subjectField the event data's field that lists what changed: {@code userId} or {@code deptId}
 * @param subjectId the user id (text) or department id (number) that changed
 */
record DirectoryChange(String eventType, String subjectField, Object subjectId) {

    static DirectoryChange user(String eventType, String userId) {
        return new DirectoryChange(eventType, "userId", userId);
    }

    static DirectoryChange department(String eventType, long departmentId) {
        return new DirectoryChange(eventType, "deptId", departmentId);
    }

    /** Told of each change once it is made, while the organisation is still locked: must not block. */
    @FunctionalInterface
    interface Listener {
        void changed(DirectoryChange change);
    }
}
