package calendar

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Years whose calendars a Calendar caches; other years are computed on
// each use (correct, only slower).
const (
	cacheMinYear = 1900
	cacheMaxYear = 2200 // exclusive
)

// The years the platform computes deadlines for: the Labour Code's lunar
// holidays are computed for them, and every deadline in them has a date a
// client can read. An instant outside is bad input, not a deadline.
const (
	MinYear = 1900
	MaxYear = 2199
)

// InRange reports whether t falls in the years MinYear to MaxYear, in
// Vietnam.
func InRange(t time.Time) bool {
	y := t.In(VN).Year()
	return y >= MinYear && y <= MaxYear
}

// The instants the time arithmetic works with: from 0001-01-01 00:00 to
// 9999-12-31 24:00 in Vietnam. Instants outside are clamped to this range.
var (
	minDay = daysFromCivil(1, time.January, 1)
	maxDay = daysFromCivil(9999, time.December, 31)
)

const (
	secondsPerDay = 24 * 60 * 60
	nsPerDay      = int64(secondsPerDay) * int64(time.Second)
	vnOffset      = 7 * 60 * 60
)

// span is a period as nanosecond offsets from midnight.
type span struct{ start, end int64 }

// Calendar answers working-day and deadline questions for given office
// hours and schedules. Create it with New; it is immutable afterwards and
// safe for concurrent use. (A zero or nil *Calendar behaves like
// New(DefaultOfficeHours()).)
//
// Working time is the union of the office-hour periods of the working
// days. A period contains both its start and its end instant: 11:30 is
// working time and so is 07:30.
type Calendar struct {
	hours     OfficeHours
	periods   []span
	cutoff    int64 // nanoseconds after midnight
	perDay    time.Duration
	schedules map[int]Schedule
	cache     [cacheMaxYear - cacheMinYear]atomic.Pointer[yearInfo]
}

// New returns a Calendar with the given office hours. Each schedule
// replaces the holiday rules for its year; years without a schedule follow
// the rules (see Holidays). It fails if the hours or a schedule are invalid
// or two schedules cover the same year.
func New(hours OfficeHours, schedules ...Schedule) (*Calendar, error) {
	if err := hours.Validate(); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	c := &Calendar{
		hours:     hours.clone(),
		cutoff:    int64(hours.Cutoff.Duration()),
		perDay:    hours.PerDay(),
		schedules: make(map[int]Schedule, len(schedules)),
	}
	for _, p := range hours.Periods {
		c.periods = append(c.periods, span{int64(p.Start.Duration()), int64(p.End.Duration())})
	}
	for i, s := range schedules {
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("calendar: schedules[%d]: %w", i, err)
		}
		if _, dup := c.schedules[s.Year]; dup {
			return nil, fmt.Errorf("calendar: schedules[%d]: year %d given twice", i, s.Year)
		}
		c.schedules[s.Year] = s.clone()
	}
	return c, nil
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New(DefaultOfficeHours())
	if err != nil {
		panic("calendar: default office hours invalid: " + err.Error()) // unreachable
	}
	return c
})

// ready returns c, or the default calendar if c was not made by New.
func (c *Calendar) ready() *Calendar {
	if c == nil || c.perDay <= 0 {
		return defaultCalendar()
	}
	return c
}

// Hours returns (a copy of) the office hours of c.
func (c *Calendar) Hours() OfficeHours {
	return c.ready().hours.clone()
}

// Schedule returns the schedule loaded for year, if any.
func (c *Calendar) Schedule(year int) (Schedule, bool) {
	s, ok := c.ready().schedules[year]
	return s.clone(), ok
}

// yearInfo returns the calendar of year y.
func (c *Calendar) yearInfo(y int) *yearInfo {
	load := func() *yearInfo {
		if s, ok := c.schedules[y]; ok {
			return newYearInfo(y, &s)
		}
		return newYearInfo(y, nil)
	}
	if y < cacheMinYear || y >= cacheMaxYear {
		return load()
	}
	p := &c.cache[y-cacheMinYear]
	if yi := p.Load(); yi != nil {
		return yi
	}
	yi := load()
	if p.CompareAndSwap(nil, yi) {
		return yi
	}
	return p.Load()
}

// cursor walks day numbers, keeping the calendar of the current year at
// hand so that consecutive days cost a bit test each.
type cursor struct {
	c  *Calendar
	yi *yearInfo
}

func (cu *cursor) at(day int) *yearInfo {
	if yi := cu.yi; yi != nil && day >= yi.first && day < yi.first+yi.n {
		return yi
	}
	cu.yi = cu.c.yearInfo(dateOfDays(day).Year)
	return cu.yi
}

func (cu *cursor) working(day int) bool {
	return !cu.at(day).isOff(day)
}

// nextWorking returns the first working day numbered day or later (or the
// day after maxDay if there is none in range).
func (cu *cursor) nextWorking(day int) int {
	for day <= maxDay && !cu.working(day) {
		day++
	}
	return day
}

