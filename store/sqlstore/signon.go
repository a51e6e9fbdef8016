package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// AccountByIdentity returns the account a national identity is linked to.
func (r Reader) AccountByIdentity(ctx context.Context, issuer, subject string) (identity.Account, error) {
	return r.accountWhere(ctx, "id = (SELECT account_id FROM account_identities WHERE issuer = ? AND subject = ?)", issuer, subject)
}

// AccountByKey returns the account of kind with key.
func (r Reader) AccountByKey(ctx context.Context, kind identity.Kind, key string) (identity.Account, error) {
	col := map[identity.Kind]string{identity.KindCitizen: "citizen_id", identity.KindEnterprise: "tax_code", identity.KindOrganization: "tech_id"}[kind]
	if col == "" || key == "" {
		return identity.Account{}, notFound("account.not_found", "Không tìm thấy tài khoản.", "account not found")
	}
	return r.accountWhere(ctx, "kind = ? AND "+col+" = ? ORDER BY id LIMIT 1", string(kind), key)
}

// PutSignOnRequest stores a sign-on in flight.
func (t *Tx) PutSignOnRequest(ctx context.Context, r store.SignOnRequest) error {
	if _, err := t.q.exec(ctx, "INSERT INTO signon_requests (id, kind, data, expires_at) VALUES (?, ?, ?, ?)", r.ID, r.Kind, string(r.Data), t.q.ts(r.ExpiresAt)); err != nil {
		return fmt.Errorf("store sign-on request: %w", err)
	}
	return nil
}

// TakeSignOnRequest deletes and returns a sign-on request.
func (t *Tx) TakeSignOnRequest(ctx context.Context, id, kind string, now time.Time) (store.SignOnRequest, error) {
	if _, err := t.q.exec(ctx, "DELETE FROM signon_requests WHERE expires_at <= ?", t.q.ts(now)); err != nil {
		return store.SignOnRequest{}, fmt.Errorf("expire sign-on requests: %w", err)
	}
	r := store.SignOnRequest{ID: id, Kind: kind}
	var data string
	err := t.q.queryRow(ctx, "DELETE FROM signon_requests WHERE id = ? AND kind = ? RETURNING data, expires_at", id, kind).Scan(&data, timeCol{&r.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.New(errs.NotFound, "signon.request_unknown", "Yêu cầu đăng nhập không hợp lệ, đã được dùng hoặc đã hết hạn; xin đăng nhập lại.",
			"unknown, used or expired sign-on request")
	}
	if err != nil {
		return r, fmt.Errorf("take sign-on request: %w", err)
	}
	r.Data = []byte(data)
	return r, nil
}

// LinkIdentity upserts the link of a national identity.
func (t *Tx) LinkIdentity(ctx context.Context, issuer, subject string, accountID int64, level int, at time.Time) error {
	ts := t.q.ts(at)
	_, err := t.q.exec(ctx, `INSERT INTO account_identities (issuer, subject, account_id, level, linked_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (issuer, subject) DO UPDATE SET level = excluded.level, last_login_at = excluded.last_login_at`,
		issuer, subject, accountID, level, ts, ts)
	if err != nil {
		return fmt.Errorf("link identity to account %d: %w", accountID, err)
	}
	return nil
}
