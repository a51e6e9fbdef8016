package notifications

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/notify"
	"github.com/motcua/motcua/store"
)

// Message is one message as a channel sends it.
type Message struct {
	// Key names the message, the same at every attempt (the e-mail's
	// Message-ID is made from it).
	Key     string
	To      string // an e-mail address, a phone number
	Subject string
	Text    string
}

// Sender sends on one channel: e-mail (Mail over SMTP), SMS or Zalo (a
// provider's adapter; LogSender in the demo).
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Config tunes the service; zero values are the defaults.
type Config struct {
	// BaseURL is the public address the messages link the dossier's page
	// under (DossierPath).
	BaseURL string
	// Senders by channel; a channel without one is not offered nor queued.
	Senders map[notify.Channel]Sender
	Workers int           // concurrent workers (1)
	Batch   int           // rows claimed at once (20)
	Lease   time.Duration // how long a claim holds its rows (2 min; more than a send's timeout)
	// Poll is how often an idle worker looks for due rows when nothing
	// woke it (2 s): retries coming due, other nodes' changes.
	Poll time.Duration
	// MinBackoff and MaxBackoff bound the wait before the next attempt
	// after a failure, doubled at each (30 s to 1 h), with jitter.
	MinBackoff, MaxBackoff time.Duration
	// MaxAttempts is how many failed attempts mark a row failed (12: about
	// seven hours of trying with the default back-off).
	MaxAttempts int
	// SendTimeout bounds one send (30 s).
	SendTimeout time.Duration
}

// Service queues and sends the notifications, and keeps the citizens'
// choice of channels.
type Service struct {
	*app.Kernel
	cfg  Config
	wake chan struct{}
	m    *metrics
}

// New returns the service.
func New(k *app.Kernel, cfg Config) *Service {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 20
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 30 * time.Second
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(time.Hour, cfg.MinBackoff)
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 12
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 30 * time.Second
	}
	s := &Service{Kernel: k, cfg: cfg, wake: make(chan struct{}, 1)}
	s.m = newMetrics(s)
	return s
}

// Channels are the channels offered: those with a sender, in the order of
// notify.Channels.
func (s *Service) Channels() []notify.Channel {
	var out []notify.Channel
	for _, c := range notify.Channels {
		if s.cfg.Senders[c] != nil {
			out = append(out, c)
		}
	}
	return out
}

// Notify wakes an idle worker: rows were queued. It never blocks.
func (s *Service) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run runs the workers until ctx is done.
func (s *Service) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range s.cfg.Workers {
		wg.Go(func() { s.work(ctx) })
	}
	wg.Wait()
}

func (s *Service) work(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := s.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Warn("notifications not read from the store", "error", err)
		}
		if err == nil && n > 0 {
			continue // more may be due
		}
		t := time.NewTimer(s.cfg.Poll)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-s.wake:
		}
		t.Stop()
	}
}

// Pass claims due rows and sends each; it returns how many it claimed.
// A failed send is settled as a retry, never returned: the error is the
// store's.
func (s *Service) Pass(ctx context.Context) (int, error) {
	var rows []store.Notification
	now := s.Now()
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		rows, err = tx.ClaimNotifications(ctx, now, s.cfg.Lease, s.cfg.Batch)
		return err
	})
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	bg := context.WithoutCancel(ctx)
	for _, r := range rows {
		if ctx.Err() != nil {
			// Stopping: the rows not tried are due again at once (for
			// another node, or this one after its restart).
			r.NextAt = now
		} else {
			r = s.send(ctx, r)
		}
		if err := s.Store.Update(bg, func(tx store.Tx) error { return tx.PutNotification(bg, r) }); err != nil {
			// Sent but not marked: sent again when the lease ends.
			s.Log.Error("notification outcome not stored", "key", r.Key, "state", r.State, "error", err)
		}
	}
	return len(rows), nil
}

// send tries a claimed row once and returns it settled.
func (s *Service) send(ctx context.Context, r store.Notification) store.Notification {
	sender := s.cfg.Senders[r.Channel]
	err := fmt.Errorf("no sender for channel %q", r.Channel)
	start := time.Now()
	if sender != nil {
		sctx, cancel := context.WithTimeout(ctx, s.cfg.SendTimeout)
		err = sender.Send(sctx, Message{Key: r.Key, To: r.Recipient, Subject: r.Subject, Text: r.Body})
		cancel()
	}
	now := s.Now()
	s.m.sendTime.WithLabelValues(string(r.Channel)).Observe(time.Since(start).Seconds())
	if err == nil {
		r.State, r.SentAt, r.NextAt, r.LastError = store.NotifySent, now, now, ""
		s.m.sent.WithLabelValues(string(r.Channel), string(r.Event)).Inc()
		s.m.delay.Observe(max(0, now.Sub(r.CreatedAt).Seconds()))
		return r
	}
	if ctx.Err() != nil {
		r.NextAt = now // cut short by the stop: not an attempt
		return r
	}
	r.Attempts++
	r.LastError = err.Error()
	s.m.failures.WithLabelValues(string(r.Channel)).Inc()
	if r.Attempts >= s.cfg.MaxAttempts {
		r.State, r.NextAt = store.NotifyFailed, now
		s.m.abandoned.WithLabelValues(string(r.Channel)).Inc()
		s.Log.Error("notification abandoned", "key", r.Key, "attempts", r.Attempts, "error", err)
		return r
	}
	r.State, r.NextAt = store.NotifyPending, now.Add(s.backoff(r.Attempts))
	s.Log.Warn("notification not sent: retrying", "key", r.Key, "attempt", r.Attempts, "retry_at", r.NextAt, "error", err)
	return r
}

