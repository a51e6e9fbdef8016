-- +goose Up
-- Disabling an account deletes its sessions (DeleteAccountSessions).
CREATE INDEX sessions_account ON sessions (account_id);

-- +goose Down
DROP INDEX sessions_account;
