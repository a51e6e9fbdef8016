package app

import (
	"context"
	"sync"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// memo keeps values for a short time. The catalogue and the agencies are
// read on every submission and change rarely: a change made through this
// node clears its memo at once, one made through another node is seen
// within the memo's lifetime.
type memo[K comparable, V any] struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[K]memoEntry[V]
}

type memoEntry[V any] struct {
	v  V
	at time.Time
}

func newMemo[K comparable, V any](ttl time.Duration) *memo[K, V] {
	return &memo[K, V]{ttl: ttl, m: map[K]memoEntry[V]{}}
}

// get returns the value of k, loading it when absent or stale.
func (c *memo[K, V]) get(k K, now time.Time, load func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl && !now.Before(e.at) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	c.m[k] = memoEntry[V]{v: v, at: now}
	c.mu.Unlock()
	return v, nil
}

func (c *memo[K, V]) clear() {
	c.mu.Lock()
	c.m = map[K]memoEntry[V]{}
	c.mu.Unlock()
}

// Forget drops what the App keeps in memory of the store (the demo loader
// calls it after writing agencies and procedures directly).
func (a *App) Forget() {
	a.procs.clear()
	a.agencies.clear()
	a.agencyLists.clear()
	a.sessions.clear()
	a.calMu.Lock()
	a.agencyCals = map[string]*calendar.Calendar{}
	a.calMu.Unlock()
}

// procedure returns a procedure through the memo.
func (a *App) procedure(ctx context.Context, code string) (catalog.Procedure, error) {
	return a.procs.get(code, a.now(), func() (catalog.Procedure, error) { return a.store.Procedure(ctx, code) })
}

// agency returns an agency through the memo.
func (a *App) agency(ctx context.Context, id string) (unit.Agency, error) {
	return a.agencies.get(id, a.now(), func() (unit.Agency, error) { return a.store.Agency(ctx, id) })
}

// agenciesMatching lists agencies through the memo.
func (a *App) agenciesMatching(ctx context.Context, f store.AgencyFilter) ([]unit.Agency, error) {
	return a.agencyLists.get(f, a.now(), func() ([]unit.Agency, error) { return a.store.Agencies(ctx, f) })
}
