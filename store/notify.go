package store

import (
	"context"
	"time"

	"github.com/motcua/motcua/notify"
)

// Notifications to applicants (issue 15): queued in the transaction that
// changes the dossier, sent by the workers of app/notify.

// Notification states.
const (
	NotifyPending = "pending" // waits to be sent (again, after a failure, at NextAt)
	NotifySent    = "sent"
	NotifyFailed  = "failed" // the last attempt failed: not tried again
)

// Notification is one message to an applicant on one channel.
type Notification struct {
	// Key names the message: "<dossier>/<event>[/<version>]/<channel>";
	// a key queued again is ignored, so each event is told once per
	// channel.
	Key         string
	DossierCode string
	Event       notify.Event
	Channel     notify.Channel
	Recipient   string // an e-mail address, a phone number
	Subject     string
	Body        string // the e-mail's text, or the short message
	State       string // NotifyPending, NotifySent or NotifyFailed
	Attempts    int    // attempts that failed
	LastError   string
	// CreatedAt is when the event happened (its change), NextAt when the
	// row is next due (a claim moves it by the lease), SentAt when the
	// channel took it (zero: not yet).
	CreatedAt, NextAt, SentAt time.Time
}

// NotificationCounts sums the notifications.
type NotificationCounts struct {
	ByState       map[string]int
	OldestPending time.Time // zero: none pending
}

// NotificationReader reads the notifications and the citizens' choices.
type NotificationReader interface {
	// Notifications lists a dossier's notifications, oldest first.
	Notifications(ctx context.Context, dossierCode string) ([]Notification, error)
	NotificationCounts(ctx context.Context) (NotificationCounts, error)
	// NotificationPrefs returns an account's choice (errs.NotFound if it
	// made none).
	NotificationPrefs(ctx context.Context, accountID int64) (notify.Prefs, error)
}

// NotificationWriter queues, claims and settles notifications.
type NotificationWriter interface {
	// QueueNotifications inserts ns pending, due at their NextAt; those
	// whose key is queued already are left as they are. It returns how
	// many it inserted.
	QueueNotifications(ctx context.Context, ns []Notification) (int, error)
	// ClaimNotifications takes up to limit pending rows due by now, the
	// oldest due first, and leases them until now+lease (another claim
	// skips them until then).
	ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Notification, error)
	// PutNotification records the outcome of a claimed row (its state,
	// attempts, last error, next due time and sent time) by its key.
	PutNotification(ctx context.Context, n Notification) error
	// PutNotificationPrefs stores an account's choice (inserted or replaced).
	PutNotificationPrefs(ctx context.Context, p notify.Prefs) error
}