// backoff is the wait after the n-th failure in a row: MinBackoff
// doubling to MaxBackoff, the upper half at random (rows that failed
// together retry apart).
func (s *Service) backoff(n int) time.Duration {
	d := s.cfg.MinBackoff
	for i := 1; i < n && d < s.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.cfg.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// Prefs returns how the signed-in applicant is told: their choice, else
// the default (e-mail when they have an address).
func (s *Service) Prefs(ctx context.Context, ac identity.Actor) (notify.Prefs, error) {
	if ac.Account == nil {
		return notify.Prefs{}, ac.Require(identity.PermDossierSubmit, "")
	}
	p, err := s.Store.NotificationPrefs(ctx, ac.Account.ID)
	if errs.KindOf(err) == errs.NotFound {
		p = notify.DefaultPrefs(ac.Account.ID, ac.Account.Email)
		if s.cfg.Senders[notify.Email] == nil {
			p.Channels = nil // e-mail is not sent here
		}
		return p, nil
	}
	return p, err
}

// SetPrefs stores the signed-in applicant's choice of channels (names of
// notify.Channels offered) and language, audited.
func (s *Service) SetPrefs(ctx context.Context, ac identity.Actor, channels []string, lang string) (notify.Prefs, error) {
	if ac.Account == nil {
		return notify.Prefs{}, ac.Require(identity.PermDossierSubmit, "")
	}
	chans, err := notify.ParseChannels(channels)
	if err == nil {
		for _, c := range chans {
			if s.cfg.Senders[c] == nil {
				err = fmt.Errorf("channel %q not offered", c)
			}
		}
	}
	if err != nil {
		return notify.Prefs{}, errs.InvalidFields("notification_prefs.invalid", "Cách nhận thông báo không hợp lệ.", "invalid channel",
			[]errs.FieldError{{Field: "channels", Key: "invalid", Message: "Cách nhận thông báo không hợp lệ."}})
	}
	acc := ac.Account
	var fe []errs.FieldError
	for _, c := range chans {
		switch {
		case c == notify.Email && acc.Email == "":
			fe = append(fe, errs.FieldError{Field: "channels", Key: "no_email", Message: "Tài khoản chưa có địa chỉ thư điện tử."})
		case c != notify.Email && acc.Phone == "":
			fe = append(fe, errs.FieldError{Field: "channels", Key: "no_phone", Message: "Tài khoản chưa có số điện thoại."})
		}
	}
	if len(fe) > 0 {
		return notify.Prefs{}, errs.InvalidFields("notification_prefs.invalid", fe[0].Message, "no address for a channel", fe[:1])
	}
	p := notify.Prefs{AccountID: acc.ID, Channels: chans, Lang: notify.Lang(lang), UpdatedAt: s.Now()}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutNotificationPrefs(ctx, p); err != nil {
			return err
		}
		names := make([]string, len(chans))
		for i, c := range chans {
			names[i] = string(c)
		}
		return s.Record(ctx, tx, ac, "account.notification_prefs", fmt.Sprintf("account:%d", acc.ID), map[string]any{"channels": names, "lang": p.Lang})
	})
	if err != nil {
		return notify.Prefs{}, err
	}
	return p, nil
}

// Sent lists what the dossier's applicant was told, or is about to be,
// to whoever may see the dossier.
func (s *Service) Sent(ctx context.Context, ac identity.Actor, d *dossier.Dossier) ([]store.Notification, error) {
	if !dossier.VisibleTo(d, ac) {
		return nil, dossier.NotFound(d.Code)
	}
	return s.Store.Notifications(ctx, d.Code)
}

// LogSender is the demo's SMS or Zalo provider: it logs the message
// instead of sending it (the number partly masked).
type LogSender struct {
	Channel notify.Channel
	Log     *slog.Logger
}

// Send logs m.
func (l LogSender) Send(ctx context.Context, m Message) error {
	to := m.To
	if len(to) > 4 {
		to = strings.Repeat("*", len(to)-4) + to[len(to)-4:]
	}
	l.Log.InfoContext(ctx, "demo message (not sent)", "channel", string(l.Channel), "to", to, "key", m.Key, "text", m.Text)
	return nil
}
