package calendar

import (
	"errors"
	"testing"
	"time"
)

// vn returns the instant y-m-d hh:mm in Vietnam.
func vn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, VN)
}

func customHours() OfficeHours {
	return OfficeHours{Periods: []Period{{8 * 60, 12 * 60}, {13 * 60, 17 * 60}}, Cutoff: 16 * 60}
}

func TestStart(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	for _, tc := range []struct {
		name           string
		received, want time.Time
	}{
		{"morning", vn(2026, 3, 10, 9, 0), vn(2026, 3, 10, 9, 0)},
		{"period start", vn(2026, 3, 10, 7, 30), vn(2026, 3, 10, 7, 30)},
		{"period end", vn(2026, 3, 10, 11, 30), vn(2026, 3, 10, 11, 30)},
		{"early morning", vn(2026, 3, 10, 6, 0), vn(2026, 3, 10, 7, 30)},
		{"lunch break", vn(2026, 3, 10, 12, 0), vn(2026, 3, 10, 13, 30)},
		{"at the cut-off", vn(2026, 3, 10, 15, 0), vn(2026, 3, 10, 15, 0)},
		{"just after the cut-off", vn(2026, 3, 10, 15, 0).Add(time.Second), vn(2026, 3, 11, 7, 30)},
		{"after the cut-off", vn(2026, 3, 10, 16, 0), vn(2026, 3, 11, 7, 30)},
		{"evening", vn(2026, 3, 10, 17, 45), vn(2026, 3, 11, 7, 30)},
		{"Friday evening", vn(2026, 3, 13, 17, 45), vn(2026, 3, 16, 7, 30)},
		{"Saturday", vn(2026, 3, 14, 10, 0), vn(2026, 3, 16, 7, 30)},
		{"Friday before Tết, after the cut-off", vn(2026, 2, 13, 15, 30), vn(2026, 2, 23, 7, 30)},
		{"UTC input", time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC), vn(2026, 3, 10, 9, 0)},
		{"UTC input, previous UTC day", time.Date(2026, 3, 9, 23, 0, 0, 0, time.UTC), vn(2026, 3, 10, 7, 30)},
	} {
		got := c.Start(tc.received)
		if !got.Equal(tc.want) || got.Location() != VN {
			t.Errorf("%s: Start(%v) = %v; want %v", tc.name, tc.received, got, tc.want)
		}
	}
}

