// Package limit bounds the cost of expensive requests that anyone may
// send: at most N run at once, and the next ones are answered at once with
// 503 and Retry-After rather than queued (a queue would hold their bodies
// in memory and let an attacker's requests wait for their turn).
package limit

import (
	"net/http"
	"strconv"
	"time"
)

// Gate admits at most its capacity of requests at once.
type Gate struct {
	slots      chan struct{}
	retryAfter time.Duration
	refuse     http.Handler
}

// NewGate returns a gate of n slots (at least 1); a request that finds
// none free gets refuse's answer, after the gate has set Retry-After.
func NewGate(n int, retryAfter time.Duration, refuse http.Handler) *Gate {
	return &Gate{slots: make(chan struct{}, max(n, 1)), retryAfter: retryAfter, refuse: refuse}
}

// Wrap runs next when a slot is free, and answers refuse's 503 otherwise.
func (g *Gate) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case g.slots <- struct{}{}:
			defer func() { <-g.slots }()
			next.ServeHTTP(w, r)
		default:
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(g.retryAfter.Round(time.Second)/time.Second))))
			g.refuse.ServeHTTP(w, r)
		}
	})
}

// InUse is how many requests hold a slot now.
func (g *Gate) InUse() int { return len(g.slots) }
