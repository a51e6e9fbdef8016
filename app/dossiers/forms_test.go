package dossiers_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
)

// TestRegisterPeriod: the days of an agency's register (form 07) are
// checked where they come in — real dates of the years 1900–2199, from ≤
// to, at most 366 days — and refused as Invalid with a Vietnamese message
// per field; Register itself refuses a period that is not one, never
// answering an internal error.
func TestRegisterPeriod(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, calendar.VN) }
	tests := []struct {
		name, from, to string
		fields         []string // nil: accepted
		period         [2]time.Time
	}{
		{"a month", "2026-11-01", "2026-11-30", nil, [2]time.Time{day(2026, 11, 1), day(2026, 12, 1)}},
		{"one day", "2026-11-23", "2026-11-23", nil, [2]time.Time{day(2026, 11, 23), day(2026, 11, 24)}},
		{"a leap year, 366 days", "2024-01-01", "2024-12-31", nil, [2]time.Time{day(2024, 1, 1), day(2025, 1, 1)}},
		{"366 days across years", "2026-01-01", "2027-01-01", nil, [2]time.Time{day(2026, 1, 1), day(2027, 1, 2)}},
		{"the first and last years", "1900-01-01", "1900-01-31", nil, [2]time.Time{day(1900, 1, 1), day(1900, 2, 1)}},
		{"the last day", "2199-12-01", "2199-12-31", nil, [2]time.Time{day(2199, 12, 1), day(2200, 1, 1)}},
		{"spaces around", " 2026-11-01 ", "2026-11-30\t", nil, [2]time.Time{day(2026, 11, 1), day(2026, 12, 1)}},
		{"from after to", "2026-11-30", "2026-11-01", []string{"to"}, [2]time.Time{}},
		{"367 days", "2026-01-01", "2027-01-02", []string{"to"}, [2]time.Time{}},
		{"over a year", "2025-01-01", "2026-11-30", []string{"to"}, [2]time.Time{}},
		{"30 February", "2026-02-30", "2026-03-01", []string{"from"}, [2]time.Time{}},
		{"month 13", "2026-11-01", "2026-13-01", []string{"to"}, [2]time.Time{}},
		{"not a date", "abc", "hôm nay", []string{"from", "to"}, [2]time.Time{}},
		{"missing", "", "", []string{"from", "to"}, [2]time.Time{}},
		{"before 1900", "1899-12-31", "1900-01-05", []string{"from"}, [2]time.Time{}},
		{"after 2199", "2199-12-31", "2200-01-01", []string{"to"}, [2]time.Time{}},
		{"year 0", "0000-01-01", "0000-12-01", []string{"from", "to"}, [2]time.Time{}},
		{"year 9999", "9999-01-01", "9999-12-01", []string{"from", "to"}, [2]time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := dossiers.RegisterPeriod(tt.from, tt.to)
			if tt.fields == nil {
				if err != nil || !p[0].Equal(tt.period[0]) || !p[1].Equal(tt.period[1]) {
					t.Errorf("= %v, %v; want %v", p, err, tt.period)
				}
				return
			}
			apptest.WantKind(t, err, errs.Invalid)
			if got := apptest.Fields(err); !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
			e, _ := errs.As(err)
			for _, f := range e.Fields {
				if f.Message == "" || !strings.ContainsAny(f.Message, "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ") {
					t.Errorf("field %s: message %q is not Vietnamese", f.Field, f.Message)
				}
			}
		})
	}

	e := apptest.New(t)
	for _, p := range [][2]time.Time{
		{day(2026, 12, 1), day(2026, 1, 1)}, // backwards
		{day(2026, 1, 1), day(2026, 1, 1)},  // empty
		{day(2020, 1, 1), day(2026, 1, 1)},  // six years
		{day(9999, 1, 1), day(9999, 2, 1)},  // beyond the calendar
		{day(1, 1, 1), day(1, 2, 1)},        // before it
		{time.Time{}, day(2026, 1, 1)},      // zero
	} {
		_, err := e.App.Dossiers.Register(e.Ctx, e.Actor(apptest.Leader), e.Seeded.CommuneAgency, p)
		if errs.KindOf(err) != errs.Invalid {
			t.Errorf("register of %v: %v (%s), want Invalid", p, err, errs.KindOf(err))
		}
	}
	if _, err := e.App.Dossiers.Register(e.Ctx, e.Actor(apptest.Leader), e.Seeded.CommuneAgency, [2]time.Time{day(2026, 11, 1), day(2026, 12, 1)}); err != nil {
		t.Errorf("register of November: %v", err)
	}
}
