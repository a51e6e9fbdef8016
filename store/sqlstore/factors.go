package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/identity"
)

// Factor returns an account's second factor.
func (r Reader) Factor(ctx context.Context, accountID int64) (identity.Factor, error) {
	f := identity.Factor{AccountID: accountID}
	err := r.q.queryRow(ctx, "SELECT kind, secret, confirmed_at, last_used_step, created_at FROM account_factors WHERE account_id = ?", accountID).
		Scan(&f.Kind, &f.Secret, timeCol{&f.ConfirmedAt}, &f.LastUsedStep, timeCol{&f.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("factor.not_found", "Tài khoản chưa đăng ký xác thực hai lớp.", "no second factor")
	}
	if err != nil {
		return f, fmt.Errorf("read factor of account %d: %w", accountID, err)
	}
	return f, nil
}

// Challenge returns a pending login challenge.
func (r Reader) Challenge(ctx context.Context, tokenHash string) (identity.Challenge, error) {
	var c identity.Challenge
	err := r.q.queryRow(ctx, "SELECT token_hash, account_id, purpose, created_at, expires_at FROM login_challenges WHERE token_hash = ?", tokenHash).
		Scan(&c.TokenHash, &c.AccountID, &c.Purpose, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("challenge.not_found", "Phiên xác thực không tồn tại hoặc đã hết hạn.", "no such challenge")
	}
	if err != nil {
		return c, fmt.Errorf("read challenge: %w", err)
	}
	return c, nil
}

// nullTime is a nullable time column: NULL for the zero time.
func (q q) nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return q.ts(t)
}

// PutFactor stores an account's second factor.
func (t *Tx) PutFactor(ctx context.Context, f identity.Factor) error {
	_, err := t.q.exec(ctx, `INSERT INTO account_factors (account_id, kind, secret, confirmed_at, last_used_step, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET kind = excluded.kind, secret = excluded.secret, confirmed_at = excluded.confirmed_at,
		last_used_step = excluded.last_used_step, created_at = excluded.created_at`,
		f.AccountID, f.Kind, f.Secret, t.q.nullTime(f.ConfirmedAt), f.LastUsedStep, t.q.ts(f.CreatedAt))
	if isForeignKey(err) {
		return notFound("account.not_found", "Không tìm thấy tài khoản.", "account not found")
	}
	if err != nil {
		return fmt.Errorf("store factor of account %d: %w", f.AccountID, err)
	}
	return nil
}

// UseFactorStep records the step of an accepted code if it is later than
// the last one.
func (t *Tx) UseFactorStep(ctx context.Context, accountID, step int64) (bool, error) {
	res, err := t.q.exec(ctx, "UPDATE account_factors SET last_used_step = ? WHERE account_id = ? AND last_used_step < ?", step, accountID, step)
	if err != nil {
		return false, fmt.Errorf("use factor step of account %d: %w", accountID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DeleteFactor deletes an account's second factor and recovery codes.
func (t *Tx) DeleteFactor(ctx context.Context, accountID int64) (bool, error) {
	if _, err := t.q.exec(ctx, "DELETE FROM account_recovery_codes WHERE account_id = ?", accountID); err != nil {
		return false, fmt.Errorf("delete recovery codes of account %d: %w", accountID, err)
	}
	res, err := t.q.exec(ctx, "DELETE FROM account_factors WHERE account_id = ?", accountID)
	if err != nil {
		return false, fmt.Errorf("delete factor of account %d: %w", accountID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// PutRecoveryCodes replaces an account's recovery codes.
func (t *Tx) PutRecoveryCodes(ctx context.Context, accountID int64, hashes []string) error {
	if _, err := t.q.exec(ctx, "DELETE FROM account_recovery_codes WHERE account_id = ?", accountID); err != nil {
		return fmt.Errorf("replace recovery codes of account %d: %w", accountID, err)
	}
	for _, h := range hashes {
		if _, err := t.q.exec(ctx, "INSERT INTO account_recovery_codes (account_id, code_hash) VALUES (?, ?)", accountID, h); err != nil {
			return fmt.Errorf("store recovery code of account %d: %w", accountID, err)
		}
	}
	return nil
}

// UseRecoveryCode marks an unused recovery code of the account used.
func (t *Tx) UseRecoveryCode(ctx context.Context, accountID int64, hash string, at time.Time) (bool, error) {
	res, err := t.q.exec(ctx, "UPDATE account_recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL", t.q.ts(at), accountID, hash)
	if err != nil {
		return false, fmt.Errorf("use recovery code of account %d: %w", accountID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RecoveryCodesLeft counts an account's unused recovery codes.
func (r Reader) RecoveryCodesLeft(ctx context.Context, accountID int64) (int, error) {
	var n int
	if err := r.q.queryRow(ctx, "SELECT COUNT(*) FROM account_recovery_codes WHERE account_id = ? AND used_at IS NULL", accountID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recovery codes of account %d: %w", accountID, err)
	}
	return n, nil
}

// CreateChallenge stores a pending login challenge.
func (t *Tx) CreateChallenge(ctx context.Context, c identity.Challenge) error {
	_, err := t.q.exec(ctx, "INSERT INTO login_challenges (token_hash, account_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		c.TokenHash, c.AccountID, c.Purpose, t.q.ts(c.CreatedAt), t.q.ts(c.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create challenge: %w", err)
	}
	return nil
}

// DeleteChallenge deletes a challenge; true if it was there.
func (t *Tx) DeleteChallenge(ctx context.Context, tokenHash string) (bool, error) {
	res, err := t.q.exec(ctx, "DELETE FROM login_challenges WHERE token_hash = ?", tokenHash)
	if err != nil {
		return false, fmt.Errorf("delete challenge: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DeleteAccountChallenges deletes an account's pending challenges.
func (t *Tx) DeleteAccountChallenges(ctx context.Context, accountID int64) (int64, error) {
	res, err := t.q.exec(ctx, "DELETE FROM login_challenges WHERE account_id = ?", accountID)
	if err != nil {
		return 0, fmt.Errorf("delete challenges of account %d: %w", accountID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// DeleteExpiredChallenges deletes the challenges expired before now.
func (t *Tx) DeleteExpiredChallenges(ctx context.Context, now time.Time) (int64, error) {
	res, err := t.q.exec(ctx, "DELETE FROM login_challenges WHERE expires_at < ?", t.q.ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired challenges: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
