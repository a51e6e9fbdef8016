package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Lighthouse (12.8, tools/lighthouse: npm ci --prefix tools/lighthouse)
// measures the public pages and the main pages of every role in headless
// Chromium with its default settings — a phone, simulated slow 4G and a
// slower CPU. Accessibility, best practices and SEO must be 100 on every
// page (but for what the 404 page fails by design); performance must be in
// Lighthouse's "good" band (lhPerformanceFloor) and is reported. The CPU
// slowdown is calibrated as Lighthouse's docs/throttling.md advises: its
// default 4× assumes a high-end desktop (benchmark index 1,500–2,000), so
// measure.mjs slows this machine down to the same reference phone (index
// 437.5) whatever its speed at that moment; the fixed 4× score is reported
// beside it.
//
// Performance moves with the load of the machine, so the rule is: each
// page is measured once; a page under the bar anywhere is measured four
// more times and judged on the median of its five runs, category by
// category (Lighthouse's own advice on variability: the median of five
// runs). Beside other tests the machine's load alone costs even the home
// page points (docs/pages.md), so the test runs alone (MOTCUA_LIGHTHOUSE=1,
// make lighthouse, which make test runs after the suite).

// lhPerformanceFloor is the performance score a page must reach: the
// lower bound of Lighthouse's "good" band (90–100). The aim is 100, met on
// a quiet desktop; on a shared two-core machine Chromium's own work during
// the load (long tasks Lighthouse cannot attribute to the page, seen on the
// 99-element sign-in page too) moves every page's score between about 87
// and 100 from one run to the next (docs/pages.md), so 100 cannot be
// judged there without failing at random.
const lhPerformanceFloor = 90

// lhCategories are Lighthouse's four categories, in its order.
var lhCategories = []string{"performance", "accessibility", "best-practices", "seo"}

// lhPage is a page to measure, as tools/lighthouse/measure.mjs reads it.
type lhPage struct {
	Who    string `json:"who"`
	Path   string `json:"path"`
	Cookie string `json:"cookie,omitempty"`
	Status int    `json:"status,omitempty"`
	// Allowed are the audits the page may fail by design (not sent).
	Allowed []string `json:"-"`
}

// lhRun is one Lighthouse run of a page.
type lhRun struct {
	Error string `json:"error"`
	Final string `json:"final"`
	// Benchmark is Lighthouse's benchmark index of the machine during
	// the run: its CPU speed, lower when the machine is busy.
	Benchmark int `json:"benchmark"`
	// Multiplier is the CPU slowdown calibrated to the benchmark index
	// (measure.mjs): the scores judged are those of the reference phone.
	Multiplier float64        `json:"multiplier"`
	Scores     map[string]int `json:"scores"`
	Failing    []lhAudit      `json:"failing"`
	// DefaultScores are the same run audited with Lighthouse's fixed 4×
	// CPU slowdown, reported beside the judged ones.
	DefaultScores  map[string]int `json:"defaultScores"`
	DefaultFailing []lhAudit      `json:"defaultFailing"`
}

// lhAudit is a weighted audit that cost the page points.
type lhAudit struct {
	Category string  `json:"category"`
	ID       string  `json:"id"`
	Score    float64 `json:"score"`
	Value    string  `json:"value"`
}

type lhResult struct {
	Who  string  `json:"who"`
	Path string  `json:"path"`
	Runs []lhRun `json:"runs"`
}

// lighthouseScript is measure.mjs; without Node or Lighthouse the test is
// skipped, except in CI.
func lighthouseScript(t *testing.T) (node, script string) {
	dir := filepath.Join("..", "..", "tools", "lighthouse")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "lighthouse", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Lighthouse is not installed (npm ci --prefix tools/lighthouse): %v", err)
		}
		t.Skipf("Lighthouse is not installed (npm ci --prefix tools/lighthouse): %v", err)
	}
	return node, filepath.Join(dir, "measure.mjs")
}

// lighthouse measures pages runs times each, one run at a time.
func lighthouse(t *testing.T, node, script, chromium, base string, pages []lhPage, runs int) []lhResult {
	t.Helper()
	file := filepath.Join(t.TempDir(), "pages.json")
	b, err := json.Marshal(pages)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, base, file, strconv.Itoa(runs))
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("lighthouse: %v\n%s", err, stderr.String())
	}
	var out []lhResult
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out) != len(pages) {
		t.Fatalf("lighthouse answered %d pages of %d: %v\n%s\n%s", len(out), len(pages), err, stdout.String(), stderr.String())
	}
	return out
}

// lhFine: a run scored 100 in accessibility, best practices and SEO but
// for the audits the page may fail, and performance at least the floor.
func lhFine(p lhPage, r lhRun) bool {
	if r.Error != "" {
		return false
	}
	for _, a := range r.Failing {
		if a.Category == "performance" && r.Scores["performance"] >= lhPerformanceFloor {
			continue
		}
		if !slices.Contains(p.Allowed, a.ID) {
			return false
		}
	}
	return true
}

