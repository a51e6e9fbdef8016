package payment

import (
	"fmt"
	"testing"
	"time"
)

// TestRefusals walks one source through a window: refused Max times, held
// off for Window with the time left, counted anew after the hold with the
// held calls summed; another source is not held; a new window forgets.
func TestRefusals(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	l := &Refusals{Max: 3, Window: time.Minute}
	type step struct {
		at      time.Duration // after t0
		src     string
		held    bool          // Held's answer
		wait    time.Duration // when held
		n       int           // Refused's count, when not held
		holds   bool
		wasHeld int
	}
	for i, s := range []step{
		{at: 0, src: "a", n: 1},
		{at: time.Second, src: "a", n: 2},
		{at: 2 * time.Second, src: "b", n: 1},
		{at: 3 * time.Second, src: "a", n: 3, holds: true},
		{at: 4 * time.Second, src: "a", held: true, wait: 59 * time.Second},
		{at: 30 * time.Second, src: "a", held: true, wait: 33 * time.Second},
		{at: 4 * time.Second, src: "b", n: 2},
		{at: 63 * time.Second, src: "a", n: 1, wasHeld: 2}, // the hold is over
		{at: 200 * time.Second, src: "b", n: 1},            // a new window
	} {
		now := t0.Add(s.at)
		wait, held := l.Held(s.src, now)
		if held != s.held || wait != s.wait {
			t.Fatalf("step %d: held %v %v, want %v %v", i, held, wait, s.held, s.wait)
		}
		if held {
			continue
		}
		c := l.Refused(s.src, now)
		if c.N != s.n || c.Holds != s.holds || c.WasHeld != s.wasHeld || c.Holds && c.HoldFor != time.Minute {
			t.Fatalf("step %d: %+v, want n %d holds %v was held %d", i, c, s.n, s.holds, s.wasHeld)
		}
	}
}

// TestRefusalsBounded: past Sources, new sources share one counter (held
// off together), and the expired ones are forgotten to make room.
func TestRefusalsBounded(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	l := &Refusals{Max: 2, Window: time.Minute, Sources: 4}
	for i := range 100 {
		src := fmt.Sprintf("10.0.0.%d", i)
		if _, held := l.Held(src, t0); held {
			continue
		}
		l.Refused(src, t0)
	}
	if n := l.Len(); n > 5 { // 4 sources and the shared counter
		t.Fatalf("%d sources remembered, want at most 5", n)
	}
	if _, held := l.Held("10.0.1.1", t0.Add(time.Second)); !held {
		t.Error("a new source past the bound is not held off with the others")
	}
	if _, held := l.Held("10.0.0.0", t0.Add(time.Second)); held {
		t.Error("a source refused once is held off")
	}
	// Two minutes later the expired counts are swept and a new source has
	// its own counter again.
	later := t0.Add(2 * time.Minute)
	if _, held := l.Held("10.0.2.1", later); held {
		t.Error("held off after the window")
	}
	if c := l.Refused("10.0.2.1", later); c.N != 1 || l.Len() > 2 {
		t.Errorf("after the sweep: %+v, %d sources", c, l.Len())
	}
}
