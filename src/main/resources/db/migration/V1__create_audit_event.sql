-- The audit trail: one row per change (and per look-up by mobile number), written PENDING before
-- DingTalk is called and completed afterwards. Portable SQL: runs on H2 and PostgreSQL.
CREATE TABLE audit_event (
    id                     UUID                     NOT NULL PRIMARY KEY,
    occurred_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at           TIMESTAMP WITH TIME ZONE,
    duration_ms            BIGINT,
    actor                  VARCHAR(255)             NOT NULL,
    client_id              VARCHAR(255),
    actor_dingtalk_user_id VARCHAR(64),
    operation              VARCHAR(64)              NOT NULL,
    target                 VARCHAR(255)             NOT NULL,
    summary                VARCHAR(1000)            NOT NULL,
    outcome                VARCHAR(16)              NOT NULL,
    failure                VARCHAR(128),
    upstream_code          VARCHAR(128),
    upstream_request_id    VARCHAR(128),
    request_id             VARCHAR(64)              NOT NULL
    -- outcome: PENDING, SUCCEEDED, FAILED or UNKNOWN (AuditOutcome). No CHECK constraint: H2 2.4
    -- fails to evaluate one inside Flyway's session, and the store only ever writes enum names.
);

CREATE INDEX audit_event_order ON audit_event (occurred_at, id);
CREATE INDEX audit_event_actor ON audit_event (actor, occurred_at);
CREATE INDEX audit_event_target ON audit_event (target, occurred_at);
CREATE INDEX audit_event_outcome_idx ON audit_event (outcome, occurred_at);
