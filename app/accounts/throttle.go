package accounts

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/motcua/motcua/store"
)

// throttleWindow is the window of the looser limits and the longest
// back-off.
const throttleWindow = 15 * time.Minute

// knownFor is how long an address a user logged in from stays one of the
// user's usual addresses.
const knownFor = 30 * 24 * time.Hour

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
//   - per client address over all usernames, a generous token bucket
//     (20·burst failures per throttleWindow, 100 by default): it stops one
//     address spraying many usernames, yet a whole office behind one NAT
//     mistyping passwords is not closed quickly. Successes do not refill it.
//   - per username over all addresses, a looser bucket than before
//     (10·burst failures per throttleWindow, 50 by default), against a
//     guesser spraying one username from many addresses. It does not apply
//     to the user's usual addresses (those the user logged in from in the
//     last 30 days): there only the pair's back-off counts, so the spray
//     cannot lock the owner out at home or at the office.
//
// Throttled attempts check no password and do not count as failures. The
// counters live in the store (login_failures), so that the nodes of a
// province behind a load balancer share them (a guesser spreading over the
// nodes gets no more guesses) and a restart forgets none; they read the
// kernel's clock, so tests drive them deterministically. A node counts its
// own failures one at a time; two nodes counting a failure of the same
// counter at the same instant may count it once (PostgreSQL's read
// committed: a rare race worth at most a guess per node, not a lock per
// counter). Should the store fail, the throttle lets the attempt through
// and logs it: a login needs the store anyway. The client address is what
// the HTTP edge found (see --trusted-proxies): a guesser and the owner
// behind the same address share its back-off.
type throttle struct {
	db    store.Store
	now   func() time.Time
	log   *slog.Logger
	burst int
	base  time.Duration
	addrs bucket // failed logins per client address
	users bucket // failed logins per username, from addresses not usual

	mu    sync.Mutex // one failure counted at a time on this node
	swept time.Time  // when expired counters were last deleted
}

func newThrottle(db store.Store, burst int, base time.Duration, now func() time.Time, log *slog.Logger) *throttle {
	return &throttle{
		db: db, now: now, log: log, burst: burst, base: base,
		addrs: bucket{burst: 20 * burst, every: throttleWindow / time.Duration(20*burst)},
		users: bucket{burst: 10 * burst, every: throttleWindow / time.Duration(10*burst)},
	}
}

// keys are the counters of an attempt of user at addr.
type keys struct{ pair, addr, user, known string }

func keysOf(user, addr string) keys {
	user = truncate(user, 128) // a username typed by anyone
	return keys{pair: "pair|" + user + "|" + addr, addr: "addr|" + addr, user: "user|" + user, known: "known|" + user + "|" + addr}
}

func (k keys) all() []string { return []string{k.pair, k.addr, k.user, k.known} }

// delay is how long the pair must wait after its last failure.
func (t *throttle) delay(failures int) time.Duration {
	n := failures - t.burst
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
func (t *throttle) wait(ctx context.Context, user, addr string) time.Duration {
	now := t.now()
	k := keysOf(user, addr)
	m, err := t.db.LoginCounters(ctx, now, k.all()...)
	if err != nil {
		t.log.Error("login throttle not read: the attempt goes on", "error", err)
		return 0
	}
	var w time.Duration
	if p, ok := m[k.pair]; ok {
		w = max(0, p.At.Add(t.delay(int(p.N))).Sub(now))
	}
	w = max(w, t.addrs.wait(m[k.addr], now))
	if _, usual := m[k.known]; !usual {
		w = max(w, t.users.wait(m[k.user], now))
	}
	return w
}

// fail counts a failed attempt of user at addr.
func (t *throttle) fail(ctx context.Context, user, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	k := keysOf(user, addr)
	err := t.db.Update(ctx, func(tx store.Tx) error {
		if now.Sub(t.swept) >= time.Minute {
			if _, err := tx.DeleteExpiredLoginCounters(ctx, now); err != nil {
				return err
			}
		}
		m, err := tx.LoginCounters(ctx, now, k.all()...)
		if err != nil {
			return err
		}
		failures := int(m[k.pair].N) + 1 // an absent (or expired) pair starts anew
		put := []store.LoginCounter{
			{Key: k.pair, N: float64(failures), At: now, Expires: now.Add(t.delay(failures) + throttleWindow)},
			t.addrs.take(k.addr, m[k.addr], now),
		}
		if _, usual := m[k.known]; !usual {
			put = append(put, t.users.take(k.user, m[k.user], now))
		}
		return tx.PutLoginCounters(ctx, put...)
	})
	if err != nil {
		t.log.Error("failed login not counted", "error", err)
		return
	}
	if now.Sub(t.swept) >= time.Minute {
		t.swept = now
	}
}

// succeed records a successful login of user at addr: the pair's back-off
// is reset and addr becomes one of the user's usual addresses.
func (t *throttle) succeed(ctx context.Context, user, addr string) {
	now := t.now()
	k := keysOf(user, addr)
	err := t.db.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteLoginCounters(ctx, k.pair); err != nil {
			return err
		}
		return tx.PutLoginCounters(ctx, store.LoginCounter{Key: k.known, N: 1, At: now, Expires: now.Add(knownFor)})
	})
	if err != nil {
		t.log.Error("successful login not noted by the throttle", "error", err)
	}
}

// bucket is a token bucket kept as a counter: N tokens at At, one more
// every every up to burst; a failure takes one, and a key with less than
// one must wait. A counter absent is a full bucket.
type bucket struct {
	burst int
	every time.Duration
}

func (b bucket) tokens(c store.LoginCounter, now time.Time) float64 {
	if c.Key == "" {
		return float64(b.burst)
	}
	return min(float64(b.burst), c.N+float64(now.Sub(c.At))/float64(b.every))
}

func (b bucket) wait(c store.LoginCounter, now time.Time) time.Duration {
	tk := b.tokens(c, now)
	if tk >= 1 {
		return 0
	}
	return time.Duration((1 - tk) * float64(b.every))
}

// take is the counter key after a failure at now; it expires when the
// bucket is full again.
func (b bucket) take(key string, c store.LoginCounter, now time.Time) store.LoginCounter {
	tk := b.tokens(c, now)
	if tk >= 1 {
		tk--
	}
	return store.LoginCounter{Key: key, N: tk, At: now, Expires: now.Add(time.Duration((float64(b.burst) - tk) * float64(b.every)))}
}
