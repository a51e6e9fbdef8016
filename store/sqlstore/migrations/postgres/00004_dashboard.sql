-- +goose Up
-- What the leaders' dashboard and the inbox's filters count by, kept by
-- CreateDossier and UpdateDossier beside the JSON document:
--   commune_code    the competent commune (else the applicant's commune);
--   finished_at     when handling ended: done (status 9, kept when
--                   returned), or refused, withdrawn, stopped;
--   late            1 finished after the first appointment, 0 on time,
--                   NULL when not finished or without an appointment;
--   running_due_at  the deadline while its clock runs (open, not paused),
--                   NULL otherwise: overdue now = running_due_at < now.
ALTER TABLE dossiers ADD COLUMN commune_code TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN finished_at TIMESTAMPTZ;
ALTER TABLE dossiers ADD COLUMN late INTEGER;
ALTER TABLE dossiers ADD COLUMN running_due_at TIMESTAMPTZ;

UPDATE dossiers SET
    commune_code = COALESCE(NULLIF(data->>'commune_code', ''), data->'applicant'->>'commune_code', ''),
    finished_at = CASE
        WHEN data->>'finished_at' IS NOT NULL THEN (data->>'finished_at')::timestamptz
        WHEN status IN (3, 7, 8) THEN updated_at END,
    running_due_at = CASE WHEN status NOT IN (3, 7, 8, 9, 10) AND data->'deadline'->>'paused_at' IS NULL THEN due_at END;
UPDATE dossiers SET late = CASE
        WHEN (data->>'finished_at')::timestamptz > COALESCE(data->'apologies'->0->>'old_due_at', data->'deadline'->>'due')::timestamptz THEN 1
        ELSE 0 END
    WHERE data->>'finished_at' IS NOT NULL
      AND COALESCE(data->'apologies'->0->>'old_due_at', data->'deadline'->>'due') IS NOT NULL;

-- The dashboard: by agency and commune (an agency's scope is a prefix), by
-- period of submission, by period of finishing; the overdue.
CREATE INDEX dossiers_stats ON dossiers (competent_agency, commune_code, submitted_at, status, channel, finished_at, late, running_due_at);
CREATE INDEX dossiers_submitted ON dossiers (submitted_at, code);
CREATE INDEX dossiers_finished ON dossiers (finished_at, late, competent_agency, commune_code);
CREATE INDEX dossiers_running ON dossiers (running_due_at, competent_agency, commune_code, status);
CREATE INDEX dossiers_commune ON dossiers (commune_code, submitted_at);

-- Monthly counts kept by CreateDossier and UpdateDossier in the same
-- transaction, so that the dashboard reads whole months here instead of
-- grouping every dossier: level 0 per (competent agency, commune), level 1
-- per agency (commune ''), level 2 per commune (agency ''). submitted,
-- online and s1..s10 (dossiers by status now) count by month of
-- submission (Vietnam time); finished, on_time and late by month of
-- finishing.
CREATE TABLE dossier_counts (
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
);
CREATE INDEX dossier_counts_commune ON dossier_counts (level, commune, month);
INSERT INTO dossier_counts (level, agency, commune, month, submitted, online, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
SELECT 0, competent_agency, commune_code, to_char((submitted_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM'), count(*),
       sum(CASE WHEN channel = 2 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 1 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 2 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 3 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 4 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 5 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 6 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 7 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 8 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 9 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 10 THEN 1 ELSE 0 END)
FROM dossiers GROUP BY 1, 2, 3, 4;
INSERT INTO dossier_counts (level, agency, commune, month, finished, on_time, late)
SELECT 0, competent_agency, commune_code, to_char((finished_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM'), count(*),
       sum(CASE WHEN late = 0 THEN 1 ELSE 0 END), sum(CASE WHEN late = 1 THEN 1 ELSE 0 END)
FROM dossiers WHERE finished_at IS NOT NULL GROUP BY 1, 2, 3, 4
ON CONFLICT (level, agency, commune, month) DO UPDATE SET finished = excluded.finished, on_time = excluded.on_time, late = excluded.late;
INSERT INTO dossier_counts (level, agency, commune, month, submitted, online, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
SELECT 1, competent_agency, '', to_char((submitted_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM'), count(*),
       sum(CASE WHEN channel = 2 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 1 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 2 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 3 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 4 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 5 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 6 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 7 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 8 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 9 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 10 THEN 1 ELSE 0 END)
FROM dossiers GROUP BY 1, 2, 3, 4;
INSERT INTO dossier_counts (level, agency, commune, month, finished, on_time, late)
SELECT 1, competent_agency, '', to_char((finished_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM'), count(*),
       sum(CASE WHEN late = 0 THEN 1 ELSE 0 END), sum(CASE WHEN late = 1 THEN 1 ELSE 0 END)
FROM dossiers WHERE finished_at IS NOT NULL GROUP BY 1, 2, 3, 4
ON CONFLICT (level, agency, commune, month) DO UPDATE SET finished = excluded.finished, on_time = excluded.on_time, late = excluded.late;
INSERT INTO dossier_counts (level, agency, commune, month, submitted, online, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
SELECT 2, '', commune_code, to_char((submitted_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM'), count(*),
       sum(CASE WHEN channel = 2 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 1 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 2 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 3 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 4 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 5 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 6 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 7 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 8 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 9 THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 10 THEN 1 ELSE 0 END)
FROM dossiers GROUP BY 1, 2, 3, 4;
INSERT INTO dossier_counts (level, agency, commune, month, finished, on_time, late)
SELECT 2, '', commune_code, to_char((finished_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM'), count(*),
       sum(CASE WHEN late = 0 THEN 1 ELSE 0 END), sum(CASE WHEN late = 1 THEN 1 ELSE 0 END)
FROM dossiers WHERE finished_at IS NOT NULL GROUP BY 1, 2, 3, 4
ON CONFLICT (level, agency, commune, month) DO UPDATE SET finished = excluded.finished, on_time = excluded.on_time, late = excluded.late;

-- +goose Down
DROP TABLE dossier_counts;
DROP INDEX dossiers_commune;
DROP INDEX dossiers_running;
DROP INDEX dossiers_finished;
DROP INDEX dossiers_submitted;
DROP INDEX dossiers_stats;
ALTER TABLE dossiers DROP COLUMN running_due_at;
ALTER TABLE dossiers DROP COLUMN late;
ALTER TABLE dossiers DROP COLUMN finished_at;
ALTER TABLE dossiers DROP COLUMN commune_code;
