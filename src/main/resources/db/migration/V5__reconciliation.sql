-- Reconciliation of changes whose outcome is UNKNOWN (package reconciliation). Portable SQL: runs on
-- H2 and PostgreSQL.

-- What it takes to settle a change later (the mobile number a user was created with, the fields an
-- update sent): written in the same transaction as the PENDING audit row, so that a crash before the
-- outcome still leaves it, and deleted as soon as the outcome is known (completed SUCCEEDED or FAILED,
-- settled by the reconciler, or given up). It holds personal data, so it is never kept in audit_event,
-- whose summary is redacted, and never longer than needed.
CREATE TABLE audit_settlement (
    audit_event_id UUID                     NOT NULL PRIMARY KEY, -- audit_event.id
    kind           VARCHAR(64)              NOT NULL,             -- which check settles it, e.g. user.create
    facts          VARCHAR(8000)            NOT NULL,             -- JSON, read only by that check
    recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts       INTEGER                  NOT NULL DEFAULT 0,   -- checks that settled nothing so far
    next_check_at  TIMESTAMP WITH TIME ZONE,                      -- NULL: first check once the row is UNKNOWN for the delay
    claimed_until  TIMESTAMP WITH TIME ZONE,                      -- one replica's lease on the check
    claimed_by     UUID
);

-- How the reconciler settled a row: the outcome moves to SUCCEEDED or FAILED, and these say when, how
-- (what DingTalk answered) and from which outcome (always UNKNOWN today), so the original is not lost.
ALTER TABLE audit_event ADD COLUMN reconciled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE audit_event ADD COLUMN reconciled_how VARCHAR(255);
ALTER TABLE audit_event ADD COLUMN reconciled_from VARCHAR(16);
