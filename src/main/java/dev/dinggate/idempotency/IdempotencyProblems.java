package dev.dinggate.idempotency;

import dev.dinggate.problem.GatewayProblem;
import org.springframework.http.HttpStatus;

/** What a caller is told when its {@code Idempotency-Key} cannot be honoured. */
final class IdempotencyProblems {

    static final GatewayProblem KEY_INVALID =
            new GatewayProblem(HttpStatus.BAD_REQUEST, "idempotency.key-invalid", "Malformed Idempotency-Key");
    static final GatewayProblem IN_FLIGHT = new GatewayProblem(
            HttpStatus.CONFLICT, "idempotency.in-flight", "Request with this Idempotency-Key still in progress");
    static final GatewayProblem KEY_REUSED = new GatewayProblem(
            HttpStatus.UNPROCESSABLE_CONTENT, "idempotency.key-reused", "Idempotency-Key used for another request");
    /**
     * The keys live in the audit database: when it is down, the change is refused as the audit trail
     * refuses it (nothing was sent), rather than sent without the protection the caller asked for.
     */
    static final GatewayProblem STORE_UNAVAILABLE =
            new GatewayProblem(HttpStatus.SERVICE_UNAVAILABLE, "audit.unavailable", "Audit trail unavailable");

    private IdempotencyProblems() {}
}
