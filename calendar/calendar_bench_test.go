package calendar

import (
	"fmt"
	"testing"
	"time"
)

var sinkTime time.Time

// benchReceived returns 64 deterministic reception instants spread over
// 2026, at odd minutes and in all parts of the day.
func benchReceived() []time.Time {
	rs := make([]time.Time, 64)
	base := vn(2026, 1, 5, 6, 17)
	for i := range rs {
		rs[i] = base.Add(time.Duration(i)*(5*24*time.Hour+97*time.Minute) + time.Duration(i%7)*time.Hour)
	}
	return rs
}

func BenchmarkDueDays(b *testing.B) {
	c := mustNew(b, DefaultOfficeHours())
	rs := benchReceived()
	for _, days := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("days=%d", days), func(b *testing.B) {
			sinkTime = c.DueDays(rs[0], days) // fill the year cache
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sinkTime = c.DueDays(rs[i&63], days)
				i++
			}
		})
	}
}

// BenchmarkBaselineNaiveDue measures ReferenceDueDays for comparison with
// BenchmarkDueDays (days=100 is left out: it takes milliseconds per call).
func BenchmarkBaselineNaiveDue(b *testing.B) {
	c := mustNew(b, DefaultOfficeHours())
	rs := benchReceived()
	for _, days := range []int{1, 10} {
		b.Run(fmt.Sprintf("days=%d", days), func(b *testing.B) {
			sinkTime = ReferenceDueDays(c, rs[0], days)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sinkTime = ReferenceDueDays(c, rs[i&63], days)
				i++
			}
		})
	}
}

func BenchmarkWorkingTimeBetween(b *testing.B) {
	c := mustNew(b, DefaultOfficeHours())
	rs := benchReceived()
	sinkTime = c.DueDays(rs[0], 10)
	i := 0
	for b.Loop() {
		r := rs[i&63]
		_ = c.WorkingTimeBetween(r, r.Add(14*24*time.Hour))
		i++
	}
}

func BenchmarkHolidaysColdYear(b *testing.B) {
	for b.Loop() {
		_ = newYearInfo(2026, nil)
	}
}
