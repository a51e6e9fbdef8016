-- +goose Up
-- Issue 15: how an agency's electronic results are signed, part of the
-- province configuration its IT administrator manages: 'seal' (the
-- agency's seal certificate with the signer's name, as before) or
-- 'personal' (the personal certificate of the official who signs).
ALTER TABLE agencies ADD COLUMN signature_mode TEXT NOT NULL DEFAULT 'seal';

-- +goose Down
ALTER TABLE agencies DROP COLUMN signature_mode;
