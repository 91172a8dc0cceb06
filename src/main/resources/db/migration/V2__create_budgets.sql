-- Rate budgets every replica shares (Bucket4j's PostgreSQL back-end, select-for-update variant):
-- one row per budget, its state in Bucket4j's own binary form. The back-end first inserts a row with
-- no state and fills it in the same turn, so state must allow NULL. expires_at is epoch milliseconds.
CREATE TABLE quota_budget (
    id         VARCHAR(255) NOT NULL PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);

-- Request budgets of clients: a row per client, dropped once the client has gone quiet.
CREATE TABLE client_budget (
    id         VARCHAR(255) NOT NULL PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
