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
    office_hours  JSONB NOT NULL,
    provisional   BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX agencies_kind ON agencies (kind, sector, commune_code);

CREATE TABLE accounts (
    id                BIGSERIAL PRIMARY KEY,
    username          TEXT NOT NULL UNIQUE,
    display_name      TEXT NOT NULL,
    kind              TEXT NOT NULL,
    citizen_id        TEXT NOT NULL DEFAULT '',
    identity_verified BOOLEAN NOT NULL DEFAULT FALSE,
    tax_code          TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    commune_code      TEXT NOT NULL DEFAULT '',
    disabled          BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash     TEXT NOT NULL,
    search            TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX accounts_citizen_id ON accounts (citizen_id);

CREATE TABLE account_grants (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    agency_id  TEXT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (account_id, role, agency_id)
);
CREATE INDEX account_grants_agency ON account_grants (agency_id, role);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE procedures (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    field         TEXT NOT NULL,
    level         TEXT NOT NULL,
    online_level  TEXT NOT NULL,
    days          INTEGER NOT NULL,
    hours         INTEGER NOT NULL,
    name_lower    TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    search        TSVECTOR NOT NULL,
    data          JSONB NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX procedures_field ON procedures (field, level);
-- Full-text index over the folded (diacritic-free) name, field and code.
-- fastupdate off: the catalogue changes rarely and is searched often, so
-- entries go straight into the index instead of a pending list every
-- search would scan.
CREATE INDEX procedures_search ON procedures USING GIN (search) WITH (fastupdate = off);

CREATE TABLE schedules (
    year INTEGER PRIMARY KEY,
    data JSONB NOT NULL
);

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor_id  BIGINT NOT NULL,
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
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The audit log is append-only.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only CASCADE;
DROP TABLE schedules;
DROP TABLE procedures;
DROP TABLE sessions;
DROP TABLE account_grants;
DROP TABLE accounts;
DROP TABLE agencies;
DROP TABLE meta;
