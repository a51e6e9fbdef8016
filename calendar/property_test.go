package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

// propertyCalendars are the calendars the property tests run on.
func propertyCalendars(t *testing.T) map[string]*Calendar {
	return map[string]*Calendar{
		"default":       mustNew(t, DefaultOfficeHours()),
		"custom":        mustNew(t, customHours()),
		"with schedule": mustNew(t, DefaultOfficeHours(), parse2025(t)),
	}
}

// randomInstant returns an instant in 2024–2030 with second precision.
func randomInstant(r *rand.Rand) time.Time {
	lo := vn(2024, 1, 1, 0, 0).Unix()
	hi := vn(2030, 12, 1, 0, 0).Unix()
	return time.Unix(lo+r.Int64N(hi-lo), 0).In(VN)
}

func TestPropertiesDue(t *testing.T) {
	for name, c := range propertyCalendars(t) {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(2024, 2030))
			perDay := c.Hours().PerDay()
			for range 3000 {
				recv := randomInstant(rng)
				start := c.Start(recv)
				if start.Before(recv) || !c.IsWorkingTime(start) {
					t.Fatalf("Start(%v) = %v", recv, start)
				}
				prev := start
				for n := 0; n <= 20; n++ {
					due := c.DueDays(recv, n)
					if due.Before(prev) {
						t.Fatalf("DueDays(%v, %d) = %v before DueDays(.., %d) = %v", recv, n, due, n-1, prev)
					}
					if !c.IsWorkingTime(due) {
						t.Fatalf("DueDays(%v, %d) = %v is not working time", recv, n, due)
					}
					if got := c.WorkingTimeBetween(start, due); got != time.Duration(n)*perDay {
						t.Fatalf("WorkingTimeBetween(Start(%v), DueDays(.., %d)) = %v", recv, n, got)
					}
					prev = due
				}
			}
		})
	}
}

func TestPropertiesAddWorkingTime(t *testing.T) {
	for name, c := range propertyCalendars(t) {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 30))
			maxD := int64(20 * 8 * time.Hour)
			for range 5000 {
				from := randomInstant(rng).Add(time.Duration(rng.Int64N(int64(time.Second))))
				a := time.Duration(rng.Int64N(maxD))
				b := time.Duration(rng.Int64N(maxD))
				if rng.IntN(4) == 0 { // whole minutes hit period boundaries more often
					a = a.Truncate(time.Minute)
					b = b.Truncate(time.Hour)
				}
				direct := c.AddWorkingTime(from, a+b)
				stepped := c.AddWorkingTime(c.AddWorkingTime(from, a), b)
				if !direct.Equal(stepped) {
					t.Fatalf("AddWorkingTime(%v, %v+%v) = %v; stepwise %v", from, a, b, direct, stepped)
				}
				if !c.IsWorkingTime(direct) {
					t.Fatalf("AddWorkingTime(%v, %v) = %v is not working time", from, a+b, direct)
				}
				if from.Before(direct) || c.IsWorkingTime(from) {
					if got := c.WorkingTimeBetween(from, direct); got != a+b {
						t.Fatalf("WorkingTimeBetween(%v, AddWorkingTime(.., %v)) = %v", from, a+b, got)
					}
				}
			}
		})
	}
}

func TestPropertiesPauseResume(t *testing.T) {
	for name, c := range propertyCalendars(t) {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			checked := 0
			for range 4000 {
				recv := randomInstant(rng)
				dl := c.Restart(recv, 1+rng.IntN(15), rng.IntN(8))
				// A pause instant inside working time, before the cut-off
				// (so that Start(at) == at) and before the deadline.
				at := c.AddWorkingTime(recv, time.Duration(rng.Int64N(int64(15*8*time.Hour))))
				if !c.Start(at).Equal(at) || !at.Before(dl.Due) {
					continue
				}
				checked++
				p, err := c.Pause(dl, at)
				if err != nil {
					t.Fatal(err)
				}
				r, err := c.Resume(p, at)
				if err != nil {
					t.Fatal(err)
				}
				if !r.Due.Equal(dl.Due) {
					t.Fatalf("Pause+Resume at %v moved %v to %v (remaining %v)", at, dl.Due, r.Due, p.Remaining)
				}
			}
			if checked < 1000 {
				t.Fatalf("only %d cases checked", checked)
			}
		})
	}
}

// TestDueMatchesNaive compares DueDays with the minute-stepping baseline.
func TestDueMatchesNaive(t *testing.T) {
	for name, c := range propertyCalendars(t) {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(42, 42))
			for range 150 {
				recv := randomInstant(rng).Truncate(time.Minute)
				n := rng.IntN(16)
				if got, want := c.DueDays(recv, n), ReferenceDueDays(c, recv, n); !got.Equal(want) {
					t.Fatalf("DueDays(%v, %d) = %v; naive %v", recv, n, got, want)
				}
			}
		})
	}
}
