-- Batches (package batch) and the job table of db-scheduler, which works through them on whichever
-- replica is free. Portable SQL: runs on H2 and PostgreSQL.

-- db-scheduler 16.12.0's table, as its postgresql_tables.sql and hsql_tables.sql define it, with the
-- names as VARCHAR so that H2 can key on them.
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100)             NOT NULL,
    task_instance        VARCHAR(100)             NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            VARCHAR(50),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- A batch and the caller it runs as: each item is sent as its creator would have sent it alone.
CREATE TABLE batch (
    id                       UUID                     NOT NULL PRIMARY KEY,
    state                    VARCHAR(16)              NOT NULL, -- queued, running, completed, cancelled
    created_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at             TIMESTAMP WITH TIME ZONE,
    total                    INTEGER                  NOT NULL,
    creator                  VARCHAR(255)             NOT NULL,
    creator_client_id        VARCHAR(255),
    creator_dingtalk_user_id VARCHAR(64),
    creator_scopes           VARCHAR(2000)            NOT NULL  -- space-separated
);

-- An item: what to send, and how it ended. 'sending' is committed before DingTalk is called, so that an
-- item found 'sending' by another replica is never sent again: it becomes 'unknown'.
CREATE TABLE batch_item (
    batch_id       UUID          NOT NULL,
    item_index     INTEGER       NOT NULL,
    operation      VARCHAR(32)   NOT NULL,
    request        VARCHAR(16384) NOT NULL, -- the item as submitted (JSON)
    state          VARCHAR(16)   NOT NULL,  -- pending, sending, succeeded, failed, unknown, cancelled
    status         INTEGER,                 -- the HTTP status the single call would have answered
    code           VARCHAR(128),            -- its problem code, when it failed
    result         VARCHAR(16384),          -- its body (JSON)
    audit_event_id UUID,                    -- the audit row of the attempt, once sending
    PRIMARY KEY (batch_id, item_index)
);

CREATE INDEX batch_item_state ON batch_item (batch_id, state, item_index);
CREATE INDEX batch_item_audit_event ON batch_item (audit_event_id);

-- The batch an audited change was an item of (NULL for single calls).
ALTER TABLE audit_event ADD COLUMN batch_id UUID;
CREATE INDEX audit_event_batch ON audit_event (batch_id, occurred_at);
