package calendar

import (
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Kinds of Holiday.
const (
	// KindRule is a public holiday given by the Labour Code rules.
	KindRule = "rule"
	// KindMakeup is a make-up day off for a holiday that fell on a weekend.
	KindMakeup = "makeup"
	// KindSchedule is a day off listed in a loaded Schedule.
	KindSchedule = "schedule"
)

// Holiday names.
const (
	nameNewYear     = "Tết Dương lịch"
	nameTet         = "Tết Nguyên đán"
	nameHungKings   = "Giỗ Tổ Hùng Vương"
	nameVictory     = "Ngày Chiến thắng"
	nameLabour      = "Ngày Quốc tế Lao động"
	nameNational    = "Quốc khánh"
	makeupPrefix    = "Nghỉ bù "
	nameScheduleOff = "Ngày nghỉ theo lịch"
)

// Holiday is a day off other than an ordinary Saturday or Sunday.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
	// Kind is KindRule, KindMakeup or KindSchedule.
	Kind string `json:"kind"`
}

// baseHolidays returns the public holidays of the Labour Code (Bộ luật Lao
// động 2019, Article 112) whose rules are anchored in solar year y, in
// chronological order: 1/1; Tết Nguyên đán of lunar year y (the last day of
// lunar year y-1 and lunar 1/1–1/4 of year y); lunar 10/3 of year y; 30/4;
// 1/5; and 2/9 with one adjacent day. Some of them may fall outside solar
// year y.
func baseHolidays(y int) []Holiday {
	hs := make([]Holiday, 0, 11)
	add := func(d Date, name string) { hs = append(hs, Holiday{d, name, KindRule}) }
	add(Date{y, time.January, 1}, nameNewYear)
	if tet, err := LunarToSolar(LunarDate{Year: y, Month: 1, Day: 1}); err == nil {
		for i := -1; i <= 3; i++ {
			add(tet.AddDays(i), nameTet)
		}
	}
	if hv, err := LunarToSolar(LunarDate{Year: y, Month: 3, Day: 10}); err == nil {
		add(hv, nameHungKings)
	}
	add(Date{y, time.April, 30}, nameVictory)
	add(Date{y, time.May, 1}, nameLabour)
	// Quốc khánh is 2/9 plus "one day immediately before or after" it,
	// chosen each year by the Prime Minister. DEFAULT (an admin overrides it
	// by loading a Schedule for the year): 1/9, except 3/9 when 2/9 is a
	// Monday — which matches the decisions for 2022–2025.
	national := Date{y, time.September, 2}
	adjacent := national.AddDays(-1)
	if national.Weekday() == time.Monday {
		adjacent = national.AddDays(1)
	}
	if adjacent.Before(national) {
		add(adjacent, nameNational)
		add(national, nameNational)
	} else {
		add(national, nameNational)
		add(adjacent, nameNational)
	}
	return hs
}

// ruleHolidays returns the holidays of solar year y under the rules, with
// their make-up days, sorted by date. Two holidays on the same date make
// one day off whose name lists both.
func ruleHolidays(y int) []Holiday {
	// Holidays anchored in neighbouring years can fall in y (Tết) or push
	// make-up days into it, so compute a window around y.
	var hs []Holiday
	for yy := y - 1; yy <= y+1; yy++ {
		hs = append(hs, baseHolidays(yy)...)
	}
	slices.SortStableFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	merged := hs[:0]
	for _, h := range hs {
		if n := len(merged); n > 0 && merged[n-1].Date == h.Date {
			if !strings.Contains(merged[n-1].Name, h.Name) {
				merged[n-1].Name += ", " + h.Name
			}
			continue
		}
		merged = append(merged, h)
	}
	isHoliday := make(map[Date]bool, len(merged))
	for _, h := range merged {
		isHoliday[h.Date] = true
	}
	// A holiday on a Saturday or Sunday gives a make-up day off on the next
	// weekday that is neither a holiday nor an earlier make-up day.
	out := make([]Holiday, 0, len(merged)+4)
	taken := map[Date]bool{}
	for _, h := range merged {
		if h.Date.Year == y {
			out = append(out, h)
		}
		if !isWeekend(h.Date.Weekday()) {
			continue
		}
		d := h.Date.AddDays(1)
		for isWeekend(d.Weekday()) || isHoliday[d] || taken[d] {
			d = d.AddDays(1)
		}
		taken[d] = true
		if d.Year == y {
			out = append(out, Holiday{d, makeupPrefix + firstName(h.Name), KindMakeup})
		}
	}
	slices.SortStableFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out
}

// firstName returns the first of the names merged by ruleHolidays.
func firstName(name string) string {
	if i := strings.Index(name, ", "); i >= 0 {
		return name[:i]
	}
	return name
}

func isWeekend(wd time.Weekday) bool {
	return wd == time.Saturday || wd == time.Sunday
}

// yearInfo is the precomputed calendar of one solar year.
type yearInfo struct {
	year     int
	first    int       // day number (days since 1970-01-01) of 1 January
	n        int       // number of days in the year
	off      [6]uint64 // bit i set: day first+i is not a working day
	workDays int       // number of working days in the year
	holidays []Holiday // sorted; shared, never modified
	schedule *Schedule // the loaded schedule for the year, if any
}

// isOff reports whether day number day (within the year) is a day off.
func (yi *yearInfo) isOff(day int) bool {
	i := day - yi.first
	return yi.off[i>>6]&(1<<(uint(i)&63)) != 0
}

func (yi *yearInfo) setOff(d Date) {
	i := d.days() - yi.first
	yi.off[i>>6] |= 1 << (uint(i) & 63)
}

func (yi *yearInfo) clearOff(d Date) {
	i := d.days() - yi.first
	yi.off[i>>6] &^= 1 << (uint(i) & 63)
}

// newYearInfo computes the calendar of year y, from schedule s if it is not
// nil and from the holiday rules otherwise.
func newYearInfo(y int, s *Schedule) *yearInfo {
	yi := &yearInfo{year: y, first: daysFromCivil(y, time.January, 1), schedule: s}
	yi.n = daysFromCivil(y+1, time.January, 1) - yi.first
	wd := weekdayOfDays(yi.first)
	for i := 0; i < yi.n; i++ {
		if isWeekend(wd) {
			yi.off[i>>6] |= 1 << (uint(i) & 63)
		}
		wd = (wd + 1) % 7
	}
	if s != nil {
		for _, d := range s.DaysOff {
			yi.setOff(d.Date)
			name := d.Name
			if strings.TrimSpace(name) == "" {
				name = nameScheduleOff
			}
			yi.holidays = append(yi.holidays, Holiday{d.Date, name, KindSchedule})
		}
		for _, d := range s.WorkingDays {
			yi.clearOff(d.Date)
		}
		slices.SortStableFunc(yi.holidays, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	} else {
		yi.holidays = ruleHolidays(y)
		for _, h := range yi.holidays {
			yi.setOff(h.Date)
		}
	}
	offDays := 0
	for _, w := range yi.off {
		offDays += bits.OnesCount64(w)
	}
	yi.workDays = yi.n - offDays
	return yi
}
