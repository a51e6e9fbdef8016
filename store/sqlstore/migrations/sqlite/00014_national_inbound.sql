-- +goose Up
-- A dossier submitted on the national portal and handed over to the
-- province (issue 13) keeps the portal's code (MaHoSo): a second delivery
-- of the same code finds the dossier instead of making another.
ALTER TABLE dossiers ADD COLUMN national_code TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX dossiers_national_code ON dossiers (national_code) WHERE national_code <> '';

-- Procedures of the national catalogue that the province's catalogue does
-- not have yet: drafts (a catalog.Procedure, possibly incomplete) that an
-- administrator completes with the province's form, workflow and
-- competent agency, then publishes into procedures.
CREATE TABLE procedure_drafts (
    code       TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE procedure_drafts;
DROP INDEX dossiers_national_code;
ALTER TABLE dossiers DROP COLUMN national_code;
