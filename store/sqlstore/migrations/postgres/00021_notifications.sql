-- +goose Up
-- What the applicants are told of their dossiers (issue 15): one row per
-- message, queued in the transaction that changes the dossier, its key
-- "<dossier>/<event>[/<version>]/<channel>" so that an event is told once
-- on each channel whatever is retried; claimed by the workers with a lease
-- (next_at moved ahead), settled sent or, after the last attempt, failed.
CREATE TABLE notifications (
    key          TEXT PRIMARY KEY,
    dossier_code TEXT NOT NULL,
    event        TEXT NOT NULL,
    channel      TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    next_at      TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ
);
-- What the workers claim: the rows pending, by when they are due.
CREATE INDEX notifications_due ON notifications (next_at) WHERE state = 'pending';
CREATE INDEX notifications_dossier ON notifications (dossier_code, created_at);

-- How each account wants to be told: its channels (comma-separated) and
-- language. No row: e-mail when the account has an address, Vietnamese.
CREATE TABLE notification_prefs (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    channels   TEXT NOT NULL,
    lang       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE notifications;
