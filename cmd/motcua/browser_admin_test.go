package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdminEditsProcedure drives the real binary from headless
// Chromium: the administrator logs in, opens the console, finds a procedure,
// renames it, saves, sees the confirmation with the new version, and the
// public procedure page shows the new name. The console is also checked at
// 360 px.
func TestBrowserAdminEditsProcedure(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	chromiumPath(t)
	dir := shots(t)
	s := startServer(t, "--data", t.TempDir(), "--demo")
	ctx := newBrowser(t)
	const code, newName = "1.001193", "Đăng ký khai sinh (tên sửa trên trang quản trị)"
	var heading, saved, public, name string
	steps := []chromedp.Action[chromedp.Void]{
		login(s.base, "quantri"),
		shot(dir, "admin-01-dang-nhap"),
		chromedp.Click(css(`nav a[href="/quan-tri"]`)),
		chromedp.WaitVisible(css(`nav.admin-sections`)),
		into(chromedp.Text(css(`h1`)), &heading),
		shot(dir, "admin-02-trang-quan-tri"),
		chromedp.Click(css(`a[href="/quan-tri/thu-tuc"]`)),
		chromedp.WaitVisible(css(`#q`)),
		chromedp.SendKeys(css(`#q`), "dang ky khai sinh"),
		chromedp.Submit(css(`#q`)),
		waitURL("q=dang+ky"),
		chromedp.WaitVisible(css(`a[href="/quan-tri/thu-tuc/` + code + `"]`)),
		shot(dir, "admin-03-danh-muc"),
		chromedp.Click(css(`a[href="/quan-tri/thu-tuc/` + code + `"]`)),
		chromedp.WaitVisible(css(`#name`)),
		shot(dir, "admin-04-sua-thu-tuc"),
		chromedp.SetValue(css(`#name`), newName),
		chromedp.SetValue(css(`input[name="fees.0.code"]`), "LP-TEST"),
		chromedp.SetValue(css(`input[name="fees.0.name"]`), "Lệ phí thử"),
		chromedp.SetValue(css(`input[name="fees.0.amount"]`), "15.000"),
		shot(dir, "admin-05-da-nhap"),
		chromedp.Click(css(`button[name=save]`)),
		chromedp.WaitVisible(css(`#da-luu`)),
		into(chromedp.Text(css(`#da-luu`)), &saved),
		into(chromedp.Value(css(`#name`)), &name),
		shot(dir, "admin-06-da-luu"),
		chromedp.Navigate(s.base + "/thu-tuc/" + code),
		waitText(css(`h1`), newName, &public),
		shot(dir, "admin-07-trang-cong-khai"),
	}
	for i, a := range steps {
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("administrator edits a procedure, step %d: %v", i, err)
		}
	}
	if heading != "Quản trị hệ thống" {
		t.Errorf("console heading %q", heading)
	}
	if !strings.Contains(saved, "Đã lưu thủ tục.") || !strings.Contains(saved, "Phiên bản lưu lúc") {
		t.Errorf("confirmation %q", saved)
	}
	if name != newName || public != newName {
		t.Errorf("after saving the form shows %q and the public page %q", name, public)
	}
	var fee string
	if err := chromedp.Do(ctx, into(chromedp.Text(css(`dl.facts`)), &fee)); err != nil || !strings.Contains(fee, "15.000") {
		t.Errorf("the public page's fees: %q %v", fee, err)
	}

	// The other pages of the console, audited and seen at 360 px by shot.
	var small []chromedp.Action[chromedp.Void]
	for i, p := range []string{"/quan-tri", "/quan-tri/thu-tuc", "/quan-tri/thu-tuc/" + code, "/quan-tri/co-quan/000.00.50.H01", "/quan-tri/tai-khoan", "/quan-tri/lich"} {
		small = append(small,
			chromedp.Navigate(s.base+p),
			chromedp.WaitVisible(css(`main h1`)),
			shot(dir, fmt.Sprintf("admin-%02d", 8+i)),
		)
	}
	if err := chromedp.Do(ctx, small...); err != nil {
		t.Errorf("console pages: %v", err)
	}
	t.Logf("screenshots in %s", dir)
}
