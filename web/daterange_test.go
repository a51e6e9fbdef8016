package web

import (
	"net/url"
	"strings"
	"testing"
)

// TestPageDatesOutOfRange: dates far out of range in the pages' filters
// (issue 12 found 500s on such dates elsewhere): the dossier list applies
// them as given and answers, the dashboard refuses a period it cannot
// report with 422 and a Vietnamese message; never a 500.
func TestPageDatesOutOfRange(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		user, path string
		want       int
	}{
		{"chuyenvien", "/ho-so?" + url.Values{"nop-tu": {"0001-01-01"}, "nop-den": {"9999-12-31"}}.Encode(), 200},
		{"lanhdao", "/ho-so?" + url.Values{"pham-vi": {"1"}, "xong-tu": {"0001-01-01"}, "xong-den": {"9999-12-31"}}.Encode(), 200},
		{"lanhdao", "/bang-dieu-khien?" + url.Values{"tu": {"0001-01-01"}, "den": {"9999-12-31"}}.Encode(), 422},
		{"lanhdao", "/bang-dieu-khien?" + url.Values{"tu": {"1899-12-31"}, "den": {"2200-01-01"}}.Encode(), 422},
	} {
		b := f.browser(t, tc.user)
		st, page := b.get(tc.path)
		if st != tc.want {
			t.Errorf("%s as %s = %d, want %d: %.300s", tc.path, tc.user, st, tc.want, page)
		}
		if st == 422 && !strings.Contains(page, "aria-invalid") && !strings.Contains(page, "không hợp lệ") && !strings.Contains(page, "Khoảng thời gian") {
			t.Errorf("%s: 422 without a Vietnamese message: %.1500s", tc.path, page)
		}
	}
}
