package dev.dinggate.apidocs;

import static dev.dinggate.problem.GatewayProblem.AUDIT_UNAVAILABLE;
import static dev.dinggate.problem.GatewayProblem.AUTH_FORBIDDEN;
import static dev.dinggate.problem.GatewayProblem.AUTH_PROVIDER_UNAVAILABLE;
import static dev.dinggate.problem.GatewayProblem.AUTH_UNAUTHENTICATED;
import static dev.dinggate.problem.GatewayProblem.DINGTALK_CREDENTIALS_REJECTED;
import static dev.dinggate.problem.GatewayProblem.DINGTALK_OUTSIDE_APP_SCOPE;
import static dev.dinggate.problem.GatewayProblem.DINGTALK_PERMISSION_MISSING;
import static dev.dinggate.problem.GatewayProblem.DINGTALK_TOKEN_REJECTED;
import static dev.dinggate.problem.GatewayProblem.IDEMPOTENCY_IN_FLIGHT;
import static dev.dinggate.problem.GatewayProblem.IDEMPOTENCY_KEY_INVALID;
import static dev.dinggate.problem.GatewayProblem.IDEMPOTENCY_KEY_REUSED;
import static dev.dinggate.problem.GatewayProblem.INTERNAL_ERROR;
import static dev.dinggate.problem.GatewayProblem.REQUEST_INVALID;
import static dev.dinggate.problem.GatewayProblem.REQUEST_MALFORMED;
import static dev.dinggate.problem.GatewayProblem.REQUEST_NOT_ACCEPTABLE;
import static dev.dinggate.problem.GatewayProblem.REQUEST_RATE_LIMITED;
import static dev.dinggate.problem.GatewayProblem.REQUEST_TOO_LARGE;
import static dev.dinggate.problem.GatewayProblem.REQUEST_UNKNOWN_FIELD;
import static dev.dinggate.problem.GatewayProblem.REQUEST_UNSUPPORTED_MEDIA_TYPE;
import static dev.dinggate.problem.GatewayProblem.UPSTREAM_BAD_RESPONSE;
import static dev.dinggate.problem.GatewayProblem.UPSTREAM_BUSY;
import static dev.dinggate.problem.GatewayProblem.UPSTREAM_OUTCOME_UNKNOWN;
import static dev.dinggate.problem.GatewayProblem.UPSTREAM_QUOTA_EXHAUSTED;
import static dev.dinggate.problem.GatewayProblem.UPSTREAM_REJECTED;
import static dev.dinggate.problem.GatewayProblem.UPSTREAM_THROTTLED;
import static dev.dinggate.problem.GatewayProblem.UPSTREAM_TIMEOUT;
import static dev.dinggate.problem.GatewayProblem.UPSTREAM_UNREACHABLE;

import dev.dinggate.problem.GatewayProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.TreeMap;

/**
 * Which problems an operation can answer, by status: those every operation of its kind answers, then its own
 * ({@link OperationProblems}). The problems themselves, with their codes, are {@link GatewayProblem}'s.
 */
final class ProblemCatalogue {

    private ProblemCatalogue() {}

    /** The problems of an operation, by status, each status's in the order the docs list them. */
    static Map<Integer, SequencedSet<GatewayProblem>> of(
            OperationKind kind, boolean hasBody, List<GatewayProblem> specific) {
        List<GatewayProblem> all = new ArrayList<>(common(kind, hasBody));
        all.addAll(specific);
        Map<Integer, SequencedSet<GatewayProblem>> byStatus = new TreeMap<>();
        all.forEach(problem -> byStatus.computeIfAbsent(problem.status().value(), status -> new LinkedHashSet<>())
                .add(problem));
        return byStatus;
    }

    /** Problems every operation of a kind can answer. */
    private static List<GatewayProblem> common(OperationKind kind, boolean hasBody) {
        List<GatewayProblem> problems = new ArrayList<>(List.of(REQUEST_INVALID));
        if (hasBody) {
            problems.addAll(List.of(
                    REQUEST_MALFORMED, REQUEST_UNKNOWN_FIELD, REQUEST_TOO_LARGE, REQUEST_UNSUPPORTED_MEDIA_TYPE));
        }
        problems.addAll(List.of(
                AUTH_UNAUTHENTICATED,
                AUTH_FORBIDDEN,
                REQUEST_NOT_ACCEPTABLE,
                REQUEST_RATE_LIMITED,
                INTERNAL_ERROR,
                AUTH_PROVIDER_UNAVAILABLE));
        if (kind.callsDingTalk()) {
            problems.addAll(List.of(
                    DINGTALK_OUTSIDE_APP_SCOPE,
                    UPSTREAM_REJECTED,
                    UPSTREAM_UNREACHABLE,
                    UPSTREAM_BAD_RESPONSE,
                    DINGTALK_PERMISSION_MISSING,
                    DINGTALK_CREDENTIALS_REJECTED,
                    DINGTALK_TOKEN_REJECTED,
                    UPSTREAM_BUSY,
                    UPSTREAM_THROTTLED,
                    UPSTREAM_QUOTA_EXHAUSTED,
                    kind.audited() ? UPSTREAM_OUTCOME_UNKNOWN : UPSTREAM_TIMEOUT));
        }
        if (kind.audited()) {
            problems.add(AUDIT_UNAVAILABLE);
        }
        if (kind.keyed()) {
            // The Idempotency-Key every change accepts (package idempotency).
            problems.addAll(List.of(IDEMPOTENCY_KEY_INVALID, IDEMPOTENCY_IN_FLIGHT, IDEMPOTENCY_KEY_REUSED));
        }
        return problems;
    }
}
