package calendar

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func mustNew(t testing.TB, h OfficeHours, s ...Schedule) *Calendar {
	t.Helper()
	c, err := New(h, s...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// formatHolidays renders holidays one a line as "YYYY-MM-DD Www kind name".
func formatHolidays(hs []Holiday) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "%v %.3s %s %s\n", h.Date, h.Date.Weekday(), h.Kind, h.Name)
	}
	return b.String()
}

// Expected days off by rule (no Schedule loaded), worked out by hand from
// the Tết and Giỗ Tổ dates of lunar_test.go and the weekdays of each year.
// Real years differ where the government decided otherwise (e.g. Tết 2025
// was 25/1–2/2 for civil servants): such decisions are loaded as Schedules.
var ruleHolidayTable = map[int]string{
	2024: `
2024-01-01 Mon rule Tết Dương lịch
2024-02-09 Fri rule Tết Nguyên đán
2024-02-10 Sat rule Tết Nguyên đán
2024-02-11 Sun rule Tết Nguyên đán
2024-02-12 Mon rule Tết Nguyên đán
2024-02-13 Tue rule Tết Nguyên đán
2024-02-14 Wed makeup Nghỉ bù Tết Nguyên đán
2024-02-15 Thu makeup Nghỉ bù Tết Nguyên đán
2024-04-18 Thu rule Giỗ Tổ Hùng Vương
2024-04-30 Tue rule Ngày Chiến thắng
2024-05-01 Wed rule Ngày Quốc tế Lao động
2024-09-02 Mon rule Quốc khánh
2024-09-03 Tue rule Quốc khánh
`,
	2025: `
2025-01-01 Wed rule Tết Dương lịch
2025-01-28 Tue rule Tết Nguyên đán
2025-01-29 Wed rule Tết Nguyên đán
2025-01-30 Thu rule Tết Nguyên đán
2025-01-31 Fri rule Tết Nguyên đán
2025-02-01 Sat rule Tết Nguyên đán
2025-02-03 Mon makeup Nghỉ bù Tết Nguyên đán
2025-04-07 Mon rule Giỗ Tổ Hùng Vương
2025-04-30 Wed rule Ngày Chiến thắng
2025-05-01 Thu rule Ngày Quốc tế Lao động
2025-09-01 Mon rule Quốc khánh
2025-09-02 Tue rule Quốc khánh
`,
	2026: `
2026-01-01 Thu rule Tết Dương lịch
2026-02-16 Mon rule Tết Nguyên đán
2026-02-17 Tue rule Tết Nguyên đán
2026-02-18 Wed rule Tết Nguyên đán
2026-02-19 Thu rule Tết Nguyên đán
2026-02-20 Fri rule Tết Nguyên đán
2026-04-26 Sun rule Giỗ Tổ Hùng Vương
2026-04-27 Mon makeup Nghỉ bù Giỗ Tổ Hùng Vương
2026-04-30 Thu rule Ngày Chiến thắng
2026-05-01 Fri rule Ngày Quốc tế Lao động
2026-09-01 Tue rule Quốc khánh
2026-09-02 Wed rule Quốc khánh
`,
	2027: `
2027-01-01 Fri rule Tết Dương lịch
2027-02-05 Fri rule Tết Nguyên đán
2027-02-06 Sat rule Tết Nguyên đán
2027-02-07 Sun rule Tết Nguyên đán
2027-02-08 Mon rule Tết Nguyên đán
2027-02-09 Tue rule Tết Nguyên đán
2027-02-10 Wed makeup Nghỉ bù Tết Nguyên đán
2027-02-11 Thu makeup Nghỉ bù Tết Nguyên đán
2027-04-16 Fri rule Giỗ Tổ Hùng Vương
2027-04-30 Fri rule Ngày Chiến thắng
2027-05-01 Sat rule Ngày Quốc tế Lao động
2027-05-03 Mon makeup Nghỉ bù Ngày Quốc tế Lao động
2027-09-01 Wed rule Quốc khánh
2027-09-02 Thu rule Quốc khánh
`,
	2028: `
2028-01-01 Sat rule Tết Dương lịch
2028-01-03 Mon makeup Nghỉ bù Tết Dương lịch
2028-01-25 Tue rule Tết Nguyên đán
2028-01-26 Wed rule Tết Nguyên đán
2028-01-27 Thu rule Tết Nguyên đán
2028-01-28 Fri rule Tết Nguyên đán
2028-01-29 Sat rule Tết Nguyên đán
2028-01-31 Mon makeup Nghỉ bù Tết Nguyên đán
2028-04-04 Tue rule Giỗ Tổ Hùng Vương
2028-04-30 Sun rule Ngày Chiến thắng
2028-05-01 Mon rule Ngày Quốc tế Lao động
2028-05-02 Tue makeup Nghỉ bù Ngày Chiến thắng
2028-09-01 Fri rule Quốc khánh
2028-09-02 Sat rule Quốc khánh
2028-09-04 Mon makeup Nghỉ bù Quốc khánh
`,
	2029: `
2029-01-01 Mon rule Tết Dương lịch
2029-02-12 Mon rule Tết Nguyên đán
2029-02-13 Tue rule Tết Nguyên đán
2029-02-14 Wed rule Tết Nguyên đán
2029-02-15 Thu rule Tết Nguyên đán
2029-02-16 Fri rule Tết Nguyên đán
2029-04-23 Mon rule Giỗ Tổ Hùng Vương
2029-04-30 Mon rule Ngày Chiến thắng
2029-05-01 Tue rule Ngày Quốc tế Lao động
2029-09-01 Sat rule Quốc khánh
2029-09-02 Sun rule Quốc khánh
2029-09-03 Mon makeup Nghỉ bù Quốc khánh
2029-09-04 Tue makeup Nghỉ bù Quốc khánh
`,
	2030: `
2030-01-01 Tue rule Tết Dương lịch
2030-02-01 Fri rule Tết Nguyên đán
2030-02-02 Sat rule Tết Nguyên đán
2030-02-03 Sun rule Tết Nguyên đán
2030-02-04 Mon rule Tết Nguyên đán
2030-02-05 Tue rule Tết Nguyên đán
2030-02-06 Wed makeup Nghỉ bù Tết Nguyên đán
2030-02-07 Thu makeup Nghỉ bù Tết Nguyên đán
2030-04-12 Fri rule Giỗ Tổ Hùng Vương
2030-04-30 Tue rule Ngày Chiến thắng
2030-05-01 Wed rule Ngày Quốc tế Lao động
2030-09-02 Mon rule Quốc khánh
2030-09-03 Tue rule Quốc khánh
`,
}

