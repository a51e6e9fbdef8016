package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDashboard: the province's viewer opens the dashboard, clicks
// the number of dossiers submitted in the period and sees the list of as
// many dossiers; then the same at 360 px wide.
func TestBrowserDashboard(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	chromiumPath(t)
	dir := shots(t)
	s := startServer(t, "--data", t.TempDir(), "--demo")
	tok := s.login(t, "congdan")
	for range 3 {
		var d e2eDossier
		if st := s.call(t, "POST", "/api/v1/dossiers", tok, s.submission(t, tok, "1.001193"), &d); st != 201 {
			t.Fatalf("submit: %d", st)
		}
	}
	ctx := newBrowser(t)
	var number, total string
	card := `section[aria-labelledby=tong-quan] li:first-child a.card-value`
	steps := []chromedp.Action[chromedp.Void]{
		login(s.base, "lanhdaotinh"),
		chromedp.Click(css(`a[href="/bang-dieu-khien"]`)),
		chromedp.WaitVisible(css(card)),
		into(chromedp.Text(css(card)), &number),
		shot(dir, "30-bang-dieu-khien"),
		chromedp.Click(css(card)),
		chromedp.WaitVisible(css(`#tong-so`)),
		into(chromedp.Text(css(`#tong-so`)), &total),
		shot(dir, "31-danh-sach-tu-bang-dieu-khien"),
	}
	for i, a := range steps {
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("dashboard journey, step %d: %v", i, err)
		}
	}
	if number != "3" {
		t.Errorf("the dashboard counts %q dossiers submitted, want 3", number)
	}
	if n, _, _ := strings.Cut(total, " "); n != number {
		t.Errorf("the list behind %s says %q", number, total)
	}
	if _, err := strconv.Atoi(number); err != nil {
		t.Errorf("number %q", number)
	}
}