// split converts t to a day number and a nanosecond offset into that day,
// in Vietnam, clamping t to the supported range.
func split(t time.Time) (day int, off int64) {
	s := t.Unix() + vnOffset
	lo := int64(minDay) * secondsPerDay
	hi := int64(maxDay+1) * secondsPerDay
	switch {
	case s < lo:
		return minDay, 0
	case s >= hi:
		return maxDay, nsPerDay
	}
	d := s / secondsPerDay
	if s%secondsPerDay < 0 {
		d--
	}
	return int(d), (s-d*secondsPerDay)*int64(time.Second) + int64(t.Nanosecond())
}

// join is the inverse of split; the result is in VN.
func join(day int, off int64) time.Time {
	return time.Unix(int64(day)*secondsPerDay-vnOffset, off).In(VN)
}

// IsWorkingDay reports whether d is a working day: a weekday that is not a
// holiday or make-up day off, or, in a year with a Schedule, a day not in
// its DaysOff that is a weekday or one of its WorkingDays.
func (c *Calendar) IsWorkingDay(d Date) bool {
	c = c.ready()
	day := d.days()
	if day < minDay || day > maxDay {
		return false
	}
	return !c.yearInfo(dateOfDays(day).Year).isOff(day)
}

// Holidays returns every day off of solar year year other than ordinary
// Saturdays and Sundays, sorted by date.
//
// For a year with a loaded Schedule these are its DaysOff (kind
// KindSchedule). Otherwise they follow the Labour Code rules (kind
// KindRule): 1/1 "Tết Dương lịch"; five days "Tết Nguyên đán" (the last day
// of the lunar year and lunar 1/1–1/4); lunar 10/3 "Giỗ Tổ Hùng Vương"; 30/4
// "Ngày Chiến thắng"; 1/5 "Ngày Quốc tế Lao động"; 2/9 "Quốc khánh" with 1/9
// (3/9 when 2/9 is a Monday). Holidays falling on a Saturday or Sunday are
// listed too, and each gives a make-up day off (kind KindMakeup, named
// "Nghỉ bù <holiday>") on the next weekday that is not a holiday or an
// earlier make-up day.
func (c *Calendar) Holidays(year int) []Holiday {
	c = c.ready()
	if year < 1 || year > 9999 {
		return nil
	}
	return slices.Clone(c.yearInfo(year).holidays)
}

// IsWorkingTime reports whether t falls on a working day within one of the
// office-hour periods, both ends included.
func (c *Calendar) IsWorkingTime(t time.Time) bool {
	c = c.ready()
	day, off := split(t)
	cu := cursor{c: c}
	if !cu.working(day) {
		return false
	}
	for _, p := range c.periods {
		if off >= p.start && off <= p.end {
			return true
		}
	}
	return false
}

// Start returns when the processing clock starts for a dossier received at
// received: received itself if that is working time on a working day no
// later than the cut-off; the start of the next period of the same day if
// received before the cut-off outside the periods (e.g. during the lunch
// break); otherwise (after the cut-off, or on a day off) the start of the
// first period of the next working day.
func (c *Calendar) Start(received time.Time) time.Time {
	c = c.ready()
	day, off := split(received)
	cu := cursor{c: c}
	if cu.working(day) && off <= c.cutoff {
		for _, p := range c.periods {
			if off <= p.end {
				return join(day, max(off, p.start))
			}
		}
	}
	return join(cu.nextWorking(day+1), c.periods[0].start)
}

// AddWorkingTime returns the instant d of working time after t. If t is
// not working time it first moves to the start of the next period (the
// cut-off does not apply here). When the result falls exactly at the end of
// a period, that end is returned, never the start of the next period. A
// negative d counts as 0.
func (c *Calendar) AddWorkingTime(t time.Time, d time.Duration) time.Time {
	c = c.ready()
	day, off := split(t)
	return join(c.addWorking(day, off, max(d, 0)))
}

// addWorking implements AddWorkingTime on day numbers and offsets.
func (c *Calendar) addWorking(day int, off int64, rem time.Duration) (int, int64) {
	cu := cursor{c: c}
	perDay := c.perDay
	for {
		if cu.working(day) {
			for _, p := range c.periods {
				if off > p.end {
					continue
				}
				off = max(off, p.start)
				avail := time.Duration(p.end - off)
				if rem <= avail {
					return day, off + int64(rem)
				}
				rem -= avail
				off = p.end
			}
		}
		// Jump over whole days (and whole years) while more than a day of
		// work remains, then finish within the day found.
		day++
		off = 0
		for day <= maxDay {
			yi := cu.at(day)
			if day == yi.first && rem > time.Duration(yi.workDays)*perDay {
				rem -= time.Duration(yi.workDays) * perDay
				day += yi.n
				continue
			}
			if !yi.isOff(day) {
				if rem <= perDay {
					break
				}
				rem -= perDay
			}
			day++
		}
		if day > maxDay {
			return maxDay, nsPerDay
		}
	}
}

