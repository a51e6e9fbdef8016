// Package portalsync pushes the province's dossiers to the national public
// service portal (DVCQG): each dossier's record and each step of its
// handling, as dvcqg maps them, in the transport the client speaks.
//
// Every change of a dossier queues its row in the store (the transaction
// of the change, see app/dossiers), so nothing is missed whatever stops.
// Workers claim due rows with a lease (one worker per dossier at a time,
// on any node), read each dossier as it is now, and send:
//
//  1. its record: an add the first time, an update afterwards (an add the
//     portal says exists becomes an update, an update of a dossier it does
//     not have becomes an add);
//  2. the progress entries of the events the portal has not acknowledged,
//     in order, only once its record was taken.
//
// The portal's verdicts are settled per dossier: a batch it refuses is
// sent again one dossier at a time, so that one bad record holds back no
// other; a refused dossier is marked failed with the portal's message and
// retried with a growing delay (1 s doubling to 10 min) until it is taken
// or an administrator resyncs it. When the portal cannot be reached (down,
// HTTP errors, unreadable answers, timeouts) nothing is marked failed: the
// claimed rows go back to the queue and the worker waits (1 s doubling to
// 15 s) before it tries again, so the backlog drains as soon as the portal
// answers, oldest first. Officials never wait on any of this.
//
// Deliveries are idempotent: the portal keeps the newest record of a
// dossier (its dates order them) and drops a progress entry it has; a row
// is synced only when the version the portal took is the row's latest.
package portalsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// Portal is the national portal as the workers use it (dvcqgclient.Client).
type Portal interface {
	AddDossiers(ctx context.Context, recs []dvcqg.Dossier) (dvcqgclient.Answer, error)
	UpdateDossiers(ctx context.Context, recs []dvcqg.Dossier) (dvcqgclient.Answer, error)
	AddProgress(ctx context.Context, entries []dvcqg.Progress) (dvcqgclient.Answer, error)
	ProgressBatch() int
}

// Store is what the workers read and write (store.Store is one).
type Store interface {
	DossiersByCode(ctx context.Context, codes []string) (map[string]dossier.Dossier, error)
	PortalSyncCounts(ctx context.Context) (store.PortalSyncCounts, error)
	Update(ctx context.Context, fn func(store.Tx) error) error
}

// Config tunes a Syncer; zero values are the defaults.
type Config struct {
	Workers int           // concurrent workers (2)
	Batch   int           // dossiers claimed and sent at once (100, at most dvcqgclient.MaxDossiers)
	Lease   time.Duration // how long a claim holds its rows (2 min)
	// Poll is how often an idle worker looks for due rows when no change
	// woke it (1 s): rows due after a back-off, other nodes' changes.
	Poll time.Duration
	// Source is the dossier's context the records need: the mapping,
	// agency names, result URLs (read at each pass).
	Source func(ctx context.Context) (dvcqg.Source, error)
	Now    func() time.Time
	Log    *slog.Logger
}

// Back-off bounds.
const (
	minDelay        = time.Second
	maxRefusedDelay = 10 * time.Minute // a dossier the portal refused
	maxDownDelay    = 15 * time.Second // the portal unreachable
)

// Syncer runs the workers.
type Syncer struct {
	db     Store
	portal Portal
	cfg    Config
	wake   chan struct{}
	m      *metrics
}

// New returns a syncer of db's queue to portal.
func New(db Store, portal Portal, cfg Config) *Syncer {
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	cfg.Batch = min(cfg.Batch, dvcqgclient.MaxDossiers)
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Source == nil {
		cfg.Source = func(context.Context) (dvcqg.Source, error) { return dvcqg.Source{}, nil }
	}
	s := &Syncer{db: db, portal: portal, cfg: cfg, wake: make(chan struct{}, 1)}
	s.m = newMetrics(s)
	return s
}

// Notify wakes an idle worker: a change was committed.
func (s *Syncer) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run runs the workers until ctx is done.
func (s *Syncer) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range s.cfg.Workers {
		wg.Go(func() { s.work(ctx) })
	}
	wg.Wait()
}

func (s *Syncer) work(ctx context.Context) {
	delay := time.Duration(0)
	for ctx.Err() == nil {
		n, err := s.Pass(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			delay = min(max(2*delay, minDelay), maxDownDelay)
			s.cfg.Log.Warn("national portal sync paused", "retry_in", delay.String(), "error", err)
		case err == nil && n > 0:
			delay = 0
			continue // more may be due
		default:
			delay = s.cfg.Poll
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-s.wake:
			if err != nil {
				// The portal was unreachable: a change does not cut the
				// wait short.
				<-t.C
			}
		}
		t.Stop()
		if err == nil {
			delay = 0
		}
	}
}

// errDown marks a pass cut short by the portal being unreachable.
var errDown = errors.New("national portal unreachable")

// Pass claims due rows and sends them; it returns how many it settled,
// and an error when the portal could not be reached (the rows not settled
// went back to the queue).
func (s *Syncer) Pass(ctx context.Context) (int, error) {
	var rows []store.PortalSync
	now := s.cfg.Now()
	err := s.db.Update(ctx, func(tx store.Tx) error {
		var err error
		rows, err = tx.ClaimPortalSync(ctx, now, s.cfg.Lease, s.cfg.Batch)
		return err
	})
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	src, err := s.cfg.Source(ctx)
	if err != nil {
		s.release(ctx, rows, err)
		return 0, fmt.Errorf("portal sync source: %w", err)
	}
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	ds, err := s.db.DossiersByCode(ctx, codes)
	if err != nil {
		s.release(ctx, rows, err)
		return 0, fmt.Errorf("portal sync: %w", err)
	}
	b := &batch{s: s, src: src}
	for _, r := range rows {
		b.load(r, ds)
	}
	down := b.sendRecords(ctx)
	if down == nil {
		down = b.sendProgress(ctx)
	}
	return b.settle(ctx, down)
}

// release puts claimed rows back, due at once, with why they were not sent.
func (s *Syncer) release(ctx context.Context, rows []store.PortalSync, cause error) {
	now := s.cfg.Now()
	for i := range rows {
		rows[i].State, rows[i].NextAt, rows[i].UpdatedAt, rows[i].LastError = store.PortalPending, now, now, message(cause)
	}
	err := s.db.Update(context.WithoutCancel(ctx), func(tx store.Tx) error { return tx.PutPortalSyncs(ctx, rows) })
	if err != nil {
		s.cfg.Log.Error("portal sync rows not released (retried when their lease ends)", "rows", len(rows), "error", err)
	}
}

// message is an error as an official reads it.
func message(err error) string {
	if e, ok := errs.As(err); ok && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