func TestDue(t *testing.T) {
	def := mustNew(t, DefaultOfficeHours())
	custom := mustNew(t, customHours())
	for _, tc := range []struct {
		name     string
		c        *Calendar
		received time.Time
		days     int // used when hours < 0
		hours    int
		want     time.Time
	}{
		// An ordinary fortnight: 2026-03-10 is a Tuesday, no holidays near.
		{"morning, 0 days", def, vn(2026, 3, 10, 9, 0), 0, -1, vn(2026, 3, 10, 9, 0)},
		{"morning, 1 day", def, vn(2026, 3, 10, 9, 0), 1, -1, vn(2026, 3, 11, 9, 0)},
		{"morning, 3 days", def, vn(2026, 3, 10, 9, 0), 3, -1, vn(2026, 3, 13, 9, 0)},
		{"morning, 5 days", def, vn(2026, 3, 10, 9, 0), 5, -1, vn(2026, 3, 17, 9, 0)},
		{"morning, 10 days", def, vn(2026, 3, 10, 9, 0), 10, -1, vn(2026, 3, 24, 9, 0)},
		{"morning, 15 days", def, vn(2026, 3, 10, 9, 0), 15, -1, vn(2026, 3, 31, 9, 0)},
		{"negative days count as 0", def, vn(2026, 3, 10, 12, 0), -3, -1, vn(2026, 3, 10, 13, 30)},
		// Lunch break: the clock starts at 13:30 and one day ends exactly
		// at the end of the next morning (11:30, not 13:30).
		{"lunch, 1 day", def, vn(2026, 3, 10, 12, 0), 1, -1, vn(2026, 3, 11, 11, 30)},
		{"lunch, 3 days", def, vn(2026, 3, 10, 12, 0), 3, -1, vn(2026, 3, 13, 11, 30)},
		{"at the cut-off, 1 day", def, vn(2026, 3, 10, 15, 0), 1, -1, vn(2026, 3, 11, 15, 0)},
		{"after the cut-off, 1 day", def, vn(2026, 3, 10, 15, 30), 1, -1, vn(2026, 3, 11, 17, 30)},
		{"after the cut-off, 3 days", def, vn(2026, 3, 10, 15, 30), 3, -1, vn(2026, 3, 13, 17, 30)},
		{"17:45, 1 day", def, vn(2026, 3, 10, 17, 45), 1, -1, vn(2026, 3, 11, 17, 30)},
		{"17:45 Friday, 1 day", def, vn(2026, 3, 13, 17, 45), 1, -1, vn(2026, 3, 16, 17, 30)},
		{"Saturday, 1 day", def, vn(2026, 3, 14, 10, 0), 1, -1, vn(2026, 3, 16, 17, 30)},
		{"Saturday, 5 days", def, vn(2026, 3, 14, 10, 0), 5, -1, vn(2026, 3, 20, 17, 30)},
		// Tết 2026 is Monday 16/2 – Friday 20/2.
		{"Friday before Tết 2026, 1 day", def, vn(2026, 2, 13, 10, 0), 1, -1, vn(2026, 2, 23, 10, 0)},
		{"Friday before Tết 2026, 3 days", def, vn(2026, 2, 13, 10, 0), 3, -1, vn(2026, 2, 25, 10, 0)},
		// Tết 2025 by rule: Tuesday 28/1 – Saturday 1/2, make-up Monday 3/2.
		{"Friday before Tết 2025, 1 day", def, vn(2025, 1, 24, 14, 0), 1, -1, vn(2025, 1, 27, 14, 0)},
		{"Friday before Tết 2025, 2 days", def, vn(2025, 1, 24, 14, 0), 2, -1, vn(2025, 2, 4, 14, 0)},
		// Tết 2024: Friday 9/2 – Tuesday 13/2, make-ups 14/2 and 15/2.
		{"Thursday before Tết 2024, 1 day", def, vn(2024, 2, 8, 8, 0), 1, -1, vn(2024, 2, 16, 8, 0)},
		// Tết 2030: Friday 1/2 – Tuesday 5/2, make-ups 6/2 and 7/2.
		{"Thursday before Tết 2030, 1 day", def, vn(2030, 1, 31, 11, 0), 1, -1, vn(2030, 2, 8, 11, 0)},
		// 2026: Giỗ Tổ Sunday 26/4 (make-up Monday 27/4), 30/4 Thu, 1/5 Fri.
		{"across Giỗ Tổ, 30/4, 1/5 2026, 3 days", def, vn(2026, 4, 24, 8, 0), 3, -1, vn(2026, 5, 4, 8, 0)},
		{"across Giỗ Tổ, 30/4, 1/5 2026, 5 days", def, vn(2026, 4, 24, 8, 0), 5, -1, vn(2026, 5, 6, 8, 0)},
		// 2027: Giỗ Tổ Friday 16/4, 30/4 Friday, 1/5 Saturday (make-up 3/5).
		{"April 2027, 10 days", def, vn(2027, 4, 12, 10, 0), 10, -1, vn(2027, 4, 27, 10, 0)},
		{"April 2027, 15 days", def, vn(2027, 4, 12, 10, 0), 15, -1, vn(2027, 5, 6, 10, 0)},
		// 2028: 30/4 Sunday, 1/5 Monday, make-up Tuesday 2/5.
		{"30/4 2028, 1 day", def, vn(2028, 4, 28, 9, 0), 1, -1, vn(2028, 5, 3, 9, 0)},
		// 2029: 1/9 Sat, 2/9 Sun, make-ups Monday 3/9 and Tuesday 4/9.
		{"Quốc khánh 2029, after the cut-off", def, vn(2029, 8, 31, 16, 0), 1, -1, vn(2029, 9, 5, 17, 30)},
		// Across the new year 2027/2028 (1/1/2028 Saturday, make-up 3/1).
		{"new year 2028, 3 days", def, vn(2027, 12, 30, 9, 0), 3, -1, vn(2028, 1, 5, 9, 0)},
		// Hours.
		{"hours: 0", def, vn(2026, 3, 10, 12, 0), 0, 0, vn(2026, 3, 10, 13, 30)},
		{"hours: 4 from 09:00", def, vn(2026, 3, 10, 9, 0), 0, 4, vn(2026, 3, 10, 15, 0)},
		{"hours: 4 after the cut-off", def, vn(2026, 3, 10, 16, 0), 0, 4, vn(2026, 3, 11, 11, 30)},
		{"hours: 8 after the cut-off", def, vn(2026, 3, 10, 16, 0), 0, 8, vn(2026, 3, 11, 17, 30)},
		{"hours: 24 from 09:00", def, vn(2026, 3, 10, 9, 0), 0, 24, vn(2026, 3, 13, 9, 0)},
		{"hours: 2 on Friday 16:00 before Tết 2026", def, vn(2026, 2, 13, 16, 0), 0, 2, vn(2026, 2, 23, 9, 30)},
		// Custom hours 08:00–12:00, 13:00–17:00, cut-off 16:00.
		{"custom: before the cut-off", custom, vn(2026, 3, 10, 15, 30), 1, -1, vn(2026, 3, 11, 15, 30)},
		{"custom: after the cut-off", custom, vn(2026, 3, 10, 16, 30), 1, -1, vn(2026, 3, 11, 17, 0)},
		{"custom: lunch", custom, vn(2026, 3, 10, 12, 30), 1, -1, vn(2026, 3, 11, 12, 0)},
		{"custom: 10 days", custom, vn(2026, 3, 10, 8, 0), 10, -1, vn(2026, 3, 23, 17, 0)},
		{"custom: hours 3 at 11:00", custom, vn(2026, 3, 10, 11, 0), 0, 3, vn(2026, 3, 10, 15, 0)},
	} {
		var got time.Time
		if tc.hours >= 0 {
			got = tc.c.DueHours(tc.received, tc.hours)
		} else {
			got = tc.c.DueDays(tc.received, tc.days)
		}
		if !got.Equal(tc.want) || got.Location() != VN {
			t.Errorf("%s: due(%v) = %v; want %v", tc.name, tc.received.Format("2006-01-02 15:04 Mon"),
				got.Format("2006-01-02 15:04 Mon"), tc.want.Format("2006-01-02 15:04 Mon"))
		}
	}
}

