// Package relay publishes the outbox: every event a transaction committed
// with its change goes out to the message bus after the commit, at least
// once, in the order of each dossier's changes.
//
// The relay reads the pending events in id order and publishes them in
// windows: the longest run of events, in id order, with at most one event
// per dossier (the part of the key before its first "/"), sent without
// waiting in between, then every acknowledgement awaited. A dossier's next
// event goes out only once the one before was acknowledged, so that its
// events reach the bus in order whatever fails. What was acknowledged is
// marked published, a batch in one transaction. At the first failure the
// relay stops (nothing after its window is sent) and tries again after a
// growing delay. What was published but not yet marked when the process
// stopped is published again at the next start: the message ID of an event
// is its key, the same at every try, and the bus drops a second copy
// within its duplicate window (natsbus: 2 minutes).
//
// Every key names one event: "<dossier>/<version>" for a change of the
// dossier (the version grows with each), "<dossier>/<version>/result" for
// the result issued at that version, "<dossier>/rating" for the rating,
// which a dossier receives once (a second is refused).
//
// Several nodes on one PostgreSQL database each run a relay over the same
// outbox. They may publish an event twice; the bus drops the copy, and
// each dossier's order holds: a relay publishes an event only once the
// one before it was acknowledged, stored by this relay or already by
// another. What it costs is the work done twice while two relays meet on
// the same events (a relay's pass skips what another marked).
package relay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/store"
)

// Message is an event as the bus carries it.
type Message struct {
	Subject string
	ID      string // the de-duplication ID: the event's key
	Data    []byte
	Header  map[string]string
}

// Ack is the bus's answer to one message.
type Ack struct {
	Duplicate bool  // the bus had the ID already and dropped this copy
	Err       error // nil: stored (or a duplicate)
}

// Publisher publishes to the message bus (natsbus.Bus, through an adapter
// of the command).
type Publisher interface {
	// PublishBatch publishes msgs in their order without waiting in
	// between and returns each one's acknowledgement, acks[i] for
	// msgs[i], once every one came or ctx is done.
	PublishBatch(ctx context.Context, msgs []Message) (acks []Ack)
}

// Outbox is the store as the relay uses it (store.Store is one).
type Outbox interface {
	PendingOutbox(ctx context.Context, limit int) ([]store.OutboxEvent, error)
	OutboxBacklog(ctx context.Context) (store.OutboxBacklog, error)
	Update(ctx context.Context, fn func(store.Tx) error) error
}

// Config tunes a Relay; the zero values of the optional fields are the
// defaults.
type Config struct {
	// Subject is the subject of an event's topic (required), e.g.
	// natsbus.Subject(province, topic).
	Subject func(topic string) string
	// Batch is the most events read and marked at once (500).
	Batch int
	// Poll is how often the outbox is read when nothing calls Notify
	// (250 ms): for the events of other nodes and processes.
	Poll time.Duration
	// MinInterval is the least time between the starts of two passes
	// (20 ms): under load the commits' notifications come faster, and a
	// pass each would read the outbox and write a transaction for a few
	// events; waiting gathers them into one batch. An event then waits up
	// to MinInterval more; when the commits are further apart, none.
	MinInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failure, doubled
	// at each failure in a row, with jitter (100 ms to 30 s).
	MinBackoff, MaxBackoff time.Duration
	// PublishTimeout bounds the wait for one acknowledgement (10 s).
	PublishTimeout time.Duration
	Log            *slog.Logger
	Now            func() time.Time
}

// Relay publishes the outbox.
type Relay struct {
	db   Outbox
	pub  Publisher
	cfg  Config
	wake chan struct{}
	m    metrics
}

