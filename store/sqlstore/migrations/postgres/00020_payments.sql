-- +goose Up
-- Issue 15: fees are paid by bank transfer (VietQR) to the agency's
-- account, and the bank's callback names the transfer by its reference.
-- An agency's account for fees: JSON of unit.BankAccount, '' for none.
ALTER TABLE agencies ADD COLUMN bank TEXT NOT NULL DEFAULT '';

-- The payment references handed out, to find the dossier a callback pays.
CREATE TABLE payment_refs (
    reference    TEXT PRIMARY KEY,
    dossier_code TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE payment_refs;
ALTER TABLE agencies DROP COLUMN bank;
