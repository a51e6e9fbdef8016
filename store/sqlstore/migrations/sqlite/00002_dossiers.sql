-- +goose Up
CREATE TABLE files (
    id           TEXT PRIMARY KEY,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    name         TEXT NOT NULL,
    owner_id     INTEGER NOT NULL,
    created_at   TEXT NOT NULL
);

-- The daily sequence of dossier codes, per agency.
CREATE TABLE dossier_seq (
    agency_id TEXT NOT NULL,
    day       TEXT NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (agency_id, day)
);

CREATE TABLE dossiers (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    procedure_code   TEXT NOT NULL,
    status           INTEGER NOT NULL,
    channel          INTEGER NOT NULL,
    applicant_id     INTEGER NOT NULL,
    receiving_agency TEXT NOT NULL,
    competent_agency TEXT NOT NULL,
    step_role     TEXT NOT NULL,
    step_agency   TEXT NOT NULL,
    submitted_at     TEXT NOT NULL,
    received_at      TEXT,
    due_at           TEXT,
    data             TEXT NOT NULL,
    version          INTEGER NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX dossiers_applicant ON dossiers (applicant_id, submitted_at);
CREATE INDEX dossiers_step ON dossiers (step_role, step_agency, due_at);
CREATE INDEX dossiers_competent ON dossiers (competent_agency, received_at);
CREATE INDEX dossiers_receiving ON dossiers (receiving_agency, status);

-- Events written in the same transaction as the change they announce; a
-- relay publishes them after commit.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    topic        TEXT NOT NULL,
    key          TEXT NOT NULL,
    payload      TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX outbox_pending ON outbox (published_at, id);

-- +goose Down
DROP TABLE outbox;
DROP TABLE dossiers;
DROP TABLE dossier_seq;
DROP TABLE files;
