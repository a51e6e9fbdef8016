//go:build unix

package pki

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockFile takes the directory's issuing lock for this process, waiting
// for another process (a second node sharing the directory) to release
// it: a key and its certificate are two files, and two processes issuing
// at once could leave one's key beside the other's certificate.
func lockFile(dir string) (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, "ISSUE.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pki: issuing lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("pki: issuing lock: %w", err)
	}
	return func() { f.Close() }, nil
}
