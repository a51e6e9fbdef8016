package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/calendar"
)

// FuzzAdminParsers feeds what an administrator may type into the console's
// readers: dates, amounts, counts, schedule lines and a whole posted
// procedure form. They never panic; a date read back formats to a date
// that reads the same; schedule days are valid, in the year, and unique.
func FuzzAdminParsers(f *testing.F) {
	for _, s := range []string{"01/05/2027 Quốc tế lao động", "2027-09-02", "31/02/2027", "50.000 đ", "1 234 567", "-5", "9/9/2027\n9/9/2027", "00/00/0000", "name=Khai+sinh&fees.0.amount=15.000&steps.0.share=abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := admParseDate(s); ok {
			if !d.IsValid() {
				t.Fatalf("%q read as invalid date %v", s, d)
			}
			if back, ok := admParseDate(admDate(d)); !ok || back != d {
				t.Fatalf("%q → %v → %q → %v", s, d, admDate(d), back)
			}
		}
		if v, ok := admAmount(s); ok && v < 0 {
			t.Fatalf("amount %q = %d", s, v)
		}
		if v, ok := admCount(s, 1000); ok && (v < 0 || v > 1000) {
			t.Fatalf("count %q = %d", s, v)
		}
		seen := map[calendar.Date]string{}
		days, _ := admParseDayLines(s, "days_off", "Ngày nghỉ", "Nghỉ", 2027, seen, false)
		got := map[calendar.Date]bool{}
		for _, d := range days {
			if d.Date.Year != 2027 || !d.Date.IsValid() || got[d.Date] || len(d.Name) > 200 {
				t.Fatalf("%q gave day %+v", s, d)
			}
			got[d.Date] = true
		}
		if form, err := url.ParseQuery(s); err == nil {
			r, _ := http.NewRequest("POST", "/quan-tri/thu-tuc/1.001193", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if err := r.ParseForm(); err == nil {
				admParseProcedure(r, "1.001193", false)
			}
		}
	})
}
