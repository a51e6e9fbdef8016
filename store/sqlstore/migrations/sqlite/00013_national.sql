-- +goose Up
-- The national mode (motcua serve --national) receives the provinces'
-- dossier sync (dvcqg/PROTOCOL.md). A dossier's record is replaced by a
-- newer one: order_key is the latest of its dates (yyyyMMddHHmmss, which
-- sorts as text). The dates the statistics read are columns; the record
-- itself is kept whole.
CREATE TABLE national_dossiers (
    code            TEXT PRIMARY KEY,
    province_code   TEXT NOT NULL,
    procedure_code  TEXT NOT NULL,
    status          INTEGER NOT NULL,
    channel         INTEGER NOT NULL,
    submitted_at    TEXT NOT NULL,
    received_at     TEXT,
    due_at          TEXT,
    finished_at     TEXT,
    returned_at     TEXT,
    order_key       TEXT NOT NULL,
    record          TEXT NOT NULL,
    first_synced_at TEXT NOT NULL,
    synced_at       TEXT NOT NULL
);
CREATE INDEX national_dossiers_province ON national_dossiers (province_code, submitted_at);

-- Progress entries carry no ID: key is a digest of what identifies one
-- (dvcqg.Progress.Key), unique per dossier, so a retry stores nothing
-- twice. Read in the order of at (ThoiDiemXuLy), then id (arrival).
CREATE TABLE national_progress (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL,
    key           TEXT NOT NULL,
    province_code TEXT NOT NULL,
    status        INTEGER NOT NULL,
    at            TEXT NOT NULL,
    entry         TEXT NOT NULL,
    synced_at     TEXT NOT NULL,
    UNIQUE (code, key)
);

-- +goose Down
DROP TABLE national_progress;
DROP TABLE national_dossiers;
