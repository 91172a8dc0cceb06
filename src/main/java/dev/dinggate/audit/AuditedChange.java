package dev.dinggate.audit;

import org.jspecify.annotations.Nullable;

/**
 * What a feature is about to change, as the audit trail records it.
 *
 * @param operation stable operation name, e.g. {@code org-account.change-dingtalk-id}
 * @param target what is changed, e.g. a userId
 * @param summary a human summary with personal data already redacted (see {@link Redaction})
 * @param settlement what it takes to settle the outcome later if it is lost, when DingTalk offers a read
 *        that can; null when none can
 */
public record AuditedChange(
        String operation,
        String target,
        String summary,
        @Nullable Settlement settlement) {

    /** A change no later read can settle. */
    public AuditedChange(String operation, String target, String summary) {
        this(operation, target, summary, null);
    }
}
