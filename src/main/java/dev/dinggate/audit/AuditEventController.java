package dev.dinggate.audit;

import dev.dinggate.apidocs.OperationKind;
import dev.dinggate.apidocs.OperationProblems;
import dev.dinggate.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators and auditors read the trail here; nothing in the API edits or deletes it. */
@RestController
@Tag(name = "Audit")
class AuditEventController {

    private final JdbcAuditStore store;

    AuditEventController(JdbcAuditStore store) {
        this.store = store;
    }

    @Operation(
            operationId = "findAuditEvents",
            summary = "Audit events, newest first",
            description = "Filters combine with AND.")
    @RequiresScope("audit:read")
    @OperationProblems(kind = OperationKind.LOCAL_READ)
    @GetMapping("/api/v1/audit-events")
    AuditEventPage find(@Valid @ParameterObject AuditEventQuery query) {
        return new AuditEventPage(store.find(query), query.pageNumber(), query.pageSize(), store.count(query));
    }
}
