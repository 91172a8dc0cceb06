package dev.dinggate.audit;

/**
 * What a feature is about to change, as the audit trail records it.
 *
 * @param operation stable operation name, e.g. {@code org-account.change-dingtalk-id}
 * @param target what is changed, e.g. a userId
 * @param summary a human summary with personal data already redacted (see {@link Redaction})
 */
public record AuditedChange(String operation, String target, String summary) {}
