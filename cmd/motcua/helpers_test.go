package main

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/motcua/motcua/store/sqlstore"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }

// freshSchema creates a schema in the test database, dropped after the test,
// and returns a URL whose search_path points at it.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	u, drop, err := sqlstore.CreateSchema(context.Background(), base, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return u
}
