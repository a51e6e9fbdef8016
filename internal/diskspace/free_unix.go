//go:build unix

package diskspace

import (
	"errors"
	"fmt"
	"syscall"
)

// Free is the space left in bytes on the file system of dir, for an
// unprivileged user (root may use the reserved blocks too).
func Free(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("statfs %s: %w", dir, err)
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
