-- +goose Up
-- Files made inside a transaction (a signed result), kept with the change
-- that made them until they are written to the file store after the
-- commit: a rollback leaves no file behind, and a commit loses none if the
-- process stops before the file is written (the next start writes it).
CREATE TABLE staged_files (
    sha256       TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    content      BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE staged_files;
