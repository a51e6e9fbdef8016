package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func runBench(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"no benchmark", nil, 2, "", "Usage:"},
		{"help", []string{"help"}, 0, "go run ./cmd/motcua-bench registry", ""},
		{"unknown", []string{"fly"}, 2, "", `unknown benchmark`},
		{"flags of a benchmark", []string{"submit", "-h"}, 0, "", "-motcua"},
		{"flags of walk", []string{"walk", "-h"}, 0, "", "-no-pki"},
		{"flags of storm", []string{"storm", "-h"}, 0, "", "-kill-rss"},
		{"flags of national", []string{"national", "-h"}, 0, "", "-provinces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runBench(tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d (want %d); stdout %q (want %q); stderr %q (want %q)", code, tt.code, out, tt.stdout, errOut, tt.stderr)
			}
		})
	}
}

// TestSearchSmall runs the search benchmark on a small catalogue: the
// harness still works from its own command.
func TestSearchSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a store")
	}
	code, out, errOut := runBench("search", "--n", "60", "--queries", "20", "--postgres", os.Getenv("MOTCUA_TEST_POSTGRES"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"ranked: in-memory index", "search (FTS, ranked)", "baseline: LIKE scan", "floor: get by code", "sqlite"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if os.Getenv("MOTCUA_TEST_POSTGRES") != "" && !strings.Contains(out, "postgres") {
		t.Errorf("output lacks the PostgreSQL rows:\n%s", out)
	}
}

// TestQuestionsBench asks the test set once of each search: the ranked
// one finds the right procedure in the first three far more often than
// the every-word baseline.
func TestQuestionsBench(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a store")
	}
	code, out, errOut := runBench("questions", "--runs", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rate := func(label string) float64 {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "sqlite") && strings.Contains(line, label) {
				f := strings.Fields(line[strings.Index(line, label)+len(label):])
				var v float64
				if _, err := fmt.Sscanf(f[2], "%f%%", &v); err == nil {
					return v
				}
			}
		}
		t.Fatalf("no %q row:\n%s", label, out)
		return 0
	}
	ranked, base := rate("ranked (index, with terms)"), rate("baseline: every word in the name (FTS)")
	if ranked < 85 || ranked <= base {
		t.Errorf("top-3: ranked %.1f%%, baseline %.1f%%:\n%s", ranked, base, out)
	}
}

// TestPagesSmall seeds a small province and measures its pages once: the
// in-process server of the harness still serves every measured page.
func TestPagesSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a store")
	}
	code, out, errOut := runBench("pages", "--n", "500", "--requests", "2", "--warmup", "0", "--naive", "1", "--postgres", os.Getenv("MOTCUA_TEST_POSTGRES"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"inbox /ho-so", "dossier /ho-so/{code}", "dashboard /bang-dieu-khien", "baseline: naive dashboard"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestNationalSmall runs the national benchmark for a moment with three
// provinces: the harness starts serve --national, logs every province in
// and measures each style without errors.
func TestNationalSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	code, out, errOut := runBench("national", "--provinces", "3", "--duration", "1s", "--postgres", os.Getenv("MOTCUA_TEST_POSTGRES"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"dossiers, adapter style (100/call)", "progress, adapter style (100/call)", "progress, three-URL style (10/call)", "baseline: store only"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(errOut, "first error") {
		t.Errorf("errors during the run:\n%s", errOut)
	}
}

// TestQuantile: a histogram's quantiles as histogram_quantile computes
// them, linear within a bucket.
func TestQuantile(t *testing.T) {
	m := metricLines{
		`d_bucket{le="0.001"}`: 0,
		`d_bucket{le="0.002"}`: 50,
		`d_bucket{le="0.004"}`: 90,
		`d_bucket{le="0.008"}`: 100,
		`d_bucket{le="+Inf"}`:  100,
		`d_count`:              100,
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 2 * time.Millisecond}, {0.25, 1500 * time.Microsecond}, {0.99, 7600 * time.Microsecond}} {
		if got := m.quantile("d", tc.q); (got - tc.want).Abs() > time.Microsecond {
			t.Errorf("quantile %v = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := (metricLines{}).quantile("d", 0.5); got != 0 {
		t.Errorf("empty histogram: %v", got)
	}
}
