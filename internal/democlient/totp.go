package democlient

import (
	"sync"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/motcua/motcua/demo"
)

// The demo officials whose roles require a second factor (the leader, the
// clerk, the administrator) log in with the code of demo.TOTPSecret. A code
// serves once: the server refuses a time step it accepted before, so the
// client remembers the last step each server took of each user and gives
// the next one, waiting for it when it is more than the one step ahead the
// server allows for clock drift.
var (
	stepsMu sync.Mutex
	steps   = map[string]int64{} // base URL + " " + user → last step used
)

// DemoCode returns a TOTP code of the demo account user that the server at
// base has not accepted yet (at most one step, 30 s, of waiting).
func DemoCode(base, user string) (string, error) {
	stepsMu.Lock()
	defer stepsMu.Unlock()
	now := time.Now()
	cur := now.Unix() / 30
	step := max(cur, steps[base+" "+user]+1)
	if step > cur+1 {
		time.Sleep(time.Unix((cur+1)*30, 0).Sub(now) + 100*time.Millisecond)
		step = max(time.Now().Unix()/30, step)
	}
	steps[base+" "+user] = step
	return totp.GenerateCode(demo.TOTPSecret, time.Unix(step*30, 0))
}
