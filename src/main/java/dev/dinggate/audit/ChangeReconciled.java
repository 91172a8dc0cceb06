package dev.dinggate.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Published after an UNKNOWN change was settled and its audit row updated, so that whatever waits on
 * the change (a batch item) can settle too.
 *
 * @param auditEventId the audit row
 * @param outcome SUCCEEDED or FAILED
 * @param reconciledAt when it was settled
 * @param how what DingTalk's read answered
 */
public record ChangeReconciled(UUID auditEventId, AuditOutcome outcome, Instant reconciledAt, String how) {}
