//go:build !unix

package natsbus

import "os"

// lockDir makes the directory; elsewhere than on Unix it is not locked.
func lockDir(dir string) (release func(), err error) {
	return func() {}, os.MkdirAll(dir, 0o750)
}
