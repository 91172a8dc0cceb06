package dev.dinggate.contact;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.dingtalk.DingTalkContacts;
import dev.dinggate.dingtalk.DingTalkException;
import dev.dinggate.directory.DirectoryReads;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.security.QuotaFree;
import dev.dinggate.security.RequiresScope;
import dev.dinggate.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/users}: every employee once, streamed as DingTalk is walked, in NDJSON (one
 * {@code {"userId"}} per line) or as one JSON array. A failure before the first employee is an
 * ordinary problem detail; after it, NDJSON ends with an {@code {"error": problem}} line and a JSON
 * array is cut off unterminated, so no client mistakes a partial list for a whole one.
 */
@RestController
@Tag(name = "Users")
class EmployeeListController {

    static final String NDJSON = "application/x-ndjson";
    private static final Logger log = LoggerFactory.getLogger(EmployeeListController.class);
    private static final int FLUSH_EVERY = 200;
    private static final long ROOT_DEPARTMENT = 1;

    private final DingTalkContacts contacts;
    private final DirectoryReads mirror;
    private final ContactProperties properties;
    private final JsonMapper json;

    EmployeeListController(
            DingTalkContacts contacts, DirectoryReads mirror, ContactProperties properties, JsonMapper json) {
        this.contacts = contacts;
        this.mirror = mirror;
        this.properties = properties;
        this.json = json;
    }

    @Operation(
            operationId = "listEmployees",
            summary = "Every employee, each once, streamed",
            description = "NDJSON: one "
                    + "{\"userId\"} per line, ending with {\"error\": problem} if the walk fails midway. From the "
                    + "directory mirror once it is ready (no DingTalk quota spent), else a walk of DingTalk.")
    @ApiResponse(
            responseCode = "200",
            description = "every employee once",
            content = {
                @Content(mediaType = NDJSON, schema = @Schema(implementation = EmployeeRef.class)),
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        array = @ArraySchema(schema = @Schema(implementation = EmployeeRef.class)))
            })
    @RequiresScope("users:read")
    @QuotaFree
    @OperationProblems(kind = OperationKind.DINGTALK_READ, value = GatewayProblem.DEPARTMENT_INVALID)
    @GetMapping(path = "/api/v1/users", produces = NDJSON)
    ResponseEntity<StreamingResponseBody> asNdjson(
            @RequestParam(required = false) @Nullable Long departmentId, HttpServletRequest request)
            throws InterruptedException {
        return stream(departmentId, request, true);
    }

    @Operation(hidden = true) // the same operation as above, answering in one JSON array
    @RequiresScope("users:read")
    @QuotaFree
    @OperationProblems(kind = OperationKind.DINGTALK_READ, value = GatewayProblem.DEPARTMENT_INVALID)
    @GetMapping(path = "/api/v1/users", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<StreamingResponseBody> asJsonArray(
            @RequestParam(required = false) @Nullable Long departmentId, HttpServletRequest request)
            throws InterruptedException {
        return stream(departmentId, request, false);
    }

    private ResponseEntity<StreamingResponseBody> stream(
            @Nullable Long departmentId, HttpServletRequest request, boolean ndjson) throws InterruptedException {
        long root = departmentId == null ? ROOT_DEPARTMENT : departmentId;
        if (root <= 0) {
            throw ContactProblems.departmentMinus7();
        }
        if (mirror.complete()) {
            return fromMirror(root, ndjson);
        }
        EmployeeWalk walk = new EmployeeWalk(contacts, root, properties.walkConcurrency());
        String first;
        try {
            first = walk.next();
        } catch (DingTalkException failure) {
            walk.close();
            throw ContactProblems.explain(failure);
        } catch (RuntimeException | InterruptedException failed) {
            walk.close();
            throw failed;
        }
        StreamingResponseBody body = out -> {
            try (walk) {
                write(walk, first, out, ndjson, request);
            }
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ndjson ? NDJSON : MediaType.APPLICATION_JSON_VALUE))
                .body(body);
    }

    /** The employees as the complete directory mirror holds them: nothing can fail once the answer has begun. */
    private ResponseEntity<StreamingResponseBody> fromMirror(long root, boolean ndjson) {
        if (!mirror.hasDepartment(root)) {
            throw ContactProblems.departmentNotInDirectory(root);
        }
        List<String> userIds = mirror.userIdsBelow(root);
        StreamingResponseBody body = out -> {
            if (!ndjson) {
                out.write('[');
            }
            for (int i = 0; i < userIds.size(); i++) {
                if (!ndjson && i > 0) {
                    out.write(',');
                }
                out.write(json.writeValueAsBytes(new EmployeeRef(userIds.get(i))));
                if (ndjson) {
                    out.write('\n');
                }
            }
            if (!ndjson) {
                out.write(']');
            }
            out.flush();
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ndjson ? NDJSON : MediaType.APPLICATION_JSON_VALUE))
                .body(body);
    }

    private void write(
            EmployeeWalk walk, @Nullable String first, OutputStream out, boolean ndjson, HttpServletRequest request)
            throws IOException {
        if (!ndjson) {
            out.write('[');
        }
        int written = 0;
        try {
            for (String userId = first; userId != null; userId = walk.next()) {
                if (!ndjson && written > 0) {
                    out.write(',');
                }
                out.write(json.writeValueAsBytes(new EmployeeRef(userId)));
                if (ndjson) {
                    out.write('\n');
                }
                if (++written % FLUSH_EVERY == 0) {
                    // Also how a caller that went away is noticed: the flush fails and the walk stops.
                    out.flush();
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException failed) {
            RuntimeException explained =
                    failed instanceof DingTalkException upstream ? ContactProblems.explain(upstream) : failed;
            log.warn("Employee walk failed after {} employees: {}", written, explained.getMessage());
            if (ndjson) {
                Problems.Answer answer = Problems.forFailure(explained, request);
                out.write(json.writeValueAsBytes(Map.of("error", Problems.asMap(answer.body()))));
                out.write('\n');
            }
            return;
        }
        if (!ndjson) {
            out.write(']');
        }
        out.flush();
    }
}