// lhMedian is the median score of a category over the runs (an errored run
// scores 0), of the benchmark index for "benchmark", of the performance at
// the fixed 4× CPU slowdown for "default-performance".
func lhMedian(runs []lhRun, category string) int {
	s := make([]int, len(runs))
	for i, r := range runs {
		switch category {
		case "benchmark":
			s[i] = r.Benchmark
		case "default-performance":
			s[i] = r.DefaultScores["performance"]
		default:
			s[i] = r.Scores[category]
		}
	}
	slices.Sort(s)
	return s[len(s)/2]
}

// walkTo has the demo officials act on d until its current step is role's.
func (s *server) walkTo(t *testing.T, tokens func(string) string, d e2eDossier, role string) e2eDossier {
	t.Helper()
	users := map[string]string{"receiver": "tiepnhan", "specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu"}
	for i := 0; d.CurrentStep == nil || d.CurrentStep.Role != role; i++ {
		if d.CurrentStep == nil || i > 10 {
			t.Fatalf("no %s step ahead of %+v", role, d)
		}
		action := "complete_step"
		if d.Status == 1 {
			action = "receive"
		}
		user := users[d.CurrentStep.Role]
		if st := s.call(t, "POST", "/api/v1/dossiers/"+d.Code+"/actions", tokens(user), `{"action":"`+action+`"}`, &d); st != 200 {
			t.Fatalf("%s by %s: %d", action, user, st)
		}
	}
	return d
}

// TestBrowserLighthouse measures with Lighthouse the public pages and the
// main journey of each role on the demo (with months of history for the
// dashboard) and fails on a median under 100 in accessibility, best
// practices or SEO, or under lhPerformanceFloor in performance.
func TestBrowserLighthouse(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium and Lighthouse")
	}
	// It measures speed, so it runs alone, not beside the other packages'
	// tests: `make lighthouse`, which `make test` runs after the suite.
	if os.Getenv("MOTCUA_LIGHTHOUSE") == "" {
		t.Skip("runs alone: MOTCUA_LIGHTHOUSE=1 (make lighthouse)")
	}
	chromium := chromiumPath(t)
	node, script := lighthouseScript(t)
	start := time.Now()
	s := startServer(t, "--data", t.TempDir(), "--demo", "--demo-history", "4")
	tokens := map[string]string{}
	token := func(user string) string {
		if tokens[user] == "" {
			tokens[user] = s.login(t, user) // once: a second-factor code is not taken twice
		}
		return tokens[user]
	}
	submit := func() e2eDossier {
		var d e2eDossier
		if st := s.call(t, "POST", "/api/v1/dossiers", token("congdan"), s.submission(t, token("congdan"), "1.001193"), &d); st != 200 && st != 201 {
			t.Fatalf("submit: %d", st)
		}
		return d
	}
	submitted := submit()
	atSpecialist := s.walkTo(t, token, submit(), "specialist")
	atLeader := s.walkTo(t, token, submit(), "leader")

	// The 404 page answers 404: Lighthouse's SEO counts that against it
	// (http-status-code) and Chromium logs it in the console
	// (errors-in-console); a 200 there would be a soft 404.
	notFound := []string{"http-status-code", "errors-in-console"}
	journeys := []struct {
		who   string
		pages []string
	}{
		{"", []string{"/", "/thu-tuc", "/thu-tuc?q=khai+sinh", "/thu-tuc/1.001193", "/tra-cuu", "/tra-cuu?ma=" + submitted.Code, "/dang-nhap"}},
		{"congdan", []string{"/ho-so", "/thu-tuc/1.001193/nop", "/ho-so/" + submitted.Code, "/ho-so/" + submitted.Code + "/da-nop", "/tai-khoan/thong-bao"}},
		{"tiepnhan", []string{"/quay", "/ho-so/" + submitted.Code}},
		{"chuyenvien", []string{"/ho-so", "/ho-so/" + atSpecialist.Code}},
		{"lanhdao", []string{"/ho-so/" + atLeader.Code}},
		{"lanhdaotinh", []string{"/bang-dieu-khien"}},
		{"quantri", []string{"/quan-tri", "/quan-tri/thu-tuc"}},
	}
	pages := []lhPage{{Who: "visitor", Path: "/khong-co-trang-nay", Status: 404, Allowed: notFound}}
	for _, j := range journeys {
		for _, p := range j.pages {
			page := lhPage{Who: "visitor", Path: p}
			if j.who != "" {
				page.Who, page.Cookie = j.who, "motcua_session="+token(j.who)
			}
			pages = append(pages, page)
		}
	}

	results := lighthouse(t, node, script, chromium, s.base, pages, 1)
	var again []lhPage
	var where []int
	for i, r := range results {
		if !lhFine(pages[i], r.Runs[0]) {
			again, where = append(again, pages[i]), append(where, i)
		}
	}
	if len(again) > 0 {
		for k, r := range lighthouse(t, node, script, chromium, s.base, again, 4) {
			results[where[k]].Runs = append(results[where[k]].Runs, r.Runs...)
		}
	}

	var table strings.Builder
	fmt.Fprintf(&table, "\n%-28s %-11s %4s %4s %4s %4s %4s %5s %4s  %s\n", "page", "role", "perf", "a11y", "bp", "seo", "runs", "bench", "4×", "audits under 1 (in how many runs)")
	for i, r := range results {
		p := pages[i]
		medians := make([]int, len(lhCategories))
		for c, cat := range lhCategories {
			medians[c] = lhMedian(r.Runs, cat)
		}
		lost := map[string]int{}
		var ids []string
		for _, run := range r.Runs {
			if run.Error != "" {
				t.Errorf("%s as %s: %s", p.Path, p.Who, run.Error)
			}
			// The calibration of measure.mjs: the reference phone's
			// benchmark index is 1,750 / 4 (never a speed-up).
			if want := max(1, float64(run.Benchmark)/437.5); run.Error == "" && math.Abs(run.Multiplier-want) > 0.1 {
				t.Errorf("%s as %s: CPU slowdown %.1f for benchmark index %d, want %.1f", p.Path, p.Who, run.Multiplier, run.Benchmark, want)
			}
			if run.Final != "" && !strings.HasSuffix(run.Final, p.Path) {
				t.Errorf("%s as %s: Lighthouse ended on %s", p.Path, p.Who, run.Final)
			}
			for _, a := range run.Failing {
				if lost[a.ID] == 0 {
					ids = append(ids, a.ID)
				}
				lost[a.ID]++
			}
		}
		var audits []string
		for _, id := range ids {
			audits = append(audits, fmt.Sprintf("%s (%d)", id, lost[id]))
		}
		path := strings.NewReplacer(submitted.Code, "{a}", atSpecialist.Code, "{b}", atLeader.Code, "{c}").Replace(p.Path)
		fmt.Fprintf(&table, "%-28s %-11s %4d %4d %4d %4d %4d %5d %4d  %s\n", path, p.Who, medians[0], medians[1], medians[2], medians[3], len(r.Runs), lhMedian(r.Runs, "benchmark"), lhMedian(r.Runs, "default-performance"), strings.Join(audits, ", "))
		for c, cat := range lhCategories {
			if medians[c] == 100 || cat == "performance" && medians[c] >= lhPerformanceFloor {
				continue
			}
			seen := map[string]bool{}
			for _, run := range r.Runs {
				for _, a := range run.Failing {
					if a.Category == cat && !slices.Contains(p.Allowed, a.ID) && !seen[a.ID] {
						seen[a.ID] = true
						t.Errorf("%s as %s: %s median %d: %s scored %.2f %s", p.Path, p.Who, cat, medians[c], a.ID, a.Score, a.Value)
					}
				}
			}
		}
	}
	t.Logf("Lighthouse 12.8, mobile, simulated throttling with the CPU slowdown calibrated to the machine "+
		"(benchmark index / 437.5; column 4×: performance at the fixed 4×, not judged); medians of 5 runs where the first was under the bar (performance %d, the rest 100); "+
		"dossiers {a} submitted, {b} at the specialist, {c} at the leader; %d pages in %v:%s",
		lhPerformanceFloor, len(pages), time.Since(start).Round(time.Second), table.String())
}

