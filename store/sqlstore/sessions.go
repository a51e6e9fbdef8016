package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

const sessionCols = "token_hash, account_id, created_at, expires_at, last_used_at, ip, user_agent"

func scanSession(sc interface{ Scan(...any) error }, s *identity.Session) error {
	return sc.Scan(&s.TokenHash, &s.AccountID, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt}, lastUsedCol{&s.LastUsedAt}, &s.IP, &s.UserAgent)
}

// lastUsedCol scans last_used_at, which SQLite's migration left ” on no
// row but may on a row written by an older binary (then: the zero time).
type lastUsedCol struct{ t *time.Time }

func (c lastUsedCol) Scan(src any) error {
	if s, ok := src.(string); ok && s == "" {
		*c.t = time.Time{}
		return nil
	}
	return timeCol(c).Scan(src)
}

// AccountSessions returns an account's sessions, the most recently used
// first.
func (r Reader) AccountSessions(ctx context.Context, accountID int64) ([]identity.Session, error) {
	rows, err := r.q.query(ctx, "SELECT "+sessionCols+" FROM sessions WHERE account_id = ? ORDER BY last_used_at DESC, created_at DESC", accountID)
	if err != nil {
		return nil, fmt.Errorf("sessions of account %d: %w", accountID, err)
	}
	defer rows.Close()
	var list []identity.Session
	for rows.Next() {
		var s identity.Session
		if err := scanSession(rows, &s); err != nil {
			return nil, fmt.Errorf("sessions of account %d: %w", accountID, err)
		}
		list = append(list, s)
	}
	return list, rows.Err()
}

// TouchSession sets when a session was last used, unless it was later.
func (t *Tx) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	if _, err := t.q.exec(ctx, "UPDATE sessions SET last_used_at = ? WHERE token_hash = ? AND last_used_at < ?", t.q.ts(at), tokenHash, t.q.ts(at)); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// LoginCounters returns the counters of keys that have not expired at now.
func (r Reader) LoginCounters(ctx context.Context, now time.Time, keys ...string) (map[string]store.LoginCounter, error) {
	m := map[string]store.LoginCounter{}
	if len(keys) == 0 {
		return m, nil
	}
	args := []any{r.q.ts(now)}
	for _, k := range keys {
		args = append(args, k)
	}
	rows, err := r.q.query(ctx, "SELECT key, n, at, expires_at FROM login_failures WHERE expires_at > ? AND key IN (?"+strings.Repeat(", ?", len(keys)-1)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("login counters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c store.LoginCounter
		if err := rows.Scan(&c.Key, &c.N, timeCol{&c.At}, timeCol{&c.Expires}); err != nil {
			return nil, fmt.Errorf("login counters: %w", err)
		}
		m[c.Key] = c
	}
	return m, rows.Err()
}

// PutLoginCounters inserts or replaces counters.
func (t *Tx) PutLoginCounters(ctx context.Context, cs ...store.LoginCounter) error {
	for _, c := range cs {
		if c.Key == "" {
			return errors.New("put login counter: no key")
		}
		if _, err := t.q.exec(ctx, `INSERT INTO login_failures (key, n, at, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET n = excluded.n, at = excluded.at, expires_at = excluded.expires_at`,
			c.Key, c.N, t.q.ts(c.At), t.q.ts(c.Expires)); err != nil {
			return fmt.Errorf("put login counter: %w", err)
		}
	}
	return nil
}

// DeleteLoginCounters deletes the counters of keys.
func (t *Tx) DeleteLoginCounters(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if _, err := t.q.exec(ctx, "DELETE FROM login_failures WHERE key = ?", k); err != nil {
			return fmt.Errorf("delete login counter: %w", err)
		}
	}
	return nil
}

// DeleteExpiredLoginCounters deletes the counters expired at now.
func (t *Tx) DeleteExpiredLoginCounters(ctx context.Context, now time.Time) (int64, error) {
	res, err := t.q.exec(ctx, "DELETE FROM login_failures WHERE expires_at <= ?", t.q.ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired login counters: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
