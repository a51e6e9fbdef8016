package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

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

// audit runs axe-core on the current page and fails with the violations.
func audit(name string) chromedp.Action[chromedp.Void] {
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
		return errors.New("accessibility violations on " + name + ":" + b.String())
	})
}
