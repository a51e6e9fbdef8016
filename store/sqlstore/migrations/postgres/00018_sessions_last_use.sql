-- +goose Up
-- Sessions (issue 14): when each was last used, so that one idle too long
-- is refused (written at most once a minute per session, not per request).
ALTER TABLE sessions ADD COLUMN last_used_at TIMESTAMPTZ;
UPDATE sessions SET last_used_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_used_at SET NOT NULL;

-- The failed-login throttle's state, shared by the nodes of a province: one
-- row per counter (a username at an address, an address, a username, a
-- usual address of a username), n and at its state (failures and the last
-- one, or a token bucket's tokens at a time), dropped once expires_at has
-- passed (a counter then is as good as new).
CREATE TABLE login_failures (
    key        TEXT PRIMARY KEY,
    n          DOUBLE PRECISION NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_expires ON login_failures (expires_at);

-- +goose Down
DROP TABLE login_failures;
ALTER TABLE sessions DROP COLUMN last_used_at;
