package main

import (
	"testing"

	"github.com/motcua/motcua/internal/democlient"
)

// demoCode returns a code of the demo official user (second factor) that
// the server at base has not accepted yet (democlient.DemoCode).
func demoCode(t testing.TB, base, user string) string {
	t.Helper()
	code, err := democlient.DemoCode(base, user)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
