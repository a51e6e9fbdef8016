-- +goose Up
-- A citizen's rating of how a dossier was handled, once per dossier.
CREATE TABLE ratings (
    dossier_code TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL,
    stars        INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment      TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE ratings;
