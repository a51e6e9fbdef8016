package main

import (
	"testing"
)

// TestServeMinFreeDisk: the server's /readyz follows --min-free-disk (and
// MOTCUA_MIN_FREE_DISK): not ready when the threshold is above the data
// directory's free space, ready when below.
func TestServeMinFreeDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	for _, tc := range []struct {
		name string
		flag []string
		env  string
		want int
	}{
		{"threshold above the free space", []string{"--min-free-disk", "1000000TiB"}, "", 503},
		{"threshold below the free space", []string{"--min-free-disk", "1MiB"}, "", 200},
		{"threshold from the environment", nil, "1000000T", 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("MOTCUA_MIN_FREE_DISK", tc.env)
			s := startServer(t, append([]string{"--data", t.TempDir()}, tc.flag...)...)
			if st := s.call(t, "GET", "/readyz", "", "", nil); st != tc.want {
				t.Errorf("GET /readyz = %d, want %d", st, tc.want)
			}
			s.stop(t)
		})
	}
}
