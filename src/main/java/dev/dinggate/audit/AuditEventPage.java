package dev.dinggate.audit;

import java.util.List;

/** A page of audit events, newest first; {@code totalItems} counts every match across pages. */
record AuditEventPage(List<AuditEvent> items, int page, int size, long totalItems) {}
