package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/notify"
	"github.com/motcua/motcua/store"
)

const notificationCols = "key, dossier_code, event, channel, recipient, subject, body, state, attempts, last_error, created_at, next_at, sent_at"

func scanNotification(sc interface{ Scan(...any) error }) (store.Notification, error) {
	var n store.Notification
	var event, channel string
	err := sc.Scan(&n.Key, &n.DossierCode, &event, &channel, &n.Recipient, &n.Subject, &n.Body, &n.State, &n.Attempts, &n.LastError,
		timeCol{&n.CreatedAt}, timeCol{&n.NextAt}, timeCol{&n.SentAt})
	n.Event, n.Channel = notify.Event(event), notify.Channel(channel)
	return n, err
}

// QueueNotifications inserts the rows whose key is new.
func (t *Tx) QueueNotifications(ctx context.Context, ns []store.Notification) (int, error) {
	total := 0
	for _, n := range ns {
		if n.Key == "" || n.State == "" {
			return total, fmt.Errorf("queue notification %q: no key or state", n.Key)
		}
		res, err := t.q.exec(ctx, `INSERT INTO notifications (`+notificationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO NOTHING`,
			n.Key, n.DossierCode, string(n.Event), string(n.Channel), n.Recipient, n.Subject, n.Body, n.State, n.Attempts, n.LastError,
			t.q.ts(n.CreatedAt), t.q.ts(n.NextAt), t.q.tsOrNull(n.SentAt))
		if err != nil {
			return total, fmt.Errorf("queue notification %s: %w", n.Key, err)
		}
		k, _ := res.RowsAffected()
		total += int(k)
	}
	return total, nil
}

// ClaimNotifications leases due rows (claimDue).
func (t *Tx) ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Notification, error) {
	out, err := claimDue(ctx, t, "notifications", "key", "state = 'pending'", "next_at, key", notificationCols, scanNotification, now, lease, limit)
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	return out, nil
}

// PutNotification settles a claimed row.
func (t *Tx) PutNotification(ctx context.Context, n store.Notification) error {
	switch n.State {
	case store.NotifyPending, store.NotifySent, store.NotifyFailed:
	default:
		return fmt.Errorf("put notification %s: state %q", n.Key, n.State)
	}
	res, err := t.q.exec(ctx, `UPDATE notifications SET state = ?, attempts = ?, last_error = ?, next_at = ?, sent_at = ? WHERE key = ?`,
		n.State, n.Attempts, n.LastError, t.q.ts(n.NextAt), t.q.tsOrNull(n.SentAt), n.Key)
	if err != nil {
		return fmt.Errorf("put notification %s: %w", n.Key, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return errs.New(errs.NotFound, "notification.not_found", "Không tìm thấy thông báo "+n.Key+".", "no notification "+n.Key)
	}
	return nil
}

// PutNotificationPrefs upserts an account's choice.
func (t *Tx) PutNotificationPrefs(ctx context.Context, p notify.Prefs) error {
	chans := make([]string, len(p.Channels))
	for i, c := range p.Channels {
		chans[i] = string(c)
	}
	_, err := t.q.exec(ctx, `INSERT INTO notification_prefs (account_id, channels, lang, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET channels = excluded.channels, lang = excluded.lang, updated_at = excluded.updated_at`,
		p.AccountID, strings.Join(chans, ","), notify.Lang(p.Lang), t.q.ts(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put notification preferences of account %d: %w", p.AccountID, err)
	}
	return nil
}

// Notifications lists a dossier's rows.
func (r Reader) Notifications(ctx context.Context, dossierCode string) ([]store.Notification, error) {
	rows, err := r.q.query(ctx, "SELECT "+notificationCols+" FROM notifications WHERE dossier_code = ? ORDER BY created_at, key", dossierCode)
	if err != nil {
		return nil, fmt.Errorf("list notifications of %s: %w", dossierCode, err)
	}
	defer rows.Close()
	var out []store.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, fmt.Errorf("list notifications of %s: %w", dossierCode, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NotificationCounts counts the rows by state.
func (r Reader) NotificationCounts(ctx context.Context) (store.NotificationCounts, error) {
	c := store.NotificationCounts{ByState: map[string]int{}}
	rows, err := r.q.query(ctx, "SELECT state, count(*), min(created_at) FROM notifications GROUP BY state")
	if err != nil {
		return c, fmt.Errorf("count notifications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		var oldest time.Time
		if err := rows.Scan(&state, &n, timeCol{&oldest}); err != nil {
			return c, fmt.Errorf("count notifications: %w", err)
		}
		c.ByState[state] = n
		if state == store.NotifyPending {
			c.OldestPending = oldest
		}
	}
	return c, rows.Err()
}

// NotificationPrefs reads an account's choice.
func (r Reader) NotificationPrefs(ctx context.Context, accountID int64) (notify.Prefs, error) {
	p := notify.Prefs{AccountID: accountID}
	var chans string
	err := r.q.queryRow(ctx, "SELECT channels, lang, updated_at FROM notification_prefs WHERE account_id = ?", accountID).
		Scan(&chans, &p.Lang, timeCol{&p.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.New(errs.NotFound, "notification_prefs.not_found", "Tài khoản chưa chọn cách nhận thông báo.", "no notification preferences")
	}
	if err != nil {
		return p, fmt.Errorf("read notification preferences of account %d: %w", accountID, err)
	}
	for c := range strings.SplitSeq(chans, ",") {
		if c != "" {
			p.Channels = append(p.Channels, notify.Channel(c))
		}
	}
	return p, nil
}
