package diskspace

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{"0": 0, "1048576": 1 << 20, "256MiB": 256 << 20, "256M": 256 << 20, "256 MB": 256 << 20, "1GiB": 1 << 30, "2g": 2 << 30, "512k": 512 << 10, "1TiB": 1 << 40} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1", "1.5G", "256XB", "99999999999999999999", "20000000000T"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) succeeded", in)
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1000: "1000 B", 256 << 20: "256 MiB", 3 << 29: "1.5 GiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFullError(t *testing.T) {
	cause := &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
	if !IsNoSpace(fmt.Errorf("store: %w", cause)) || IsNoSpace(errors.New("no")) {
		t.Error("IsNoSpace")
	}
	err := fmt.Errorf("submit: %w", FullError(cause))
	if !IsFullError(err) || errs.KindOf(err) != errs.Unavailable || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("FullError = %v", err)
	}
}

func TestGuard(t *testing.T) {
	var r Recorder
	now := time.Now()
	g := &Guard{Seen: []func() time.Time{r.Last}, Window: time.Minute, Now: func() time.Time { return now }}
	if err := g.Check(); err != nil {
		t.Fatalf("never full: %v", err)
	}
	r.Note()
	if err := g.Check(); err == nil {
		t.Fatal("ready just after a full disk")
	}
	now = now.Add(2 * time.Minute)
	if err := g.Check(); err != nil {
		t.Fatalf("still not ready after the window: %v", err)
	}
	g.Dir = t.TempDir()
	g.MinFree = 1 << 62
	if err := g.Check(); err == nil {
		t.Fatal("ready with less free space than 4 EiB")
	}
	g.Dir = "/nonexistent/motcua"
	if err := g.Check(); err == nil {
		t.Fatal("ready though the data directory cannot be measured")
	}
}
