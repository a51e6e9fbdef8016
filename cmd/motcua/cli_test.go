package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"due 3 days before Tết", []string{"calendar", "due", "--from", "2026-02-13T10:00:00+07:00", "--days", "3"}, 0, []string{"2026-02-25T10:00:00+07:00"}},
		{"due after cut-off", []string{"calendar", "due", "--from", "2026-11-23T15:30:00+07:00", "--days", "1"}, 0, []string{"2026-11-24T17:30:00+07:00"}},
		{"due hours", []string{"calendar", "due", "--from", "2026-11-23T08:00:00+07:00", "--hours", "4"}, 0, []string{"2026-11-23T14:00:00+07:00"}},
		{"due UTC input", []string{"calendar", "due", "--from", "2026-11-23T01:00:00Z", "--days", "1"}, 0, []string{"2026-11-24T08:00:00+07:00"}},
		{"due bad from", []string{"calendar", "due", "--from", "yesterday", "--days", "1"}, 2, nil},
		{"due both", []string{"calendar", "due", "--from", "2026-11-23T08:00:00+07:00", "--days", "1", "--hours", "2"}, 2, nil},
		{"holidays 2026", []string{"calendar", "holidays", "--year", "2026"}, 0, []string{"2026-02-17", "Tết Nguyên đán", "2026-04-26", "Giỗ Tổ Hùng Vương", "2026-04-27", "2026-09-02", "Quốc khánh"}},
		{"holidays bad year", []string{"calendar", "holidays", "--year", "20266"}, 2, nil},
		{"resolve old", []string{"units", "resolve-old", "00007"}, 0, []string{"00008\tPhường Ngọc Hà", "00025\tPhường Giảng Võ", "Phường Cống Vị"}},
		{"resolve old unknown", []string{"units", "resolve-old", "99998"}, 1, nil},
		{"resolve old invalid", []string{"units", "resolve-old", "12x"}, 2, nil},
		{"unknown command", []string{"fly"}, 2, nil},
		{"serve with a bad --min-free-disk", []string{"serve", "--min-free-disk", "lots", "--data", "/nonexistent/motcua"}, 2, nil},
		{"version", []string{"version"}, 0, []string{"motcua"}},
		{"serve short metrics token", []string{"serve", "--metrics-token", "short"}, 2, nil},
		{"serve idle timeout too short", []string{"serve", "--session-idle", "30s", "--data", "/nonexistent/motcua"}, 2, nil},
		{"serve absolute timeout too short", []string{"serve", "--session-ttl", "0s", "--data", "/nonexistent/motcua"}, 2, nil},
		{"serve bad trusted proxies", []string{"serve", "--trusted-proxies", "10.0.0.0/33", "--data", "/nonexistent/motcua"}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tt.code, out, errOut)
			}
			for _, c := range tt.contains {
				if !strings.Contains(out, c) {
					t.Errorf("stdout lacks %q: %s", c, out)
				}
			}
		})
	}
}

// TestBenchIsElsewhere: the benchmarks are not in the production binary;
// the old command points to the one that has them.
func TestBenchIsElsewhere(t *testing.T) {
	code, _, errOut := runCLI("bench", "due", "--runs", "3")
	if code != 2 || !strings.Contains(errOut, "go run ./cmd/motcua-bench due --runs 3") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, out, _ := runCLI("help"); strings.Contains(out, "bench") {
		t.Fatalf("the usage still lists bench:\n%s", out)
	}
}

func TestCalendarDueWithSchedule(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/2026.json"
	if err := writeFile(file, `{"year":2026,"source":"test","days_off":[{"date":"2026-11-24","name":"Nghỉ thử"}],"working_days":[]}`); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("calendar", "due", "--from", "2026-11-23T15:30:00+07:00", "--days", "1", "--schedule", file)
	if code != 0 || strings.TrimSpace(out) != "2026-11-25T17:30:00+07:00" {
		t.Fatalf("exit %d out %q err %q", code, out, errOut)
	}
	if err := writeFile(file, `{"year":2026,"days_off":[{"date":"2027-01-01","name":"x"}]}`); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCLI("calendar", "holidays", "--year", "2026", "--schedule", file); code == 0 {
		t.Fatal("a schedule with a date outside its year must be refused")
	}
}
