package main

import (
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/motcua/motcua/demo"
)

// The demo officials whose roles require a second factor log in with the
// code of demo.TOTPSecret. A code serves once: the server refuses a time
// step it accepted before, so these tests remember the last step each
// server took for each user and give the next one, waiting for it when it
// is more than the one step ahead the server allows for drift.
var (
	stepsMu sync.Mutex
	steps   = map[string]int64{} // base URL + user → last step used
)

// demoCode returns a code of user that the server at base has not seen.
func demoCode(t testing.TB, base, user string) string {
	t.Helper()
	code, err := nextDemoCode(base, user)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func nextDemoCode(base, user string) (string, error) {
	stepsMu.Lock()
	defer stepsMu.Unlock()
	now := time.Now()
	cur := now.Unix() / 30
	step := max(cur, steps[base+user]+1)
	if step > cur+1 {
		time.Sleep(time.Unix((cur+1)*30, 0).Sub(now) + 100*time.Millisecond)
		step = max(time.Now().Unix()/30, step)
	}
	steps[base+user] = step
	return totp.GenerateCode(demo.TOTPSecret, time.Unix(step*30, 0))
}
