package dev.dinggate.audit;

import jakarta.validation.Valid;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators and auditors read the trail here; nothing in the API edits or deletes it. */
@RestController
class AuditEventController {

    private final JdbcAuditStore store;

    AuditEventController(JdbcAuditStore store) {
        this.store = store;
    }

    @GetMapping("/api/v1/audit-events")
    AuditEventPage find(@Valid AuditEventQuery query) {
        return new AuditEventPage(store.find(query), query.pageNumber(), query.pageSize(), store.count(query));
    }
}