func TestEightHourDay(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	if got := c.Hours().PerDay(); got != 8*time.Hour {
		t.Fatalf("PerDay = %v; want 8h", got)
	}
	for _, r := range []time.Time{vn(2026, 3, 10, 9, 17), vn(2026, 3, 10, 12, 0), vn(2026, 2, 13, 16, 0)} {
		for n := 0; n <= 20; n++ {
			if d, h := c.DueDays(r, n), c.DueHours(r, 8*n); !d.Equal(h) {
				t.Errorf("DueDays(%v, %d) = %v but DueHours(%d) = %v", r, n, d, 8*n, h)
			}
		}
	}
}

func TestAddWorkingTime(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	for _, tc := range []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"zero inside", vn(2026, 3, 10, 9, 0), 0, vn(2026, 3, 10, 9, 0)},
		{"zero at period end", vn(2026, 3, 10, 11, 30), 0, vn(2026, 3, 10, 11, 30)},
		{"zero in lunch", vn(2026, 3, 10, 12, 0), 0, vn(2026, 3, 10, 13, 30)},
		{"negative in lunch", vn(2026, 3, 10, 12, 0), -time.Hour, vn(2026, 3, 10, 13, 30)},
		{"ends at period end", vn(2026, 3, 10, 9, 0), 150 * time.Minute, vn(2026, 3, 10, 11, 30)},
		{"one minute more", vn(2026, 3, 10, 9, 0), 151 * time.Minute, vn(2026, 3, 10, 13, 31)},
		{"from period end", vn(2026, 3, 10, 11, 30), time.Minute, vn(2026, 3, 10, 13, 31)},
		{"ends at day end", vn(2026, 3, 10, 13, 30), 4 * time.Hour, vn(2026, 3, 10, 17, 30)},
		{"after the cut-off is not moved", vn(2026, 3, 10, 16, 0), time.Hour, vn(2026, 3, 10, 17, 0)},
		{"evening", vn(2026, 3, 10, 20, 0), time.Hour, vn(2026, 3, 11, 8, 30)},
		{"sub-second", vn(2026, 3, 10, 11, 29), time.Minute + time.Nanosecond, vn(2026, 3, 10, 13, 30).Add(time.Nanosecond)},
		{"a year of work", vn(2026, 1, 2, 7, 30), 250 * 8 * time.Hour, vn(2026, 12, 31, 17, 30)},
		{"a year and a day", vn(2025, 12, 31, 7, 30), 251 * 8 * time.Hour, vn(2026, 12, 31, 17, 30)},
	} {
		if got := c.AddWorkingTime(tc.from, tc.d); !got.Equal(tc.want) {
			t.Errorf("%s: AddWorkingTime(%v, %v) = %v; want %v", tc.name, tc.from, tc.d, got, tc.want)
		}
	}
}

