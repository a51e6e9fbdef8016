package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSignOn is issue 14's contract in headless Chromium with the
// demo's provider in process: a citizen opens the submission form, is sent
// to sign in, signs in through the simulated VNeID at level 2, lands back
// on the form verified and prefilled from the population records; the same
// person at level 1 lands there unverified, told why nothing is prefilled.
func TestBrowserSignOn(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	chromiumPath(t)
	dir := shots(t)
	s := startServer(t, "--data", t.TempDir(), "--demo")
	const form = "/thu-tuc/1.001193/nop"
	for _, tt := range []struct {
		identity, shot string
		verified       bool
	}{
		{"lethimai-vneid", "30-dang-nhap-vneid-muc-2", true},
		{"lethimai-muc1", "31-dang-nhap-vneid-muc-1", false},
	} {
		t.Run(tt.identity, func(t *testing.T) {
			ctx := newBrowser(t)
			var user, name, loc string
			var notice bool
			err := chromedp.Do(ctx,
				chromedp.Navigate(s.base+form),
				waitURL("/dang-nhap?next="),
				chromedp.WaitVisible(css(`a[href^="/dang-nhap/sso/demo"]`)),
				clickToNewPage(css(`a[href^="/dang-nhap/sso/demo"]`)),
				chromedp.WaitVisible(css(`button[value="`+tt.identity+`"]`)),
				clickToNewPage(css(`button[value="`+tt.identity+`"]`)),
				waitURL(form),
				chromedp.WaitReady(css(`form.wizard button[type=submit]`)),
				into(chromedp.Location(), &loc),
				into(chromedp.Text(css(`span.user`)), &user),
				into(chromedp.Evaluate[string](`document.querySelector('[name=ho_ten_nguoi_yeu_cau]').value`), &name),
				into(chromedp.Evaluate[bool](`!!document.querySelector('[data-notice=prefill]')`), &notice),
				shot(dir, tt.shot),
			)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(loc, form) || user != "Lê Thị Mai" {
				t.Fatalf("landed on %s as %q", loc, user)
			}
			if tt.verified && (name != "Lê Thị Mai" || notice) {
				t.Errorf("level 2: name field %q, notice %v; want prefilled, no notice", name, notice)
			}
			if !tt.verified {
				var text string
				if err := chromedp.Do(ctx, into(chromedp.Text(css(`[data-notice=prefill]`)), &text)); err != nil {
					t.Fatal(err)
				}
				if name != "" || !strings.Contains(text, "chưa được xác thực định danh") {
					t.Errorf("level 1: name field %q, notice %q; want empty and a notice", name, text)
				}
			}
		})
	}
}
