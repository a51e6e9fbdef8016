package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// The browser journeys audit every page they take a screenshot of with
// axe-core (Deque's accessibility engine, installed from npm into
// tools/a11y by .ci/run): WCAG 2.1 A and AA rules, colour contrast included,
// on the page as Chromium computed it. A violation fails the journey.

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// axeScript is axe.min.js; without it the audit is skipped, except in CI.
func axeScript() (string, error) {
	axeOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join("..", "..", "tools", "a11y", "node_modules", "axe-core", "axe.min.js"))
		switch {
		case err == nil:
			axeSrc = string(b)
		case os.Getenv("CI") != "":
			axeErr = fmt.Errorf("axe-core is not installed (npm ci --prefix tools/a11y): %w", err)
		}
	})
	return axeSrc, axeErr
}

// axeViolation is the part of an axe result a person needs to fix it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeAudit runs axe-core on the current page and fails with the violations.
func axeAudit(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		src, err := axeScript()
		if err != nil || src == "" {
			return err
		}
		// Runtime.evaluate is not subject to the page's CSP.
		if _, err := chromedp.Evaluate[bool](src+";true")(ctx, t); err != nil {
			return fmt.Errorf("load axe-core on %s: %w", name, err)
		}
		vs, err := chromedp.Evaluate[[]axeViolation](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))`, chromedp.EvalAwaitPromise)(ctx, t)
		if err != nil {
			return fmt.Errorf("run axe-core on %s: %w", name, err)
		}
		if len(vs) == 0 {
			return nil
		}
		var b strings.Builder
		for _, v := range vs {
			fmt.Fprintf(&b, "\n  %s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
		}
		w, _ := chromedp.Evaluate[int](`window.innerWidth`)(ctx, t)
		return fmt.Errorf("accessibility violations on %s (%d px wide):%s", name, w, b.String())
	})
}

// TestAuditFindsViolations: the audit fails a page with a missing label,
// an image without text and grey-on-white text, and passes a clean one.
func TestAuditFindsViolations(t *testing.T) {
	if src, err := axeScript(); err != nil || src == "" {
		if err != nil {
			t.Fatal(err)
		}
		t.Skip("axe-core is not installed (npm ci --prefix tools/a11y)")
	}
	ctx := newBrowser(t)
	bad := `<!doctype html><html lang="vi"><title>x</title><main><h1>Trang</h1><img src="data:image/png;base64,iVBORw0KGgo="><input id="q"><p style="color:#ccc">chữ nhạt</p></main></html>`
	err := chromedp.Do(ctx, chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(bad)), axeAudit("bad"))
	for _, rule := range []string{"image-alt", "label", "color-contrast"} {
		if err == nil || !strings.Contains(err.Error(), rule) {
			t.Errorf("audit of a bad page: %v; want rule %s", err, rule)
		}
	}
	good := `<!doctype html><html lang="vi"><title>x</title><main><h1>Trang</h1><label for="q">Tìm</label><input id="q"></main></html>`
	if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(good)), axeAudit("good")); err != nil {
		t.Errorf("audit of a good page: %v", err)
	}
}

// narrow shows the page 360 px wide (a small phone), saves a screenshot and
// fails when the page scrolls sideways (wide tables may scroll inside
// their own box), then goes back to the desktop size.
func narrow(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(1))(ctx, t); err != nil {
			return err
		}
		defer chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))(ctx, t)
		over, err := chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)(ctx, t)
		if err != nil {
			return err
		}
		b, err := chromedp.FullScreenshot(100)(ctx, t)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-360px.png"), b, 0o644); err != nil {
			return err
		}
		if over > 0 {
			wide, _ := chromedp.Evaluate[[]string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')`)(ctx, t)
			return fmt.Errorf("%s at 360 px is %d px wider than the screen: %s", name, over, strings.Join(wide, ", "))
		}
		return nil
	})
}
