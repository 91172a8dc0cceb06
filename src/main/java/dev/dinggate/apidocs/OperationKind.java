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
    AUDITED_DINGTALK_CALL(true, true);

    private final boolean callsDingTalk;
    private final boolean audited;

    OperationKind(boolean callsDingTalk, boolean audited) {
        this.callsDingTalk = callsDingTalk;
        this.audited = audited;
    }

    public boolean callsDingTalk() {
        return callsDingTalk;
    }

    public boolean audited() {
        return audited;
    }
}