func TestRuleHolidays(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	for year := 2024; year <= 2030; year++ {
		want := strings.TrimPrefix(ruleHolidayTable[year], "\n")
		if got := formatHolidays(c.Holidays(year)); got != want {
			t.Errorf("Holidays(%d):\n%s\nwant:\n%s", year, got, want)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	for _, tc := range []struct {
		d    Date
		want bool
	}{
		{Date{2026, time.February, 13}, true},  // Friday before Tết
		{Date{2026, time.February, 16}, false}, // 29 Tết
		{Date{2026, time.February, 20}, false}, // mùng 4
		{Date{2026, time.February, 21}, false}, // Saturday
		{Date{2026, time.February, 23}, true},  // Monday after Tết
		{Date{2026, time.April, 27}, false},    // make-up for Giỗ Tổ
		{Date{2026, time.April, 28}, true},
		{Date{2028, time.January, 3}, false}, // make-up for 1/1 (Saturday)
		{Date{2029, time.September, 4}, false},
		{Date{2029, time.September, 5}, true},
		{Date{}, false},
	} {
		if got := c.IsWorkingDay(tc.d); got != tc.want {
			t.Errorf("IsWorkingDay(%v) = %v; want %v", tc.d, got, tc.want)
		}
	}
}

// TestHolidayInvariants checks, for two centuries of rule years, that the
// list is sorted without duplicate dates, that there are as many make-up
// days as holidays on weekends (make-ups never cross a year boundary in
// practice), and that the days off match IsWorkingDay.
func TestHolidayInvariants(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	for year := 1950; year <= 2150; year++ {
		hs := c.Holidays(year)
		weekend, makeup := 0, 0
		off := map[Date]bool{}
		for i, h := range hs {
			if i > 0 && !hs[i-1].Date.Before(h.Date) {
				t.Fatalf("Holidays(%d) not sorted or duplicated at %v", year, h.Date)
			}
			if h.Date.Year != year {
				t.Fatalf("Holidays(%d) lists %v", year, h.Date)
			}
			switch h.Kind {
			case KindRule:
				if isWeekend(h.Date.Weekday()) {
					weekend++
				}
			case KindMakeup:
				makeup++
				if isWeekend(h.Date.Weekday()) {
					t.Fatalf("make-up day %v on a weekend", h.Date)
				}
			default:
				t.Fatalf("unexpected kind %q", h.Kind)
			}
			off[h.Date] = true
		}
		if weekend != makeup {
			t.Errorf("%d: %d holidays on weekends but %d make-up days", year, weekend, makeup)
		}
		for d := (Date{year, time.January, 1}); d.Year == year; d = d.AddDays(1) {
			want := !off[d] && !isWeekend(d.Weekday())
			if got := c.IsWorkingDay(d); got != want {
				t.Fatalf("IsWorkingDay(%v) = %v; want %v", d, got, want)
			}
		}
	}
}

func TestCoincidingHolidays(t *testing.T) {
	// Giỗ Tổ can fall on 30/4 (lunar 10/3 is late after a leap month 2):
	// find such a year and check that it makes a single day off.
	c := mustNew(t, DefaultOfficeHours())
	found := false
	for year := 1900; year <= 2199; year++ {
		hv, err := LunarToSolar(LunarDate{Year: year, Month: 3, Day: 10})
		if err != nil || (hv != Date{year, time.April, 30} && hv != Date{year, time.May, 1}) {
			continue
		}
		found = true
		for _, h := range c.Holidays(year) {
			if h.Date == hv && !strings.Contains(h.Name, nameHungKings+", ") {
				t.Errorf("%d: %v named %q; want both names", year, hv, h.Name)
			}
		}
	}
	if !found {
		t.Log("no year 1900-2199 with Giỗ Tổ on 30/4 or 1/5")
	}
}