// New returns a relay of the outbox of db to pub.
func New(db Outbox, pub Publisher, cfg Config) *Relay {
	if cfg.Batch <= 0 {
		cfg.Batch = 500
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 250 * time.Millisecond
	}
	if cfg.MinInterval <= 0 {
		cfg.MinInterval = 20 * time.Millisecond
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 100 * time.Millisecond
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(30*time.Second, cfg.MinBackoff)
	}
	if cfg.PublishTimeout <= 0 {
		cfg.PublishTimeout = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	r := &Relay{db: db, pub: pub, cfg: cfg, wake: make(chan struct{}, 1)}
	r.m = newMetrics(r)
	return r
}

// Notify wakes the relay: events were committed. It never blocks
// (sqlstore.DB.OnOutbox calls it after each commit with events).
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run publishes the outbox until ctx is done: at once, then whenever
// Notify is called (MinInterval after the previous pass began at the
// soonest) and at least every Poll; after a failure, after the back-off
// delay (Notify does not cut it short).
func (r *Relay) Run(ctx context.Context) {
	poll := time.NewTimer(r.cfg.Poll)
	defer poll.Stop()
	var backoff time.Duration
	for {
		start := time.Now()
		_, err := r.Publish(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			backoff = min(max(2*backoff, r.cfg.MinBackoff), r.cfg.MaxBackoff)
			wait := backoff/2 + rand.N(backoff/2+1) // jitter: nodes that failed together retry apart
			r.cfg.Log.Warn("outbox events not published: retrying", "retry_in", wait.Round(time.Millisecond), "error", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			continue
		}
		if backoff > 0 {
			r.cfg.Log.Info("outbox events published again")
			backoff = 0
		}
		poll.Reset(r.cfg.Poll)
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-poll.C:
		}
		if wait := r.cfg.MinInterval - time.Since(start); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
	}
}

// Publish publishes the pending events, batch after batch, until none is
// left or a publication fails, and returns how many it published (each
// marked published). On a failure the event that failed, and every later
// one not acknowledged, stay pending.
func (r *Relay) Publish(ctx context.Context) (int, error) {
	total := 0
	for {
		events, err := r.db.PendingOutbox(ctx, r.cfg.Batch)
		if err != nil {
			return total, fmt.Errorf("read the outbox: %w", err)
		}
		if len(events) == 0 {
			return total, nil
		}
		var ids []int64
		var failed error
		for rest := events; len(rest) > 0 && failed == nil; {
			n := window(rest)
			var acked []int64
			acked, failed = r.publish(ctx, rest[:n])
			ids = append(ids, acked...)
			rest = rest[n:]
		}
		if len(ids) > 0 {
			// Not marked (the store failing, the process stopping): they
			// are published again, and dropped as duplicates.
			if err := r.db.Update(ctx, func(tx store.Tx) error { return tx.MarkPublished(ctx, ids, r.cfg.Now()) }); err != nil {
				return total, fmt.Errorf("mark %d events published: %w", len(ids), err)
			}
			total += len(ids)
		}
		if failed != nil {
			return total, failed
		}
		if len(events) < r.cfg.Batch {
			return total, nil
		}
	}
}

// window is how many of events, from the first, go out together: up to
// the second event of a dossier.
func window(events []store.OutboxEvent) int {
	seen := make(map[string]bool, len(events))
	for i, e := range events {
		d, _, _ := strings.Cut(e.Key, "/")
		if seen[d] {
			return i
		}
		seen[d] = true
	}
	return len(events)
}

// publish publishes a window of events and returns the ids of those the
// bus acknowledged, and the first failure.
func (r *Relay) publish(ctx context.Context, events []store.OutboxEvent) (acked []int64, failed error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.PublishTimeout)
	defer cancel()
	msgs := make([]Message, len(events))
	for i, e := range events {
		msgs[i] = Message{Subject: r.cfg.Subject(e.Topic), ID: e.Key, Data: e.Payload, Header: map[string]string{
			"Content-Type":    "application/json",
			"Motcua-Topic":    e.Topic,
			"Motcua-Event-Id": strconv.FormatInt(e.ID, 10),
			"Motcua-At":       e.At.UTC().Format(time.RFC3339Nano),
		}}
	}
	acks := r.pub.PublishBatch(ctx, msgs)
	now := r.cfg.Now()
	for i, e := range events {
		a := Ack{Err: errors.New("no acknowledgement")}
		if i < len(acks) {
			a = acks[i]
		}
		if a.Err != nil {
			r.m.failures.Inc()
			if failed == nil {
				failed = fmt.Errorf("event %d (%s %s): %w", e.ID, e.Topic, e.Key, a.Err)
			}
			continue
		}
		// An event acknowledged after one that failed is of another
		// dossier (one per window): marking it lets nothing overtake.
		acked = append(acked, e.ID)
		r.m.published.Inc()
		if a.Duplicate {
			r.m.duplicates.Inc()
		} else {
			r.m.delay.Observe(now.Sub(e.At).Seconds())
		}
	}
	return acked, failed
}
