package dev.dinggate.apidocs;

import java.util.List;
import java.util.Map;

/** Example request bodies shown in the API docs, keyed {@code "METHOD path"}, then by example name. */
final class RequestExamples {

    private RequestExamples() {}

    static final Map<String, Map<String, Object>> FOR = Map.of(
            "PUT /api/v1/org-accounts/{userId}/dingtalk-id", Map.of("change", Map.of("dingTalkId", "lisi2026")),
            "PUT /api/v1/org-accounts/visibility",
                    Map.of(
                            "mobile only (default)", Map.of("corpIds", List.of("ding12345678")),
                            "mobile and status",
                                    Map.of("corpIds", List.of("ding12345678"), "fields", List.of("mobile", "status"))),
            "POST /api/v1/users/lookup",
                    Map.of(
                            "by mobile", Map.of("mobile", "+86-13800001001"),
                            "by unionId", Map.of("unionId", "union-user1001")),
            "POST /api/v1/users",
                    Map.of(
                            "create",
                            Map.of(
                                    "name",
                                    "Zhou Jiu",
                                    "mobile",
                                    "+86-13912345678",
                                    "departmentIds",
                                    List.of(3),
                                    "title",
                                    "Engineer")),
            "PATCH /api/v1/users/{userId}",
                    Map.of(
                            "new title", Map.of("title", "Senior engineer"),
                            "remove the manager", java.util.Collections.singletonMap("managerUserId", null)));
}
