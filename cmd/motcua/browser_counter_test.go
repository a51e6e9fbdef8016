package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// activeAttr reads an attribute of the focused element ("" when none).
func activeAttr(name string, dst *string) chromedp.Action[chromedp.Void] {
	return into(chromedp.Evaluate[string](`(document.activeElement && document.activeElement.getAttribute(`+fmt.Sprintf("%q", name)+`)) || ""`), dst)
}

// tabTo presses Tab until the focused element's attribute attr contains
// want (at most 80 times): the way a keyboard user reaches a link or button.
func tabTo(attr, want string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var got string
		for range 80 {
			if _, err := chromedp.KeyEvent(kb.Tab)(ctx, t); err != nil {
				return err
			}
			if _, err := activeAttr(attr, &got)(ctx, t); err != nil {
				return err
			}
			if strings.Contains(got, want) {
				return nil
			}
		}
		return fmt.Errorf("no focusable element with %s containing %q within 80 tabs (last %q)", attr, want, got)
	})
}

// waitFocus waits until the focused element's id is id (autofocus).
func waitFocus(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var got string
		deadline := time.Now().Add(10 * time.Second)
		for {
			if _, err := activeAttr("id", &got)(ctx, t); err == nil && got == id {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("focus is on %q, want #%s", got, id)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// TestBrowserCounterKeyboard: the commune's counter officer (tiepnhanxa)
// takes in a walk-in applicant by citizen ID with scanned components and
// gets the receipt, then receives an online dossier from her inbox with the
// keyboard only (Tab, Enter, typing). The citizen's wizard keeps a draft.
func TestBrowserCounterKeyboard(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	chromiumPath(t)
	dir := shots(t)
	s := startServer(t, "--data", t.TempDir(), "--demo")
	pdf := pdfFile(t)
	// An online dossier waiting at the counters.
	tok := s.login(t, "congdan")
	var online e2eDossier
	if st := s.call(t, "POST", "/api/v1/dossiers", tok, s.submission(t, tok, "1.001193"), &online); st != 201 {
		t.Fatalf("online submission = %d", st)
	}
	p, schema := s.procedure(t, "1.001193")

	ctx := newBrowser(t)
	var href, got string
	// Log in and find the person, typing only.
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(s.base + "/dang-nhap"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "tiepnhanxa"),
		chromedp.SendKeys(css(`#password`), "demo"+kb.Enter),
		chromedp.WaitVisible(css(`span.user`)),
		chromedp.Navigate(s.base + "/quay"),
		waitFocus("cccd"),
		chromedp.KeyEvent("12345" + kb.Enter),
		waitText(css(`#e-cccd`), "Số định danh cá nhân phải gồm đúng 12 chữ số.", &got),
		shot(dir, "20-quay-cccd-sai"),
		chromedp.Navigate(s.base + "/quay"),
		waitFocus("cccd"),
		chromedp.KeyEvent("001090012345" + kb.Enter),
		chromedp.WaitVisible(css(`dl.person`)),
		waitFocus("q"),
		chromedp.KeyEvent("khai sinh" + kb.Enter),
		chromedp.WaitVisible(css(`a[href^="/quay/thu-tuc/1.001193"]`)),
		shot(dir, "21-quay-nguoi-nop"),
		tabTo("href", "/quay/thu-tuc/1.001193?"),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(css(`#a-name`)),
		into(chromedp.Value(css(`#a-name`)), &got),
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("counter finds the person: %v", err)
	}
	if got != "Nguyễn Văn An" {
		t.Errorf("applicant name prefilled %q", got)
	}
	// The generated form (prefilled where known), the scans, then Enter.
	fill := fillForm(schema, p, pdf)
	fill = append(fill,
		shot(dir, "22-quay-to-khai"),
		chromedp.Focus(css(`#a-phone`)),
		chromedp.KeyEvent("0912345678"+kb.Enter),
		chromedp.WaitVisible(css(`a[href$="/forms/01"]`)),
		into(chromedp.Location(), &href),
		activeAttr("href", &got),
		shot(dir, "23-quay-giay-tiep-nhan"),
	)
	if err := chromedp.Do(ctx, fill...); err != nil {
		t.Fatalf("counter intake: %v", err)
	}
	code := href[strings.LastIndex(href, "/")+1:]
	if !strings.Contains(href, "/quay/xong/000.00.50.H01-") || got != "/api/v1/dossiers/"+code+"/forms/01" {
		t.Fatalf("after the intake the browser is at %s, focus on %q", href, got)
	}
	var pub struct{ Status int }
	if st := s.call(t, "GET", "/api/v1/public/dossiers/"+code, "", "", &pub); st != 200 || pub.Status != 2 {
		t.Errorf("public look-up of %s = %d, status %d (want received)", code, st, pub.Status)
	}

	// The inbox, keyboard only: Tab to the online dossier, Enter; the note
	// has the focus: type, Tab to "Tiếp nhận", Enter.
	keys := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(s.base + "/ho-so"),
		chromedp.WaitVisible(css(`a[href="/ho-so/` + online.Code + `"]`)),
		shot(dir, "24-quay-hop-thu"),
		tabTo("href", "/ho-so/"+online.Code),
		chromedp.KeyEvent(kb.Enter),
		waitFocus("note"),
		chromedp.KeyEvent("Đủ giấy tờ, tiếp nhận"),
		shot(dir, "25-quay-ghi-chu"),
		chromedp.KeyEvent(kb.Tab),
		activeAttr("value", &got),
	}
	if err := chromedp.Do(ctx, keys...); err != nil {
		t.Fatalf("keyboard to the dossier: %v", err)
	}
	if got != "receive" {
		t.Fatalf("Tab after the note goes to %q, want the receive button", got)
	}
	var status string
	var offered int
	if err := chromedp.Do(ctx,
		chromedp.KeyEvent(kb.Enter),
		waitText(css(`dl.facts strong`), "Được tiếp nhận", &status),
		shot(dir, "26-quay-da-tiep-nhan"),
		into(chromedp.Text(css(`ol.timeline`)), &got),
		into(chromedp.Evaluate[int](`document.querySelectorAll('button[name="action"]').length`), &offered),
	); err != nil {
		t.Fatalf("receive with Enter: %v (status %q)", err, status)
	}
	if !strings.Contains(got, "Đủ giấy tờ, tiếp nhận") {
		t.Errorf("the typed note is not in the history: %q", got)
	}
	// Received, the dossier waits for the specialist's step: the counter
	// is offered nothing more (the page offers what dossier.Allowed lists).
	if offered != 0 {
		t.Errorf("the counter is offered %d actions on the received dossier, want none", offered)
	}

	// The citizen's draft: typed values survive a reload, with a notice
	// and a button to delete them. The name comes prefilled from the
	// population dataset; the citizen corrects it.
	cctx := newBrowser(t)
	var notice, value string
	if err := chromedp.Do(cctx,
		login(s.base, "congdan"),
		chromedp.Navigate(s.base+"/thu-tuc/1.001193/nop"),
		chromedp.WaitVisible(css(`#f-ho_ten_nguoi_yeu_cau`)),
		chromedp.Clear(css(`#f-ho_ten_nguoi_yeu_cau`)),
		chromedp.SendKeys(css(`#f-ho_ten_nguoi_yeu_cau`), "Nguyễn Văn Ân"),
		chromedp.Reload(),
		chromedp.WaitVisible(css(`p.draft`)),
		into(chromedp.Text(css(`p.draft`)), &notice),
		into(chromedp.Value(css(`#f-ho_ten_nguoi_yeu_cau`)), &value),
		shot(dir, "27-cong-dan-ban-nhap"),
	); err != nil {
		t.Fatalf("draft: %v", err)
	}
	if !strings.Contains(notice, "Đã khôi phục bản nháp") || value != "Nguyễn Văn Ân" {
		t.Errorf("draft notice %q, value %q", notice, value)
	}
	if err := chromedp.Do(cctx,
		chromedp.Click(css(`p.draft button`)),
		into(chromedp.Value(css(`#f-ho_ten_nguoi_yeu_cau`)), &value),
		chromedp.Reload(),
		chromedp.WaitVisible(css(`#f-ho_ten_nguoi_yeu_cau`)),
		into(chromedp.Evaluate[int](`document.querySelectorAll("p.draft").length`), new(int)),
	); err != nil || value != "Nguyễn Văn An" { // back to the prefilled value
		t.Errorf("delete the draft: %v, value %q", err, value)
	}
	t.Logf("screenshots in %s", dir)
}
