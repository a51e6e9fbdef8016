-- +goose Up
-- The province's dossiers pushed to the national public service portal
-- (issue 13): one row per dossier, queued in the transaction that changes
-- the dossier, claimed by the sync workers with a lease (next_at moved
-- ahead), settled with the portal's answer.
CREATE TABLE portal_sync (
    code           TEXT PRIMARY KEY,
    state          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    synced_version INTEGER NOT NULL DEFAULT 0,
    known          INTEGER NOT NULL DEFAULT 0,
    progress_sent  INTEGER NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT '',
    queued_at      TIMESTAMPTZ NOT NULL,
    next_at        TIMESTAMPTZ NOT NULL,
    synced_at      TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL
);
-- What the workers claim: the rows not synced, by when they are due.
CREATE INDEX portal_sync_due ON portal_sync (next_at) WHERE state <> 'synced';
CREATE INDEX portal_sync_state ON portal_sync (state, queued_at);

-- +goose Down
DROP TABLE portal_sync;
