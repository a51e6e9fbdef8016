package accounts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

const (
	chromeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	safariIPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)

func login(t *testing.T, e *apptest.Env, user, ip, ua string) accounts.Login {
	t.Helper()
	l, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: ip, UserAgent: ua}, user, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// A user sees their active sessions, the current one marked, and ends
// any of their own, never another's.
func TestOwnSessions(t *testing.T) {
	e := apptest.New(t)
	desk := login(t, e, apptest.Citizen, "203.0.113.5", chromeWindows)
	e.Advance(time.Minute)
	phone := login(t, e, apptest.Citizen, "198.51.100.7", safariIPhone)
	stranger := login(t, e, apptest.Citizen2, "192.0.2.1", chromeWindows)
	me := e.Actor(apptest.Citizen)

	list, err := e.App.Accounts.Sessions(e.Ctx, me, desk.Token)
	if err != nil || len(list) != 2 {
		t.Fatalf("sessions = %+v, %v", list, err)
	}
	want := []accounts.SessionInfo{
		{ID: identity.SessionPublicID(identity.HashToken(phone.Token)), Device: "Safari · iPhone", IP: "198.51.100.7", CreatedAt: apptest.Start.Add(time.Minute)},
		{ID: identity.SessionPublicID(identity.HashToken(desk.Token)), Device: "Chrome · Windows", IP: "203.0.113.5", CreatedAt: apptest.Start, Current: true},
	}
	for i, w := range want {
		g := list[i]
		if g.ID != w.ID || g.Device != w.Device || g.IP != w.IP || !g.CreatedAt.Equal(w.CreatedAt) || !g.LastUsedAt.Equal(w.CreatedAt) || g.Current != w.Current || len(g.ID) != 16 {
			t.Errorf("session %d = %+v, want %+v", i, g, w)
		}
	}
	if n := len(e.Audit(t, "account.sessions", fmt.Sprintf("account:%d", me.Account.ID))); n != 1 {
		t.Errorf("%d reads audited, want 1", n)
	}

	for _, tok := range []string{desk.Token, phone.Token, stranger.Token} { // now remembered
		if _, err := e.App.Accounts.Authenticate(e.Ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	theirs := identity.SessionPublicID(identity.HashToken(stranger.Token))
	for _, tt := range []struct {
		name  string
		actor identity.Actor
		id    string
		want  errs.Kind
	}{
		{"anonymous", apptest.Anonymous(), want[0].ID, errs.Unauthorized},
		{"another's", me, theirs, errs.NotFound},
		{"no such", me, "0123456789abcdef", errs.NotFound},
		{"a token, not an ID", me, phone.Token, errs.NotFound},
		{"own", me, want[0].ID, apptest.OK},
		{"own, again", me, want[0].ID, errs.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			apptest.WantKind(t, e.App.Accounts.EndSession(e.Ctx, tt.actor, tt.id), tt.want)
		})
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, phone.Token); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("ended session authenticates: %v", err)
	}
	for _, tok := range []string{desk.Token, stranger.Token} {
		if _, err := e.App.Accounts.Authenticate(e.Ctx, tok); err != nil {
			t.Errorf("a session not ended: %v", err)
		}
	}
	if n := len(e.Audit(t, "auth.session_end", fmt.Sprintf("account:%d", me.Account.ID))); n != 1 {
		t.Errorf("%d ends audited, want 1", n)
	}
}

// An administrator ends every session of an account at once (audited);
// others may not.
func TestEndAccountSessions(t *testing.T) {
	e := apptest.New(t)
	citizen := e.Actor(apptest.Citizen).Account
	for _, tt := range []struct {
		name   string
		actor  string
		id     int64
		logins int // sessions opened first
		want   errs.Kind
		ended  int64
	}{
		{"citizen", apptest.Citizen, citizen.ID, 2, errs.Forbidden, 0},
		{"administrator", apptest.Admin, citizen.ID, 2, apptest.OK, 4}, // the citizen's two too
		{"none left", apptest.Admin, citizen.ID, 0, apptest.OK, 0},
		{"no such account", apptest.Admin, 999999, 0, errs.NotFound, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var tokens []string
			for range tt.logins {
				tokens = append(tokens, login(t, e, apptest.Citizen, "203.0.113.5", chromeWindows).Token)
			}
			for _, tok := range tokens { // remembered by the memo
				if _, err := e.App.Accounts.Authenticate(e.Ctx, tok); err != nil {
					t.Fatal(err)
				}
			}
			before := len(e.Audit(t, "account.sessions_end", fmt.Sprintf("account:%d", tt.id)))
			n, err := e.App.Accounts.EndAccountSessions(e.Ctx, actor(e, tt.actor), tt.id)
			apptest.WantKind(t, err, tt.want)
			if n != tt.ended {
				t.Errorf("ended %d, want %d", n, tt.ended)
			}
			audited := len(e.Audit(t, "account.sessions_end", fmt.Sprintf("account:%d", tt.id))) - before
			if audited != map[bool]int{true: 1, false: 0}[err == nil] {
				t.Errorf("%d entries audited", audited)
			}
			for _, tok := range tokens {
				_, err := e.App.Accounts.Authenticate(e.Ctx, tok)
				if (tt.want == apptest.OK) != (errs.KindOf(err) == errs.Unauthorized) {
					t.Errorf("next request: %v", err)
				}
			}
		})
	}
}

