package dev.dinggate.reconciliation;

import dev.dinggate.audit.AuditOutcome;

/** What one check learned about an UNKNOWN change. */
sealed interface Verdict {

    /** DingTalk's read settles it. */
    record Settled(AuditOutcome outcome, String how) implements Verdict {}

    /** Not yet: a later check may settle it (DingTalk's read failed, or may lag its write). */
    record NotYet(String why) implements Verdict {}

    /** No check will ever settle it soundly: it stays UNKNOWN for a person. */
    record Never(String why) implements Verdict {}
}
