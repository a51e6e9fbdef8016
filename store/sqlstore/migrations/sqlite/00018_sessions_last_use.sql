-- +goose Up
-- Sessions (issue 14): when each was last used, so that one idle too long
-- is refused (written at most once a minute per session, not per request).
ALTER TABLE sessions ADD COLUMN last_used_at TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_used_at = created_at;

-- The failed-login throttle's state (see the PostgreSQL migration): one
-- row per counter, dropped once expires_at has passed.
CREATE TABLE login_failures (
    key        TEXT PRIMARY KEY,
    n          REAL NOT NULL,
    at         TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX login_failures_expires ON login_failures (expires_at);

-- +goose Down
DROP TABLE login_failures;
ALTER TABLE sessions DROP COLUMN last_used_at;
