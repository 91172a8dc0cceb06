package dev.dinggate.audit;

import java.time.Instant;

/**
 * How an UNKNOWN change was settled later by reading DingTalk (package {@code reconciliation}).
 *
 * @param at when it was settled
 * @param how what DingTalk's read answered, e.g. {@code user read answered 60121}
 * @param from the outcome the row had before it was settled (UNKNOWN)
 */
public record Reconciliation(Instant at, String how, AuditOutcome from) {}
