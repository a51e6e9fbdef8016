//go:build !unix

package diskspace

import (
	"errors"
	"syscall"
)

// Free is not measured on this system.
func Free(string) (uint64, error) { return 0, errors.ErrUnsupported }

func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
