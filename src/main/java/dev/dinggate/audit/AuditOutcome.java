package dev.dinggate.audit;

/** How an audited change ended. */
public enum AuditOutcome {
    /** Recorded, not yet answered; left behind only by a crash, and then marked {@link #UNKNOWN} at the next start. */
    PENDING,
    SUCCEEDED,
    /** DingTalk refused it, or it never reached DingTalk. */
    FAILED,
    /** It may or may not have been applied: the answer was lost, or the gateway stopped while waiting. */
    UNKNOWN
}