func TestWorkingTimeBetween(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	for _, tc := range []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"empty", vn(2026, 3, 10, 9, 0), vn(2026, 3, 10, 9, 0), 0},
		{"reversed", vn(2026, 3, 10, 10, 0), vn(2026, 3, 10, 9, 0), 0},
		{"morning", vn(2026, 3, 10, 9, 0), vn(2026, 3, 10, 10, 0), time.Hour},
		{"across lunch", vn(2026, 3, 10, 11, 0), vn(2026, 3, 10, 14, 0), time.Hour},
		{"whole day", vn(2026, 3, 10, 0, 0), vn(2026, 3, 11, 0, 0), 8 * time.Hour},
		{"across a weekend", vn(2026, 3, 13, 17, 0), vn(2026, 3, 16, 8, 0), time.Hour},
		{"Tết 2026", vn(2026, 2, 13, 0, 0), vn(2026, 2, 24, 0, 0), 2 * 8 * time.Hour},
		{"year 2026: 250 working days", vn(2026, 1, 1, 0, 0), vn(2027, 1, 1, 0, 0), 250 * 8 * time.Hour},
		{"over whole year 2026", vn(2025, 12, 31, 0, 0), vn(2027, 1, 2, 0, 0), 251 * 8 * time.Hour},
		{"UTC inputs", time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC), time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC), time.Hour},
	} {
		if got := c.WorkingTimeBetween(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: WorkingTimeBetween(%v, %v) = %v; want %v", tc.name, tc.a, tc.b, got, tc.want)
		}
	}
}

func TestIsWorkingTime(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	for _, tc := range []struct {
		t    time.Time
		want bool
	}{
		{vn(2026, 3, 10, 7, 29), false},
		{vn(2026, 3, 10, 7, 30), true},
		{vn(2026, 3, 10, 11, 30), true}, // the end is included
		{vn(2026, 3, 10, 11, 31), false},
		{vn(2026, 3, 10, 16, 0), true}, // after the cut-off is still working time
		{vn(2026, 3, 10, 17, 30), true},
		{vn(2026, 3, 10, 17, 31), false},
		{vn(2026, 3, 14, 9, 0), false},                        // Saturday
		{vn(2026, 2, 17, 9, 0), false},                        // Tết
		{vn(2026, 4, 27, 9, 0), false},                        // make-up day
		{vn(2026, 4, 28, 9, 0), true},                         // ordinary Tuesday
		{time.Date(2026, 3, 10, 0, 30, 0, 0, time.UTC), true}, // 07:30 in VN
	} {
		if got := c.IsWorkingTime(tc.t); got != tc.want {
			t.Errorf("IsWorkingTime(%v) = %v; want %v", tc.t, got, tc.want)
		}
	}
}

