-- +goose Up
-- Records of the shared datasets the platform hosts, one JSON object of
-- string fields each; subject is the citizen ID the record is about.
-- Rows go in arrival order (rowid), so that loading millions of records
-- appends to the table and only the narrow key index takes random inserts;
-- a dataset is scanned in that order through dataset_records_scan.
CREATE TABLE dataset_records (
    id         INTEGER PRIMARY KEY,
    dataset    TEXT NOT NULL,
    key        TEXT NOT NULL,
    subject    TEXT NOT NULL,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    source     TEXT NOT NULL
);
CREATE UNIQUE INDEX dataset_records_key ON dataset_records (dataset, key);
CREATE INDEX dataset_records_scan ON dataset_records (dataset);
-- Look-ups by person where the key is not the person (civil status, land,
-- enterprises): the population's key is its subject and needs no index.
CREATE INDEX dataset_records_subject ON dataset_records (subject, dataset) WHERE subject <> key;

CREATE TABLE dataset_quarantine (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset    TEXT NOT NULL,
    batch      TEXT NOT NULL,
    line       INTEGER NOT NULL,
    key        TEXT NOT NULL,
    data       TEXT NOT NULL,
    reasons    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX dataset_quarantine_dataset ON dataset_quarantine (dataset, id);

-- The personal document store.
CREATE TABLE documents (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    doc        TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX documents_owner ON documents (owner, created_at);

CREATE TABLE import_batches (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    doc        TEXT NOT NULL,
    started_at TEXT NOT NULL
);
CREATE INDEX import_batches_kind ON import_batches (kind, started_at);

-- +goose Down
DROP TABLE import_batches;
DROP TABLE documents;
DROP TABLE dataset_quarantine;
DROP TABLE dataset_records;
