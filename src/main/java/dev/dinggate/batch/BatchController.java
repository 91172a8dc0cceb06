package dev.dinggate.batch;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.apidocs.RequestExample;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.security.Caller;
import dev.dinggate.security.RequiresScope;
import dev.dinggate.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Batches of changes, worked through in the background (v1). */
@RestController
@RequestMapping("/api/v1/batches")
@Tag(name = "Batches")
class BatchController {

    private final BatchService batches;

    BatchController(BatchService batches) {
        this.batches = batches;
    }

    @Operation(
            operationId = "submitBatch",
            summary = "Submit a batch of changes",
            description = "1 to gateway.batch.max-items (1,000) items of change-dingtalk-id, make-visible, "
                    + "create-user, update-user and delete-user, each with the fields of its single call. Every "
                    + "item is validated first: one invalid item answers 400 batch.invalid with errors "
                    + "[{index, code, detail}] and nothing is queued; a scope an item needs and the caller lacks "
                    + "answers 403. Items are sent in the background at a share of the quota, each audited as its "
                    + "single call with the batch id.")
    @ApiResponse(responseCode = "202", description = "Queued; Location names the batch")
    @RequiresScope(RequiresScope.ANY_CALLER)
    @OperationProblems(
            kind = OperationKind.QUEUED_CHANGE,
            value = {GatewayProblem.BATCH_INVALID, GatewayProblem.CALLER_NOT_LINKED})
    @RequestExample(
            name = "two changes",
            json = "{\"items\":[{\"operation\":\"update-user\",\"userId\":\"user1001\","
                    + "\"changes\":{\"title\":\"Engineer\"}},"
                    + "{\"operation\":\"delete-user\",\"userId\":\"user1002\"}]}")
    @PostMapping
    ResponseEntity<BatchView> submit(@RequestBody BatchRequest request, Caller caller) {
        BatchView batch = batches.submit(caller, request);
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/batches/" + batch.id()))
                .body(batch);
    }

    @Operation(
            operationId = "batch",
            summary = "A batch's progress and each item's outcome",
            description = "Its creator, or scope audit:read; anyone else gets 404 batch.not-found. Each item "
                    + "shows the status, code and body its single call would have answered.")
    @RequiresScope(RequiresScope.ANY_CALLER)
    @OperationProblems(kind = OperationKind.LOCAL_READ, value = GatewayProblem.BATCH_NOT_FOUND)
    @GetMapping("/{id}")
    BatchView find(@PathVariable UUID id, Caller caller) {
        return batches.find(caller, id);
    }

    @Operation(
            operationId = "cancelBatch",
            summary = "Cancel what has not started",
            description = "Its creator only. Items not yet started become cancelled; one in flight finishes.")
    @RequiresScope(RequiresScope.ANY_CALLER)
    @OperationProblems(kind = OperationKind.QUEUED_CHANGE, value = GatewayProblem.BATCH_NOT_FOUND)
    @DeleteMapping("/{id}")
    BatchView cancel(@PathVariable UUID id, Caller caller) {
        return batches.cancel(caller, id);
    }

    @ExceptionHandler(InvalidBatchException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidBatchException invalid, HttpServletRequest request) {
        ProblemDetail body = Problems.of(GatewayProblem.BATCH_INVALID, invalid.getMessage(), request);
        body.setProperty("errors", invalid.errors());
        return ResponseEntity.badRequest().body(body);
    }
}
