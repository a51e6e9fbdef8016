-- +goose Up
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE agencies (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    sector        TEXT NOT NULL DEFAULT '',
    province_code TEXT NOT NULL,
    commune_code  TEXT NOT NULL DEFAULT '',
    parent_id     TEXT NOT NULL DEFAULT '',
    office_hours  TEXT NOT NULL,
    provisional   INTEGER NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL
);
CREATE INDEX agencies_kind ON agencies (kind, sector, commune_code);

CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    username          TEXT NOT NULL UNIQUE,
    display_name      TEXT NOT NULL,
    kind              TEXT NOT NULL,
    citizen_id        TEXT NOT NULL DEFAULT '',
    identity_verified INTEGER NOT NULL DEFAULT 0,
    tax_code          TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    commune_code      TEXT NOT NULL DEFAULT '',
    disabled          INTEGER NOT NULL DEFAULT 0,
    password_hash     TEXT NOT NULL,
    search            TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL
);
CREATE INDEX accounts_citizen_id ON accounts (citizen_id);

CREATE TABLE account_grants (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    agency_id  TEXT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (account_id, role, agency_id)
);
CREATE INDEX account_grants_agency ON account_grants (agency_id, role);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE procedures (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    field         TEXT NOT NULL,
    level         TEXT NOT NULL,
    online_level  TEXT NOT NULL,
    days          INTEGER NOT NULL,
    hours         INTEGER NOT NULL,
    name_lower    TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    data          TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX procedures_field ON procedures (field, level);

-- Full-text index over the folded (diacritic-free) name, field and code.
-- Contentless, keyed by procedures.id: a match yields ids straight from the
-- index without reading stored text; prefix indexes serve the last word
-- typed ("khai s").
CREATE VIRTUAL TABLE procedures_fts USING fts5 (search, tokenize = 'unicode61', prefix = '1 2 3', content = '', contentless_delete = 1);

CREATE TABLE schedules (
    year INTEGER PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    ip        TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_object ON audit_log (object, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The audit log is append-only.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE schedules;
DROP TABLE procedures_fts;
DROP TABLE procedures;
DROP TABLE sessions;
DROP TABLE account_grants;
DROP TABLE accounts;
DROP TABLE agencies;
DROP TABLE meta;
