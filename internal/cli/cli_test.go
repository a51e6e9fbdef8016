package cli_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/internal/cli"
)

func TestStatus(t *testing.T) {
	invalid := errs.InvalidFields("x.invalid", "Dữ liệu không hợp lệ.", "invalid input", []errs.FieldError{{Field: "days", Message: "phải dương"}})
	tests := []struct {
		name   string
		err    error
		status int
		stderr []string // "" for nothing printed
	}{
		{"success", nil, 0, nil},
		{"help", flag.ErrHelp, 0, nil},
		{"own message", fmt.Errorf("verify: %w", cli.ExitError(3)), 3, nil},
		{"usage", fmt.Errorf("import: %w", cli.UsageError("usage: prog import FILE")), 2, []string{"prog: import: usage: prog import FILE"}},
		{"invalid input", invalid, 2, []string{"prog: Dữ liệu không hợp lệ.", "\n  days: phải dương", "\n(invalid input)"}},
		{"failure", errors.New("disk full"), 1, []string{"prog: disk full\n"}},
		{"typed failure", errs.New(errs.NotFound, "x.none", "Không có.", ""), 1, []string{"prog: Không có.\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if got := cli.Status("prog", tt.err, &stderr); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
			if tt.stderr == nil && stderr.Len() > 0 {
				t.Errorf("printed %q, want nothing", stderr.String())
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr %q lacks %q", stderr.String(), s)
				}
			}
		})
	}
}

func TestStartCPUProfile(t *testing.T) {
	stop, err := cli.StartCPUProfile("")
	if err != nil {
		t.Fatal(err)
	}
	stop()
	path := t.TempDir() + "/cpu.pprof"
	stop, err = cli.StartCPUProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("profile %s: %v", path, err)
	}
	if _, err := cli.StartCPUProfile(t.TempDir() + "/missing/cpu.pprof"); err == nil {
		t.Fatal("a profile in a missing directory must fail")
	}
}
