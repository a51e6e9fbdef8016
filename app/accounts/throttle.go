package accounts

import (
	"sync"
	"time"
)

// throttleWindow is the window of the looser limits and the longest
// back-off.
const throttleWindow = 15 * time.Minute

// knownFor is how long an address a user logged in from stays one of the
// user's usual addresses; knownMax bounds how many are kept per user.
const (
	knownFor = 30 * 24 * time.Hour
	knownMax = 8
)

// throttle limits failed logins so that they slow a guesser down without
// locking the owner of the account out. Three limits apply, the strictest
// one deciding how long an attempt must wait:
//
//   - per (username, client address), an exponential back-off: the first
//     burst failures are free, then each further attempt waits base, 2·base,
//     4·base … after the previous failure, at most throttleWindow. A
//     successful login from that address resets it; the pair is forgotten
//     throttleWindow after its wait ends. A guesser at one address is thus
//     held to a handful of guesses per quarter hour, while the owner at
//     another address is not slowed at all.
//   - per client address over all usernames, a generous bucket (20·burst
//     failures per throttleWindow, 100 by default): it stops one address
//     spraying many usernames, yet a whole office behind one NAT mistyping
//     passwords is not closed quickly. Successes do not refill it.
//   - per username over all addresses, a looser bucket than before
//     (10·burst failures per throttleWindow, 50 by default), against a
//     guesser spraying one username from many addresses. It does not apply
//     to the user's usual addresses (those the user logged in from in the
//     last 30 days, up to 8): there only the pair's back-off counts, so
//     the spray cannot lock the owner out at home or at the office.
//
// Throttled attempts check no password and do not count as failures. The
// counters live in memory, per node, as the sessions memo does: behind a
// load balancer each node counts its own failures (a guesser spreading
// over n nodes gets n times the budget), and a restart forgets them. They
// read the kernel's clock, so tests drive them deterministically. The
// client address is what the HTTP edge found (see --trusted-proxies): a
// guesser and the owner behind the same address share its back-off.
type throttle struct {
	mu    sync.Mutex
	now   func() time.Time
	burst int
	base  time.Duration
	pairs map[pairKey]*backoff
	known map[string]map[string]time.Time // username → address → last login
	swept time.Time
	addrs *limiter // failed logins per client address
	users *limiter // failed logins per username, from addresses not usual
}

type pairKey struct{ user, addr string }

type backoff struct {
	failures int
	last     time.Time
}

func newThrottle(burst int, base time.Duration, now func() time.Time) *throttle {
	return &throttle{
		now:   now,
		burst: burst,
		base:  base,
		pairs: map[pairKey]*backoff{},
		known: map[string]map[string]time.Time{},
		addrs: newLimiter(20*burst, throttleWindow/time.Duration(20*burst), now),
		users: newLimiter(10*burst, throttleWindow/time.Duration(10*burst), now),
	}
}

// delay is how long the pair must wait after its last failure.
func (t *throttle) delay(b *backoff) time.Duration {
	n := b.failures - t.burst
	if n < 0 {
		return 0
	}
	if n >= 30 {
		return throttleWindow
	}
	return min(t.base<<n, throttleWindow)
}

// wait returns how long user at addr must wait before the next attempt
// (0: now).
func (t *throttle) wait(user, addr string) time.Duration {
	t.mu.Lock()
	now := t.now()
	var w time.Duration
	if b := t.pairs[pairKey{user, addr}]; b != nil {
		w = max(0, b.last.Add(t.delay(b)).Sub(now))
	}
	usual := t.usual(user, addr, now)
	t.mu.Unlock()
	w = max(w, t.addrs.wait(addr))
	if !usual {
		w = max(w, t.users.wait(user))
	}
	return w
}

// usual reports whether addr is one of user's usual addresses (t.mu held).
func (t *throttle) usual(user, addr string, now time.Time) bool {
	at, ok := t.known[user][addr]
	return ok && now.Sub(at) < knownFor
}

// fail records a failed attempt of user at addr.
func (t *throttle) fail(user, addr string) {
	t.mu.Lock()
	now := t.now()
	t.sweep(now)
	k := pairKey{user, addr}
	b := t.pairs[k]
	if b == nil || now.Sub(b.last.Add(t.delay(b))) > throttleWindow {
		b = &backoff{}
		t.pairs[k] = b
	}
	b.failures++
	b.last = now
	usual := t.usual(user, addr, now)
	t.mu.Unlock()
	t.addrs.fail(addr)
	if !usual {
		t.users.fail(user)
	}
}

// succeed records a successful login of user at addr: the pair's back-off
// is reset and addr becomes one of the user's usual addresses.
func (t *throttle) succeed(user, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	delete(t.pairs, pairKey{user, addr})
	m := t.known[user]
	if m == nil {
		m = map[string]time.Time{}
		t.known[user] = m
	}
	m[addr] = now
	for len(m) > knownMax { // forget the oldest
		var oldest string
		for a, at := range m {
			if oldest == "" || at.Before(m[oldest]) {
				oldest = a
			}
		}
		delete(m, oldest)
	}
}

// sweep forgets, once a minute, the pairs whose wait ended a window ago
// and the usual addresses not used for knownFor (t.mu held).
func (t *throttle) sweep(now time.Time) {
	if now.Sub(t.swept) < time.Minute {
		return
	}
	t.swept = now
	for k, b := range t.pairs {
		if now.Sub(b.last.Add(t.delay(b))) > throttleWindow {
			delete(t.pairs, k)
		}
	}
	for u, m := range t.known {
		for a, at := range m {
			if now.Sub(at) >= knownFor {
				delete(m, a)
			}
		}
		if len(m) == 0 {
			delete(t.known, u)
		}
	}
}
