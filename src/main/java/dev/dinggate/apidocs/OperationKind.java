package dev.dinggate.apidocs;

/** What an operation does, which decides the problems every operation of its kind can answer. */
public enum OperationKind {
    /** Reads the gateway's own data (the audit trail): never calls DingTalk. */
    LOCAL_READ(false, false),
    /** Reads from DingTalk; a read that timed out is safe to ask again. */
    DINGTALK_READ(true, false),
    /**
     * Calls DingTalk after recording the call in the audit trail, and takes an Idempotency-Key: the changes, and
     * the look-up by mobile number.
     */
    AUDITED_DINGTALK_CALL(true, true, true),
    /**
     * Records work the gateway does later (a batch, its cancellation): never calls DingTalk itself, takes an
     * Idempotency-Key.
     */
    QUEUED_CHANGE(false, false, true);

    private final boolean callsDingTalk;
    private final boolean audited;
    private final boolean keyed;

    OperationKind(boolean callsDingTalk, boolean audited) {
        this(callsDingTalk, audited, false);
    }

    OperationKind(boolean callsDingTalk, boolean audited, boolean keyed) {
        this.callsDingTalk = callsDingTalk;
        this.audited = audited;
        this.keyed = keyed;
    }

    /** Takes an Idempotency-Key (package idempotency). */
    public boolean keyed() {
        return keyed;
    }

    public boolean callsDingTalk() {
        return callsDingTalk;
    }

    public boolean audited() {
        return audited;
    }
}
