package dev.dinggate.batch;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The changes a batch may hold: the five change operations of the API, with the fields each item carries. */
enum BatchOperation {
    CHANGE_DINGTALK_ID("change-dingtalk-id", "accounts:write", Set.of("userId", "dingTalkId")),
    MAKE_VISIBLE("make-visible", "accounts:write", Set.of("corpIds", "fields")),
    CREATE_USER("create-user", "users:write", Set.of("user")),
    UPDATE_USER("update-user", "users:write", Set.of("userId", "changes")),
    DELETE_USER("delete-user", "users:write", Set.of("userId"));

    private final String wireName;
    private final String scope;
    private final Set<String> fields;

    BatchOperation(String wireName, String scope, Set<String> fields) {
        this.wireName = wireName;
        this.scope = scope;
        this.fields = fields;
    }

    String wireName() {
        return wireName;
    }

    /** The scope the single call needs. */
    String scope() {
        return scope;
    }

    /** The item's fields besides {@code operation}. */
    Set<String> fields() {
        return fields;
    }

    static Optional<BatchOperation> named(String name) {
        return Arrays.stream(values()).filter(op -> op.wireName.equals(name)).findFirst();
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(op -> op.wireName).toList());
    }
}
