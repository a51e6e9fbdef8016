package payment

import (
	"sync"
	"time"
)

// Refusals holds off a source that keeps sending callbacks with a bad
// signature: after Max refusals within Window it is held off for Window
// (answered 429 with Retry-After, not checked, not audited one by one),
// then counted anew. A well-signed callback is never held off: the
// caller asks only after the signature failed. In memory, per node, at
// most Sources sources remembered: past that, new sources share one
// counter, so many addresses together are held off as one. The time is
// passed in (the caller's clock).
type Refusals struct {
	Max     int           // refusals in a window before the hold (default 10)
	Window  time.Duration // the window, and the hold (default 1 minute)
	Sources int           // sources remembered at most (default 10,000)

	mu    sync.Mutex
	by    map[string]*refusal
	swept time.Time
}

// refusal is one source's count.
type refusal struct {
	start time.Time // the window's start
	n     int       // refusals in the window
	until time.Time // held off until (zero: not held)
	held  int       // calls answered 429 during the hold
}

// overflow is the counter shared by the sources past Sources.
const overflow = "\x00overflow"

func (l *Refusals) limits() (int, time.Duration, int) {
	n, w, s := l.Max, l.Window, l.Sources
	if n <= 0 {
		n = 10
	}
	if w <= 0 {
		w = time.Minute
	}
	if s <= 0 {
		s = 10000
	}
	return n, w, s
}

// entry is src's count, made when new (l.mu held).
func (l *Refusals) entry(src string, now time.Time) *refusal {
	_, window, sources := l.limits()
	if l.by == nil {
		l.by = map[string]*refusal{}
	}
	if r, ok := l.by[src]; ok {
		return r
	}
	if len(l.by) >= sources && now.Sub(l.swept) >= time.Second {
		l.swept = now
		for k, r := range l.by {
			if now.Sub(r.start) >= window && !now.Before(r.until) {
				delete(l.by, k)
			}
		}
	}
	if len(l.by) >= sources {
		src = overflow
		if r, ok := l.by[src]; ok {
			return r
		}
	}
	r := &refusal{start: now}
	l.by[src] = r
	return r
}

// Held reports whether src is held off at now, and for how long yet; a
// held call is counted (see Refused's summary).
func (l *Refusals) Held(src string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.entry(src, now)
	if now.Before(r.until) {
		r.held++
		return r.until.Sub(now), true
	}
	return 0, false
}

// RefusalCount is what Refused tells of a refusal, for the log and the
// audit: the refusals of the window so far, whether this one starts a
// hold, and how many calls the previous hold answered 429 unaudited.
type RefusalCount struct {
	N       int
	Holds   bool
	WasHeld int
	HoldFor time.Duration
}

// Refused counts a refusal of src at now.
func (l *Refusals) Refused(src string, now time.Time) RefusalCount {
	l.mu.Lock()
	defer l.mu.Unlock()
	limit, window, _ := l.limits()
	r := l.entry(src, now)
	var c RefusalCount
	if now.Sub(r.start) >= window || !r.until.IsZero() && !now.Before(r.until) {
		c.WasHeld = r.held
		*r = refusal{start: now}
	}
	r.n++
	c.N = r.n
	if r.n >= limit {
		r.until, c.Holds, c.HoldFor = now.Add(window), true, window
	}
	return c
}

// Len is how many sources are remembered.
func (l *Refusals) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.by)
}
