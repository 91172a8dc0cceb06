-- Idempotency-Key answers (package idempotency): a row per key of a caller, inserted before the request
-- runs (the primary key lets one request on one replica win the key) and completed with the answer a
-- retry gets again. Portable SQL: runs on H2 and PostgreSQL.
CREATE TABLE idempotency_key (
    id           VARCHAR(64)              NOT NULL PRIMARY KEY, -- SHA-256 of principal, client and key
    fingerprint  VARCHAR(64)              NOT NULL,             -- SHA-256 of method, path and body
    attempt      UUID                     NOT NULL,             -- the request that holds the claim
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,             -- claim's end while running, then the retention's
    status       INTEGER,                                       -- NULL while the request runs
    content_type VARCHAR(255),
    location     VARCHAR(2048),
    body         BYTEA
);

CREATE INDEX idempotency_key_expiry ON idempotency_key (expires_at);
