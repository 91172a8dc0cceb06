package dev.dinggate.apidocs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which problem {@code code}s each operation can answer, by status: the API contract that callers
 * switch on, kept in one place for the OpenAPI description (the README's error table says the same).
 */
final class ProblemCatalogue {

    private static final List<String> CHANGE_UNAVAILABLE = List.of("audit.unavailable");

    /** Answers for requests that match no operation: an unknown path, or a method the path does not have. */
    static final List<String> UNROUTED = List.of("request.not-found", "request.method-not-allowed");

    private ProblemCatalogue() {}

    /** Problems every API operation can answer. */
    static Map<Integer, List<String>> common(boolean callsDingTalk, boolean isChange, boolean hasBody) {
        Map<Integer, List<String>> problems = new LinkedHashMap<>();
        if (hasBody) {
            problems.put(400, List.of("request.invalid", "request.malformed", "request.unknown-field"));
            problems.put(413, List.of("request.too-large"));
            problems.put(415, List.of("request.unsupported-media-type"));
        } else {
            problems.put(400, List.of("request.invalid"));
        }
        problems.put(401, List.of("auth.unauthenticated"));
        problems.put(403, List.of("auth.forbidden"));
        problems.put(406, List.of("request.not-acceptable"));
        problems.put(429, List.of("request.rate-limited"));
        problems.put(500, List.of("internal.error"));
        problems.put(503, List.of("auth.provider-unavailable"));
        if (callsDingTalk) {
            problems.merge(403, List.of("dingtalk.outside-app-scope"), ProblemCatalogue::concat);
            problems.put(
                    502,
                    List.of(
                            "upstream.rejected",
                            "upstream.unreachable",
                            "upstream.bad-response",
                            "dingtalk.permission-missing",
                            "dingtalk.credentials-rejected",
                            "dingtalk.token-rejected"));
            problems.merge(
                    503,
                    List.of("upstream.busy", "upstream.throttled", "upstream.quota-exhausted"),
                    ProblemCatalogue::concat);
            problems.put(504, List.of(isChange ? "upstream.outcome-unknown" : "upstream.timeout"));
        }
        if (isChange) {
            problems.merge(503, CHANGE_UNAVAILABLE, ProblemCatalogue::concat);
            // The Idempotency-Key every change accepts (package idempotency).
            problems.merge(400, List.of("idempotency.key-invalid"), ProblemCatalogue::concat);
            problems.merge(409, List.of("idempotency.in-flight"), ProblemCatalogue::concat);
            problems.merge(422, List.of("idempotency.key-reused"), ProblemCatalogue::concat);
        }
        return problems;
    }

    /** Problems particular to one operation, keyed {@code "METHOD path"}. */
    static final Map<String, Map<Integer, List<String>>> SPECIFIC = Map.of(
            "PUT /api/v1/org-accounts/{userId}/dingtalk-id",
                    Map.of(
                            400, List.of("dingtalk-id.invalid"),
                            404, List.of("account.not-found"),
                            409, List.of("dingtalk-id.taken", "dingtalk-id.already-changed"),
                            422, List.of("account.not-enterprise-account")),
            "PUT /api/v1/org-accounts/visibility",
                    Map.of(
                            400, List.of("visibility.invalid"),
                            403, List.of("caller.not-linked")),
            "GET /api/v1/users/{userId}", Map.of(404, List.of("user.not-found")),
            "POST /api/v1/users/lookup",
                    Map.of(
                            400, List.of("lookup.invalid", "user.mobile-invalid"),
                            404, List.of("user.not-found")),
            "GET /api/v1/users", Map.of(400, List.of("department.invalid")),
            "GET /api/v1/departments", Map.of(400, List.of("department.invalid")),
            "POST /api/v1/users",
                    Map.of(
                            400, List.of("user.mobile-invalid", "department.invalid"),
                            409, List.of("user.mobile-taken", "user.id-taken")),
            "PATCH /api/v1/users/{userId}",
                    Map.of(
                            400, List.of("department.invalid"),
                            404, List.of("user.not-found"),
                            409, List.of("user.managed-by-smart-hr"),
                            422, List.of("user.mobile-immutable")),
            "DELETE /api/v1/users/{userId}", Map.of(404, List.of("user.not-found")));

    static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream())
                .distinct()
                .toList();
    }
}
