-- +goose Up
-- Officials' second factor (issue 14): a TOTP secret per account (stored
-- as is: the platform has no sealing key; see docs/second-factor.md),
-- confirmed once its first code is checked, with the last time step
-- accepted so that a code is not used twice.
CREATE TABLE account_factors (
    account_id     INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    secret         TEXT NOT NULL,
    confirmed_at   TEXT,
    last_used_step BIGINT NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);
-- Ten single-use recovery codes, shown once, kept as SHA-256 hashes.
CREATE TABLE account_recovery_codes (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (account_id, code_hash)
);
-- A login whose password was right and whose second step (the code, or
-- the enrolment policy requires) is pending: a few minutes, used once.
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX login_challenges_account ON login_challenges (account_id);
CREATE INDEX login_challenges_expires ON login_challenges (expires_at);

-- +goose Down
DROP TABLE login_challenges;
DROP TABLE account_recovery_codes;
DROP TABLE account_factors;
