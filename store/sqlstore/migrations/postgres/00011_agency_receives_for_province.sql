-- +goose Up
-- A counter receives the online dossiers of the whole province only when
-- it is configured to (issue 12); other counters receive those of their
-- own agency. Existing provincial service centres keep receiving for the
-- province, as every counter did before.
ALTER TABLE agencies ADD COLUMN receives_for_province BOOLEAN NOT NULL DEFAULT false;
UPDATE agencies SET receives_for_province = true WHERE kind = 'service_centre';

-- +goose Down
ALTER TABLE agencies DROP COLUMN receives_for_province;
