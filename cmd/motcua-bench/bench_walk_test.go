package main

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestWalkFlags(t *testing.T) {
	defaults := walkConfig{conc: 32, nodes: 1, dur: 20 * time.Second, runs: 1}
	tests := []struct {
		name string
		args []string
		want walkConfig
		err  string // "" for a valid command line
	}{
		{"defaults", nil, defaults, ""},
		{"all of a started server", []string{"-c", "4", "--duration", "3s", "--runs", "3", "--postgres", "postgres://x/test", "--no-pki", "--cpuprofile", "w.pprof", "--motcua", "/bin/motcua"},
			walkConfig{conc: 4, nodes: 1, dur: 3 * time.Second, runs: 3, pg: "postgres://x/test", noPKI: true, cpuprofile: "w.pprof", bin: "/bin/motcua"}, ""},
		{"nodes on postgres", []string{"--nodes", "3", "--postgres", "postgres://x/test"}, walkConfig{conc: 32, nodes: 3, dur: 20 * time.Second, runs: 1, pg: "postgres://x/test"}, ""},
		{"running server", []string{"--url", "http://127.0.0.1:8080/", "-c", "2"}, walkConfig{conc: 2, nodes: 1, dur: 20 * time.Second, runs: 1, url: "http://127.0.0.1:8080"}, ""},
		{"no nodes", []string{"--nodes", "0"}, walkConfig{}, "--nodes must be at least 1"},
		{"nodes on sqlite", []string{"--nodes", "2"}, walkConfig{}, "--nodes > 1 needs --postgres"},
		{"nodes and url", []string{"--url", "http://h:1", "--nodes", "2"}, walkConfig{}, "--nodes is about the servers the benchmark starts"},
		{"no clients", []string{"-c", "0"}, walkConfig{}, "-c must be at least 1"},
		{"no duration", []string{"--duration", "0s"}, walkConfig{}, "--duration must be positive"},
		{"bad duration", []string{"--duration", "soon"}, walkConfig{}, "invalid value"},
		{"no runs", []string{"--runs", "0"}, walkConfig{}, "--runs must be at least 1"},
		{"unknown flag", []string{"--fast"}, walkConfig{}, "not defined"},
		{"argument", []string{"sqlite"}, walkConfig{}, "unexpected argument"},
		{"url without scheme", []string{"--url", "127.0.0.1:8080"}, walkConfig{}, "not the base URL"},
		{"url and postgres", []string{"--url", "http://h:1", "--postgres", "postgres://x/test"}, walkConfig{}, "--postgres is about the server the benchmark starts"},
		{"url and no-pki", []string{"--url", "http://h:1", "--no-pki"}, walkConfig{}, "--no-pki"},
		{"url and profile", []string{"--url", "http://h:1", "--cpuprofile", "p"}, walkConfig{}, "--cpuprofile"},
		{"url and binary", []string{"--url", "http://h:1", "--motcua", "m"}, walkConfig{}, "--motcua"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWalk(tt.args, io.Discard)
			if tt.err == "" {
				if err != nil || got != tt.want {
					t.Fatalf("parseWalk(%q) = %+v, %v; want %+v", tt.args, got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("parseWalk(%q): error %v, want one with %q", tt.args, err, tt.err)
			}
			// A bad command line is a usage error (exit 2), said before
			// anything is built or started.
			if code, _, errOut := runBench(append([]string{"walk"}, tt.args...)...); code != 2 || !strings.Contains(errOut, tt.err) {
				t.Fatalf("exit %d (want 2), stderr %q (want %q)", code, errOut, tt.err)
			}
		})
	}
}

// TestWalkSmall walks dossiers for two seconds on SQLite against the
// production binary: every walk ends with the clerk's return and a signed
// result (walkRun reads it back), and no request fails.
func TestWalkSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	code, out, errOut := runBench("walk", "-c", "2", "--duration", "2s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	row := walkColumns(t, out, "walk over HTTP, signed result")
	if rate, err := strconv.ParseFloat(row["per second"], 64); err != nil || rate <= 0 {
		t.Errorf("walks/s %q, want > 0:\n%s", row["per second"], out)
	}
	if row["errors"] != "0" {
		t.Errorf("errors %q, want 0:\n%s\n%s", row["errors"], out, errOut)
	}
	if !strings.HasSuffix(row["server CPU/walk"], " s") {
		t.Errorf("server CPU/walk %q, want seconds:\n%s", row["server CPU/walk"], out)
	}
	if base := walkColumns(t, out, "baseline: 1-row insert tx"); base["per second"] == "" || base["errors"] != "0" {
		t.Errorf("baseline row %v:\n%s", base, out)
	}
}

// walkColumns is the row of the table whose measurement is what, by the
// header's column names (cells are separated by two spaces or more).
func walkColumns(t *testing.T, out, what string) map[string]string {
	t.Helper()
	sep := regexp.MustCompile(`\s{2,}`)
	lines := strings.Split(out, "\n")
	header := sep.Split(strings.TrimSpace(lines[0]), -1)
	for _, l := range lines[1:] {
		cells := sep.Split(strings.TrimSpace(l), -1)
		if len(cells) == len(header) && cells[1] == what {
			row := map[string]string{}
			for i, h := range header {
				row[h] = cells[i]
			}
			return row
		}
	}
	t.Fatalf("no row %q in:\n%s", what, out)
	return nil
}