// WorkingTimeBetween returns the working time within [a, b), or 0 if b is
// not after a.
func (c *Calendar) WorkingTimeBetween(a, b time.Time) time.Duration {
	c = c.ready()
	da, oa := split(a)
	db, ob := split(b)
	if db < da || (db == da && ob <= oa) {
		return 0
	}
	cu := cursor{c: c}
	if da == db {
		return c.workedWithin(&cu, da, oa, ob)
	}
	total := c.workedWithin(&cu, da, oa, nsPerDay) + c.workedWithin(&cu, db, 0, ob)
	for day := da + 1; day < db; {
		yi := cu.at(day)
		if day == yi.first && yi.first+yi.n <= db {
			total += time.Duration(yi.workDays) * c.perDay
			day += yi.n
			continue
		}
		if !yi.isOff(day) {
			total += c.perDay
		}
		day++
	}
	return total
}

// workedWithin returns the working time of day within offsets [lo, hi).
func (c *Calendar) workedWithin(cu *cursor, day int, lo, hi int64) time.Duration {
	if !cu.working(day) {
		return 0
	}
	var total int64
	for _, p := range c.periods {
		if s, e := max(lo, p.start), min(hi, p.end); e > s {
			total += e - s
		}
	}
	return time.Duration(total)
}

// mulDuration returns n × unit, saturating instead of overflowing; n < 0
// counts as 0.
func mulDuration(n int, unit time.Duration) time.Duration {
	if n <= 0 || unit <= 0 {
		return 0
	}
	if int64(n) > math.MaxInt64/int64(unit) {
		return math.MaxInt64
	}
	return time.Duration(n) * unit
}

// DueDays returns the deadline of a task of days working days for a
// dossier received at received: AddWorkingTime(Start(received), days ×
// PerDay). days = 0 returns Start(received); days < 0 counts as 0.
func (c *Calendar) DueDays(received time.Time, days int) time.Time {
	c = c.ready()
	return c.AddWorkingTime(c.Start(received), mulDuration(days, c.perDay))
}

// DueHours returns the deadline of a task of hours working hours for a
// dossier received at received: AddWorkingTime(Start(received), hours h).
// hours < 0 counts as 0.
func (c *Calendar) DueHours(received time.Time, hours int) time.Time {
	c = c.ready()
	return c.AddWorkingTime(c.Start(received), mulDuration(hours, time.Hour))
}

// Deadline is the processing deadline of a dossier, which can be paused
// while waiting for the applicant (e.g. to supplement the dossier).
type Deadline struct {
	// Due is the deadline; while paused, the deadline as it stood when
	// paused.
	Due time.Time `json:"due"`
	// PausedAt is when the clock was paused, nil if it runs.
	PausedAt *time.Time `json:"paused_at,omitempty"`
	// Remaining is the working time that was left when paused (0 if the
	// deadline had already passed: it is never negative). It is meaningful
	// only while paused.
	Remaining time.Duration `json:"remaining"`
}

// Paused reports whether the clock of dl is paused.
func (dl Deadline) Paused() bool { return dl.PausedAt != nil }

// Errors of Pause and Resume, for errors.Is.
var (
	ErrPaused    = errors.New("deadline already paused")
	ErrNotPaused = errors.New("deadline not paused")
)

// Pause stops the clock of dl at at: the returned deadline records at and
// the working time left until Due, WorkingTimeBetween(at, Due), which is 0
// if the deadline has passed. It fails with ErrPaused if dl is already
// paused, and if dl has no Due.
func (c *Calendar) Pause(dl Deadline, at time.Time) (Deadline, error) {
	c = c.ready()
	if dl.PausedAt != nil {
		return dl, fmt.Errorf("calendar: pause at %v: %w (since %v)", at, ErrPaused, dl.PausedAt.In(VN))
	}
	if dl.Due.IsZero() {
		return dl, fmt.Errorf("calendar: pause at %v: deadline has no due time", at)
	}
	pausedAt := at.In(VN)
	return Deadline{
		Due:       dl.Due.In(VN),
		PausedAt:  &pausedAt,
		Remaining: c.WorkingTimeBetween(pausedAt, dl.Due),
	}, nil
}

// Resume restarts the clock of a paused deadline at at: the new Due is
// AddWorkingTime(Start(at), Remaining), so the cut-off applies to at as to
// a newly received dossier. It fails with ErrNotPaused if dl is not paused,
// and if at is before the pause.
func (c *Calendar) Resume(dl Deadline, at time.Time) (Deadline, error) {
	c = c.ready()
	if dl.PausedAt == nil {
		return dl, fmt.Errorf("calendar: resume at %v: %w", at, ErrNotPaused)
	}
	if at.Before(*dl.PausedAt) {
		return dl, fmt.Errorf("calendar: resume at %v: before the pause at %v", at.In(VN), dl.PausedAt.In(VN))
	}
	return Deadline{Due: c.AddWorkingTime(c.Start(at), max(dl.Remaining, 0))}, nil
}

// Restart returns a fresh, running deadline of days working days plus
// hours working hours counted from at (as a dossier received at at).
// Negative counts count as 0.
func (c *Calendar) Restart(at time.Time, days, hours int) Deadline {
	c = c.ready()
	d := mulDuration(days, c.perDay)
	h := mulDuration(hours, time.Hour)
	total := d + h
	if total < d { // overflow
		total = math.MaxInt64
	}
	return Deadline{Due: c.AddWorkingTime(c.Start(at), total)}
}
