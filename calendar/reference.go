package calendar

import "time"

// ReferenceDueDays is the obvious, slow implementation of DueDays: start
// the clock with Start, then walk minute by minute, counting the minutes
// that fall inside a period on a working day. It is the oracle the tests
// compare DueDays with and the baseline of `motcua-bench due`; it expects
// minute-aligned input.
func ReferenceDueDays(c *Calendar, received time.Time, days int) time.Time {
	h := c.Hours()
	working := func(t time.Time) bool {
		if !c.IsWorkingDay(DateOf(t)) {
			return false
		}
		m := TimeOfDay(t.Hour()*60 + t.Minute())
		for _, p := range h.Periods {
			if m >= p.Start && m < p.End {
				return true
			}
		}
		return false
	}
	t := c.Start(received)
	for left := days * int(h.PerDay()/time.Minute); left > 0; t = t.Add(time.Minute) {
		if working(t) {
			left--
		}
	}
	return t
}
