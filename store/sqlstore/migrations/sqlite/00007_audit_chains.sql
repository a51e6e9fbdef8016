-- +goose Up
-- The audit log becomes several hash chains (see package audit). SQLite has
-- one writer at a time and keeps one chain, chain 1; the schema is
-- PostgreSQL's, where each write transaction takes a free chain.
ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;
CREATE TABLE audit_chains (
    chain INTEGER PRIMARY KEY,
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_chains (chain, seq, hash) SELECT 1, seq, hash FROM audit_head;
DROP TABLE audit_head;

-- The dashboard's counts are kept in shards, one per audit chain (see the
-- PostgreSQL migration); SQLite writes shard 0 only.
CREATE TABLE dossier_counts_sharded (
    level     INTEGER NOT NULL,
    agency    TEXT NOT NULL,
    commune   TEXT NOT NULL,
    month     TEXT NOT NULL,
    shard     INTEGER NOT NULL DEFAULT 0,
    submitted INTEGER NOT NULL DEFAULT 0,
    online    INTEGER NOT NULL DEFAULT 0,
    s1 INTEGER NOT NULL DEFAULT 0, s2 INTEGER NOT NULL DEFAULT 0, s3 INTEGER NOT NULL DEFAULT 0, s4 INTEGER NOT NULL DEFAULT 0, s5 INTEGER NOT NULL DEFAULT 0,
    s6 INTEGER NOT NULL DEFAULT 0, s7 INTEGER NOT NULL DEFAULT 0, s8 INTEGER NOT NULL DEFAULT 0, s9 INTEGER NOT NULL DEFAULT 0, s10 INTEGER NOT NULL DEFAULT 0,
    finished  INTEGER NOT NULL DEFAULT 0,
    on_time   INTEGER NOT NULL DEFAULT 0,
    late      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (level, agency, commune, month, shard)
) WITHOUT ROWID;
INSERT INTO dossier_counts_sharded (level, agency, commune, month, shard, submitted, online, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, finished, on_time, late)
SELECT level, agency, commune, month, 0, submitted, online, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, finished, on_time, late FROM dossier_counts;
DROP TABLE dossier_counts;
ALTER TABLE dossier_counts_sharded RENAME TO dossier_counts;
CREATE INDEX dossier_counts_commune ON dossier_counts (level, commune, month);

-- +goose Down
CREATE TABLE dossier_counts_one (
    level     INTEGER NOT NULL,
    agency    TEXT NOT NULL,
    commune   TEXT NOT NULL,
    month     TEXT NOT NULL,
    submitted INTEGER NOT NULL DEFAULT 0,
    online    INTEGER NOT NULL DEFAULT 0,
    s1 INTEGER NOT NULL DEFAULT 0, s2 INTEGER NOT NULL DEFAULT 0, s3 INTEGER NOT NULL DEFAULT 0, s4 INTEGER NOT NULL DEFAULT 0, s5 INTEGER NOT NULL DEFAULT 0,
    s6 INTEGER NOT NULL DEFAULT 0, s7 INTEGER NOT NULL DEFAULT 0, s8 INTEGER NOT NULL DEFAULT 0, s9 INTEGER NOT NULL DEFAULT 0, s10 INTEGER NOT NULL DEFAULT 0,
    finished  INTEGER NOT NULL DEFAULT 0,
    on_time   INTEGER NOT NULL DEFAULT 0,
    late      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (level, agency, commune, month)
) WITHOUT ROWID;
INSERT INTO dossier_counts_one SELECT level, agency, commune, month, sum(submitted), sum(online), sum(s1), sum(s2), sum(s3), sum(s4), sum(s5),
    sum(s6), sum(s7), sum(s8), sum(s9), sum(s10), sum(finished), sum(on_time), sum(late) FROM dossier_counts GROUP BY 1, 2, 3, 4;
DROP TABLE dossier_counts;
ALTER TABLE dossier_counts_one RENAME TO dossier_counts;
CREATE INDEX dossier_counts_commune ON dossier_counts (level, commune, month);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) SELECT 1, seq, hash FROM audit_chains WHERE chain = 1;
DROP TABLE audit_chains;
ALTER TABLE audit_log DROP COLUMN chain;
