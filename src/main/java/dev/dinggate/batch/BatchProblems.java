package dev.dinggate.batch;

import dev.dinggate.problem.GatewayProblem;
import org.springframework.http.HttpStatus;

/** The problems of the batch routes. */
final class BatchProblems {

    /** An item is invalid, or the batch has no items or too many: nothing is stored. */
    static final GatewayProblem INVALID = new GatewayProblem(HttpStatus.BAD_REQUEST, "batch.invalid", "Invalid batch");

    /** No such batch, or not one the caller may see. */
    static final GatewayProblem NOT_FOUND =
            new GatewayProblem(HttpStatus.NOT_FOUND, "batch.not-found", "Batch not found");

    /** The same answer Spring Security gives a caller whose scopes do not allow a route. */
    static final GatewayProblem FORBIDDEN =
            new GatewayProblem(HttpStatus.FORBIDDEN, "auth.forbidden", "Operation not allowed");

    private BatchProblems() {}
}
