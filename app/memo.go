package app

import (
	"sync"
	"time"
)

// Memo keeps values for a short time. The catalogue and the agencies are
// read on every submission and change rarely: a change made through this
// node clears its memo at once, one made through another node is seen
// within the memo's lifetime. A value whose load overlapped a Clear is
// not kept: it may have been read before the change that cleared the memo.
type Memo[K comparable, V any] struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[K]memoEntry[V]
	gen uint64 // bumped by Clear
}

type memoEntry[V any] struct {
	v  V
	at time.Time
}

// NewMemo returns a memo whose values live ttl.
func NewMemo[K comparable, V any](ttl time.Duration) *Memo[K, V] {
	return &Memo[K, V]{ttl: ttl, m: map[K]memoEntry[V]{}}
}

// Get returns the value of k, loading it when absent or stale.
func (c *Memo[K, V]) Get(k K, now time.Time, load func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[k]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl && !now.Before(e.at) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.m[k] = memoEntry[V]{v: v, at: now}
	}
	c.mu.Unlock()
	return v, nil
}

// Clear drops every value.
func (c *Memo[K, V]) Clear() {
	c.mu.Lock()
	c.m = map[K]memoEntry[V]{}
	c.gen++
	c.mu.Unlock()
}
