-- +goose Up
-- Single sign-on with VNeID / the national public service portal (issue
-- 14). An account keeps the national TechID (sent to the portal as
-- MaDoiTuong) and whether it signs on through the national identity at
-- the required level (TaiKhoanDuocXacThucVoiVNeID).
ALTER TABLE accounts ADD COLUMN tech_id TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN vneid BOOLEAN NOT NULL DEFAULT FALSE;

-- The national identities linked to an account: one (issuer, subject)
-- signs on to one account.
CREATE TABLE account_identities (
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    level         INTEGER NOT NULL,
    linked_at     TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX account_identities_account ON account_identities (account_id);

-- Sign-on requests in flight (state → nonce, PKCE verifier, where to land)
-- and sign-ons waiting for the citizen to link an existing account: each
-- taken once (deleted as it is read), valid until expires_at.
CREATE TABLE signon_requests (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX signon_requests_expiry ON signon_requests (expires_at);

-- +goose Down
DROP TABLE signon_requests;
DROP TABLE account_identities;
ALTER TABLE accounts DROP COLUMN vneid;
ALTER TABLE accounts DROP COLUMN tech_id;