// Sessions end when unused for the idle timeout (deleted, audited) and,
// used or not, at the absolute one; last use is written at most once a
// minute.
func TestSessionTimeouts(t *testing.T) {
	type step struct {
		advance  time.Duration
		ok       bool          // the token still authenticates
		lastUsed time.Duration // then the session's stored last use, from the login (ok only)
	}
	// absolute is a use every 20 min until the 3 h timeout.
	absolute := func() []step {
		var steps []step
		for i := 1; i < 9; i++ {
			steps = append(steps, step{20 * time.Minute, true, time.Duration(i) * 20 * time.Minute})
		}
		return append(steps, step{20 * time.Minute, false, 0})
	}
	for _, tt := range []struct {
		name  string
		steps []step
		idle  bool // ended by the idle timeout (audited)
	}{
		{"used within a minute: not written", []step{{30 * time.Second, true, 0}, {29 * time.Second, true, 0}}, false},
		{"a minute later: written, then not", []step{{time.Minute, true, time.Minute}, {59 * time.Second, true, time.Minute}, {time.Second, true, 2 * time.Minute}}, false},
		{"idle 29 min then used", []step{{29 * time.Minute, true, 29 * time.Minute}, {29 * time.Minute, true, 58 * time.Minute}}, false},
		{"idle 30 min", []step{{10 * time.Minute, true, 10 * time.Minute}, {30 * time.Minute, false, 0}}, true},
		{"absolute", absolute(), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.SessionIdle, c.SessionTTL = 30*time.Minute, 3*time.Hour }))
			l := login(t, e, apptest.Citizen, "203.0.113.5", chromeWindows)
			hash := identity.HashToken(l.Token)
			from := e.Now()
			for i, st := range tt.steps {
				e.Advance(st.advance)
				_, err := e.App.Accounts.Authenticate(e.Ctx, l.Token)
				accounts.WaitTouches(e.App.Accounts)
				if st.ok != (err == nil) {
					t.Fatalf("step %d at +%v: %v, want ok %v", i, e.Now().Sub(from), err, st.ok)
				}
				sess, err := e.Store.Session(e.Ctx, hash)
				if !st.ok {
					if tt.idle != (errs.KindOf(err) == errs.NotFound) {
						t.Errorf("step %d: the session after the idle timeout: %v", i, err)
					}
					continue
				}
				if err != nil || !sess.LastUsedAt.Equal(from.Add(st.lastUsed)) {
					t.Errorf("step %d: last used +%v, want +%v (%v)", i, sess.LastUsedAt.Sub(from), st.lastUsed, err)
				}
			}
			if n := len(e.Audit(t, "auth.session_idle", "")); (n == 1) != tt.idle {
				t.Errorf("%d idle ends audited", n)
			}
		})
	}
}

// A session used through another node within the idle timeout stays
// alive on this one, though this one's memo last read it long ago.
func TestSessionUsedElsewhere(t *testing.T) {
	e := apptest.New(t)
	l := login(t, e, apptest.Citizen, "203.0.113.5", chromeWindows)
	here := e.App.Accounts
	if _, err := here.Authenticate(e.Ctx, l.Token); err != nil {
		t.Fatal(err)
	}
	there, err := platform.New(e.Ctx, e.Store, e.Config)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		e.Advance(20 * time.Minute)
		if _, err := there.Accounts.Authenticate(e.Ctx, l.Token); err != nil {
			t.Fatal(err)
		}
		accounts.WaitTouches(there.Accounts)
	}
	if _, err := here.Authenticate(e.Ctx, l.Token); err != nil {
		t.Errorf("used on the other node 0 min ago, refused here: %v", err)
	}
}

// Two nodes over one store share the failed-login limits: failures
// through either count towards the back-off both apply.
func TestThrottleSharedByNodes(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []apptest.Option
	}{
		{"sqlite", nil},
		{"postgres", []apptest.Option{apptest.Postgres()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := apptest.New(t, append(tt.opts, apptest.WithConfig(func(c *platform.Config) { c.LoginBurst = 5 }))...)
			other, err := platform.New(e.Ctx, e.Store, e.Config)
			if err != nil {
				t.Fatal(err)
			}
			nodes := []*accounts.Service{e.App.Accounts, other.Accounts}
			const addr = "203.0.113.66"
			for i := range 5 { // free failures, alternating nodes
				_, err := nodes[i%2].Login(e.Ctx, identity.Actor{IP: addr}, apptest.Citizen, "sai")
				apptest.WantKind(t, err, errs.Unauthorized)
			}
			for i, n := range nodes {
				_, err := n.Login(e.Ctx, identity.Actor{IP: addr}, apptest.Citizen, demo.Password)
				apptest.WantKind(t, err, errs.RateLimited)
				if err == nil {
					t.Errorf("node %d let a sixth attempt through at once", i)
				}
			}
			e.Advance(time.Second)
			if _, err := nodes[1].Login(e.Ctx, identity.Actor{IP: addr}, apptest.Citizen, demo.Password); err != nil {
				t.Fatalf("after the back-off: %v", err)
			}
			// The success on one node reset the back-off for both.
			_, err = nodes[0].Login(e.Ctx, identity.Actor{IP: addr}, apptest.Citizen, "sai")
			apptest.WantKind(t, err, errs.Unauthorized)
		})
	}
}

func TestDevice(t *testing.T) {
	for _, tt := range []struct{ ua, want string }{
		{chromeWindows, "Chrome · Windows"},
		{safariIPhone, "Safari · iPhone"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge · Windows"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/130.0.0 Chrome/124.0.0.0 Safari/537.36", "Cốc Cốc · Windows"},
		{"Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Zalo android/12120", "Zalo · Android"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0", "Firefox · macOS"},
		{"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", "Firefox · Linux"},
		{"curl/8.5.0", "curl"},
		{"", ""},
		{"apptest", ""},
	} {
		if got := accounts.Device(tt.ua); got != tt.want {
			t.Errorf("Device(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}