func TestPauseResume(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	dl := c.Restart(vn(2026, 3, 10, 9, 0), 3, 0)
	if want := vn(2026, 3, 13, 9, 0); !dl.Due.Equal(want) || dl.Paused() {
		t.Fatalf("Restart = %+v; want due %v", dl, want)
	}
	p, err := c.Pause(dl, vn(2026, 3, 11, 9, 0))
	if err != nil || !p.Paused() || p.Remaining != 16*time.Hour {
		t.Fatalf("Pause = %+v, %v; want 16h remaining", p, err)
	}
	if _, err := c.Pause(p, vn(2026, 3, 11, 10, 0)); !errors.Is(err, ErrPaused) {
		t.Errorf("second Pause: %v; want ErrPaused", err)
	}
	if _, err := c.Resume(dl, vn(2026, 3, 11, 10, 0)); !errors.Is(err, ErrNotPaused) {
		t.Errorf("Resume of a running deadline: %v; want ErrNotPaused", err)
	}
	if _, err := c.Resume(p, vn(2026, 3, 11, 8, 0)); err == nil {
		t.Error("Resume before the pause: no error")
	}
	r, err := c.Resume(p, vn(2026, 3, 16, 9, 0))
	if want := vn(2026, 3, 18, 9, 0); err != nil || !r.Due.Equal(want) || r.Paused() {
		t.Errorf("Resume Monday 09:00 = %+v, %v; want due %v", r, err, want)
	}
	// Resumed after the cut-off: the clock restarts the next morning.
	r, err = c.Resume(p, vn(2026, 3, 16, 16, 0))
	if want := vn(2026, 3, 18, 17, 30); err != nil || !r.Due.Equal(want) {
		t.Errorf("Resume Monday 16:00 = %+v, %v; want due %v", r, err, want)
	}
	// Paused after the deadline: nothing remains (never negative).
	late, err := c.Pause(dl, vn(2026, 3, 20, 9, 0))
	if err != nil || late.Remaining != 0 {
		t.Errorf("late Pause = %+v, %v; want 0 remaining", late, err)
	}
	if _, err := c.Pause(Deadline{}, vn(2026, 3, 20, 9, 0)); err == nil {
		t.Error("Pause of a zero deadline: no error")
	}
	// Restart with days and hours.
	if got, want := c.Restart(vn(2026, 3, 10, 9, 0), 1, 2).Due, vn(2026, 3, 11, 11, 0); !got.Equal(want) {
		t.Errorf("Restart(1 day, 2 h) = %v; want %v", got, want)
	}
}

func TestZeroCalendar(t *testing.T) {
	// A Calendar not made by New behaves like the default one.
	var nilCal *Calendar
	zero := &Calendar{}
	def := mustNew(t, DefaultOfficeHours())
	r := vn(2026, 2, 13, 10, 0)
	for _, c := range []*Calendar{nilCal, zero} {
		if got, want := c.DueDays(r, 3), def.DueDays(r, 3); !got.Equal(want) {
			t.Errorf("DueDays on zero calendar = %v; want %v", got, want)
		}
	}
}

func TestExtremeInputs(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	// None of these may panic or hang.
	_ = c.DueDays(time.Time{}, 3)
	_ = c.DueDays(vn(2026, 3, 10, 9, 0), 1<<62)
	_ = c.DueHours(vn(9999, 12, 31, 9, 0), 100)
	_ = c.AddWorkingTime(time.Unix(1<<40, 0), time.Hour)
	_ = c.WorkingTimeBetween(time.Unix(-1<<40, 0), time.Unix(1<<40, 0))
	_ = c.Restart(vn(2026, 3, 10, 9, 0), 1<<62, 1<<62)
	_ = c.Holidays(-5)
	_ = c.IsWorkingDay(Date{1 << 40, 1, 1})
}
