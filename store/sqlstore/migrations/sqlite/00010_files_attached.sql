-- +goose Up
-- An upload is attached once a dossier's component references it
-- (issue 12): attached uploads count no more against the account's quota
-- of unattached bytes, and unattached ones older than a day are cleaned
-- up. Uploads that older releases attached are found by their id in the
-- dossiers' data (a random 32-hex id, so a match is the reference).
ALTER TABLE files ADD COLUMN attached INTEGER NOT NULL DEFAULT 0;
UPDATE files SET attached = 1 WHERE EXISTS (SELECT 1 FROM dossiers d WHERE d.data LIKE '%' || files.id || '%');
CREATE INDEX files_owner ON files (owner_id, created_at);
CREATE INDEX files_unattached ON files (attached, created_at);
CREATE INDEX files_sha256 ON files (sha256);

-- +goose Down
DROP INDEX files_sha256;
DROP INDEX files_unattached;
DROP INDEX files_owner;
ALTER TABLE files DROP COLUMN attached;
