-- +goose Up
-- The audit log becomes several hash chains (see package audit): each
-- write transaction takes a free chain as it commits, so writes no longer
-- wait one behind another for a single head row. The entries so far are
-- chain 1; sequence numbers come from a database sequence, unique and
-- increasing in the whole log. 32 chains: as many as one node's
-- connections; more nodes share them (a transaction that finds every
-- chain taken waits for one, holding nothing another waits for).
ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;
CREATE TABLE audit_chains (
    chain INTEGER PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_chains (chain, seq, hash) SELECT 1, seq, hash FROM audit_head;
INSERT INTO audit_chains (chain, seq, hash)
SELECT g, 0, '0000000000000000000000000000000000000000000000000000000000000000' FROM generate_series(2, 32) g;
DROP TABLE audit_head;
CREATE SEQUENCE audit_seq;
SELECT setval('audit_seq', greatest((SELECT max(seq) FROM audit_log), 1), (SELECT max(seq) FROM audit_log) IS NOT NULL);

-- The dashboard's counts are kept in shards, one per audit chain: a
-- transaction adds to the rows of the chain it holds, so that the counts
-- of one busy commune are not one row every write waits for. Readers sum
-- over the shards, as they summed over months.
ALTER TABLE dossier_counts ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_counts DROP CONSTRAINT dossier_counts_pkey;
ALTER TABLE dossier_counts ADD PRIMARY KEY (level, agency, commune, month, shard);

-- +goose Down
-- Only a log kept in one chain goes back to one head.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_chains WHERE chain <> 1 AND seq > 0) THEN
        RAISE EXCEPTION 'the audit log has entries in several chains: it cannot go back to one head';
    END IF;
    IF (SELECT coalesce(max(seq), 0) - count(*) FROM audit_log) <> 0 THEN
        RAISE EXCEPTION 'the audit log has gaps in its sequence numbers: it cannot go back to one contiguous chain';
    END IF;
END $$;
-- +goose StatementEnd
CREATE TEMPORARY TABLE dossier_counts_one AS
SELECT level, agency, commune, month, sum(submitted) AS submitted, sum(online) AS online, sum(s1) AS s1, sum(s2) AS s2, sum(s3) AS s3,
       sum(s4) AS s4, sum(s5) AS s5, sum(s6) AS s6, sum(s7) AS s7, sum(s8) AS s8, sum(s9) AS s9, sum(s10) AS s10,
       sum(finished) AS finished, sum(on_time) AS on_time, sum(late) AS late
FROM dossier_counts GROUP BY 1, 2, 3, 4;
DELETE FROM dossier_counts;
ALTER TABLE dossier_counts DROP CONSTRAINT dossier_counts_pkey;
ALTER TABLE dossier_counts DROP COLUMN shard;
ALTER TABLE dossier_counts ADD PRIMARY KEY (level, agency, commune, month);
INSERT INTO dossier_counts (level, agency, commune, month, submitted, online, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, finished, on_time, late)
SELECT level, agency, commune, month, submitted, online, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, finished, on_time, late FROM dossier_counts_one;
DROP TABLE dossier_counts_one;
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) SELECT 1, seq, hash FROM audit_chains WHERE chain = 1;
DROP SEQUENCE audit_seq;
DROP TABLE audit_chains;
ALTER TABLE audit_log DROP COLUMN chain;
