// Package diskspace tells a full disk apart from other failures: the
// typed error every adapter returns when a write finds no room (a 503 to
// the caller, who may retry once an operator freed space), the time such a
// failure was last seen, and the readiness check that takes a node out of
// its load balancer while its data directory is short of space.
package diskspace

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/errs"
)

// FullKey is the translation key of the full-disk error.
const FullKey = "store.disk_full"

// FullError is the error of a write that found the disk full: Unavailable
// (the caller's request was fine; the server cannot take it now), with
// cause as the underlying error.
func FullError(cause error) *errs.Error {
	return errs.Wrap(errs.Unavailable, FullKey,
		"Máy chủ hết dung lượng lưu trữ; dữ liệu chưa được ghi. Vui lòng thử lại sau.",
		"the server's disk is full; nothing was written", cause)
}

// IsFullError reports whether err is (or wraps) FullError's error.
func IsFullError(err error) bool {
	e, ok := errs.As(err)
	return ok && e.Kind == errs.Unavailable && e.Key == FullKey
}

// IsNoSpace reports whether err is the system's "no space left on device"
// (ENOSPC) or "disk quota exceeded" (EDQUOT).
func IsNoSpace(err error) bool { return isNoSpace(err) }

// Recorder keeps when a full disk was last seen. The zero value is ready
// to use.
type Recorder struct{ last atomic.Int64 }

// Note records that a full disk is seen now.
func (r *Recorder) Note() { r.last.Store(time.Now().UnixNano()) }

// Last is when a full disk was last seen (zero: never).
func (r *Recorder) Last() time.Time {
	if n := r.last.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// Guard is the readiness check of a node's disk.
type Guard struct {
	// Dir is the data directory watched (the SQLite database and the file
	// store); MinFree the free bytes below which the node is not ready
	// (0: free space not watched).
	Dir     string
	MinFree uint64
	// Window is how long after a full disk was seen the node stays not
	// ready (0: DefaultWindow); Seen are the stores that record it.
	Window time.Duration
	Seen   []func() time.Time
	// Now is the clock (default time.Now; real time, as Recorder's).
	Now func() time.Time
}

// DefaultWindow is how long a node stays not ready after a full disk.
const DefaultWindow = time.Minute

// Check returns nil when the disk can take writes, otherwise why not.
func (g *Guard) Check() error {
	if g == nil {
		return nil
	}
	now, window := time.Now, g.Window
	if g.Now != nil {
		now = g.Now
	}
	if window <= 0 {
		window = DefaultWindow
	}
	for _, seen := range g.Seen {
		if at := seen(); !at.IsZero() && now().Sub(at) < window {
			return fmt.Errorf("disk full %s ago", now().Sub(at).Round(time.Second))
		}
	}
	if g.MinFree > 0 && g.Dir != "" {
		free, err := Free(g.Dir)
		if errors.Is(err, errors.ErrUnsupported) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("free space of %s: %w", g.Dir, err)
		}
		if free < g.MinFree {
			return fmt.Errorf("free space of %s: %s, below %s", g.Dir, Size(free), Size(g.MinFree))
		}
	}
	return nil
}

// Size prints a number of bytes in binary units ("256 MiB").
func Size(n uint64) string {
	const units = "KMGTPE"
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	d, i := uint64(1024), 0
	for n/d >= 1024 && i < len(units)-1 {
		d *= 1024
		i++
	}
	v := float64(n) / float64(d)
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %ciB", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %ciB", v, units[i])
}

// ParseSize reads a number of bytes: a plain number, or one with a unit
// K, M, G or T (KiB… or KB…, all powers of 1024), e.g. "256MiB", "1G".
func ParseSize(s string) (uint64, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := uint64(1)
	if i := len(t) - 1; i >= 0 {
		if k := strings.IndexByte("KMGT", t[i]); k >= 0 {
			mult = 1 << (10 * (k + 1))
			t = t[:i]
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil || n > math.MaxUint64/mult {
		return 0, fmt.Errorf("size %q: want bytes or a number with K, M, G or T (e.g. 256MiB)", s)
	}
	return n * mult, nil
}