// TestLighthouseJudge: what a run must score to pass without more runs.
func TestLighthouseJudge(t *testing.T) {
	run := func(perf int, failing ...lhAudit) lhRun {
		return lhRun{Scores: map[string]int{"performance": perf, "accessibility": 100, "best-practices": 100, "seo": 100}, Failing: failing}
	}
	tbt := lhAudit{Category: "performance", ID: "total-blocking-time", Score: 0.9}
	label := lhAudit{Category: "accessibility", ID: "label", Score: 0}
	status := lhAudit{Category: "seo", ID: "http-status-code", Score: 0}
	page, notFound := lhPage{Path: "/"}, lhPage{Path: "/x", Status: 404, Allowed: []string{"http-status-code"}}
	for _, tt := range []struct {
		name string
		page lhPage
		run  lhRun
		want bool
	}{
		{"all 100", page, run(100), true},
		{"performance in the good band", page, run(93, tbt), true},
		{"performance at the floor", page, run(lhPerformanceFloor, tbt), true},
		{"performance under the floor", page, run(lhPerformanceFloor-1, tbt), false},
		{"an accessibility audit lost", page, run(100, label), false},
		{"an SEO audit lost", page, run(100, status), false},
		{"the 404 page's status", notFound, run(100, status), true},
		{"an error", page, lhRun{Error: "NO_FCP"}, false},
	} {
		if got := lhFine(tt.page, tt.run); got != tt.want {
			t.Errorf("%s: lhFine = %v, want %v", tt.name, got, tt.want)
		}
	}
}
