package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

func actor(e *apptest.Env, user string) identity.Actor {
	if user == "" {
		return apptest.Anonymous()
	}
	return e.Actor(user)
}

func TestLogin(t *testing.T) {
	e := apptest.New(t)
	citizen := e.Actor(apptest.Citizen).Account
	for _, tt := range []struct {
		name, user, password string
		want                 errs.Kind
		audit, object        string // the entry written
	}{
		{"ok", apptest.Citizen, demo.Password, apptest.OK, "auth.login", fmt.Sprintf("account:%d", citizen.ID)},
		{"username as typed", "  CongDan ", demo.Password, apptest.OK, "auth.login", fmt.Sprintf("account:%d", citizen.ID)},
		{"wrong password", apptest.Citizen, "nope", errs.Unauthorized, "auth.login_failed", fmt.Sprintf("account:%d", citizen.ID)},
		{"unknown user", "nobody", demo.Password, errs.Unauthorized, "auth.login_failed", "username:nobody"},
		{"empty password", apptest.Admin, "", errs.Unauthorized, "auth.login_failed", fmt.Sprintf("account:%d", e.Actor(apptest.Admin).Account.ID)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.Audit(t, tt.audit, tt.object))
			l, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), tt.user, tt.password)
			apptest.WantKind(t, err, tt.want)
			if n := len(e.Audit(t, tt.audit, tt.object)); n != before+1 {
				t.Errorf("%d new %s entries on %s, want 1", n-before, tt.audit, tt.object)
			}
			if err != nil {
				return
			}
			if l.Token == "" || l.Account.ID != citizen.ID || !l.ExpiresAt.Equal(apptest.Start.Add(12*time.Hour)) {
				t.Errorf("login = %+v", l)
			}
		})
	}
}

// A step of a login throttling scenario: user logs in from addr (after
// the clock moved by advance); want is the kind of error (0: logged in).
type loginStep struct {
	name     string
	advance  time.Duration
	user     string
	password string
	addr     string
	want     errs.Kind
	after    time.Duration // with RateLimited: the wait announced, if not 0
}

func runLoginSteps(t *testing.T, e *apptest.Env, steps []loginStep) {
	t.Helper()
	for _, st := range steps {
		e.Advance(st.advance)
		_, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: st.addr}, st.user, st.password)
		if st.want == 0 {
			if err != nil {
				t.Errorf("%s: %v", st.name, err)
			}
			continue
		}
		if errs.KindOf(err) != st.want {
			t.Errorf("%s: %v, want %v", st.name, err, st.want)
			continue
		}
		var re *accounts.RetryError
		if st.want == errs.RateLimited && (!errors.As(err, &re) || re.After <= 0 || st.after != 0 && re.After != st.after) {
			t.Errorf("%s: %v, want a wait of %v", st.name, err, st.after)
		}
	}
}

// hammer makes n wrong-password attempts of user from addr, waiting out
// each back-off, and checks the waits: none for the first burst, then
// 1 s, 2 s, 4 s … up to 15 min.
func hammer(t *testing.T, e *apptest.Env, user, addr string, n, burst int) {
	t.Helper()
	for i := range n {
		_, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: addr}, user, "sai-mat-khau")
		var re *accounts.RetryError
		if errors.As(err, &re) {
			want := min(time.Second<<(i-burst), 15*time.Minute)
			if i < burst || re.After != want {
				t.Fatalf("attempt %d: wait %v, want %v", i+1, re.After, want)
			}
			e.Advance(re.After)
			_, err = e.App.Accounts.Login(e.Ctx, identity.Actor{IP: addr}, user, "sai-mat-khau")
		} else if i > burst {
			t.Fatalf("attempt %d was not delayed: %v", i+1, err)
		}
		if errs.KindOf(err) != errs.Unauthorized {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
}

// Failed logins slow a guesser down without locking the owner out: the
// back-off is per username and client address, the per-address and
// per-username limits are loose, and the owner's usual address escapes
// the per-username one.
func TestLoginThrottled(t *testing.T) {
	const a, b, c = "203.0.113.66", "192.0.2.10", "198.51.100.20"
	tests := []struct {
		name  string
		setup func(t *testing.T, e *apptest.Env)
		steps []loginStep
	}{
		{
			name:  "attacker at A, owner at B",
			setup: func(t *testing.T, e *apptest.Env) { hammer(t, e, apptest.Citizen, a, 30, 5) },
			steps: []loginStep{
				{name: "owner from B at once", user: apptest.Citizen, password: demo.Password, addr: b},
				{name: "from A, delayed", user: apptest.Citizen, password: demo.Password, addr: a, want: errs.RateLimited, after: 15 * time.Minute},
				{name: "from A, still delayed", advance: 14 * time.Minute, user: apptest.Citizen, password: demo.Password, addr: a, want: errs.RateLimited, after: time.Minute},
				{name: "from A after the back-off", advance: time.Minute, user: apptest.Citizen, password: demo.Password, addr: a},
				// The success reset A's back-off: five free failures again.
				{name: "reset 1", user: apptest.Citizen, password: "x", addr: a, want: errs.Unauthorized},
				{name: "reset 2", user: apptest.Citizen, password: "x", addr: a, want: errs.Unauthorized},
				{name: "reset 3", user: apptest.Citizen, password: "x", addr: a, want: errs.Unauthorized},
				{name: "reset 4", user: apptest.Citizen, password: "x", addr: a, want: errs.Unauthorized},
				{name: "reset 5", user: apptest.Citizen, password: "x", addr: a, want: errs.Unauthorized},
				{name: "sixth waits 1 s", user: apptest.Citizen, password: demo.Password, addr: a, want: errs.RateLimited, after: time.Second},
				{name: "after 1 s", advance: time.Second, user: apptest.Citizen, password: demo.Password, addr: a},
			},
		},
		{
			name: "spray from many addresses",
			setup: func(t *testing.T, e *apptest.Env) {
				if _, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: b}, apptest.Citizen, demo.Password); err != nil {
					t.Fatal(err)
				}
				for i := range 50 {
					if _, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: fmt.Sprintf("10.9.%d.%d", i/200, i%200)}, apptest.Citizen, "x"); errs.KindOf(err) != errs.Unauthorized {
						t.Fatalf("spray %d: %v", i+1, err)
					}
				}
			},
			steps: []loginStep{
				{name: "one more address", user: apptest.Citizen, password: "x", addr: "10.9.1.1", want: errs.RateLimited},
				{name: "a new address of the owner", user: apptest.Citizen, password: demo.Password, addr: c, want: errs.RateLimited},
				{name: "the owner's usual address", user: apptest.Citizen, password: demo.Password, addr: b},
				{name: "another user", user: apptest.Citizen2, password: demo.Password, addr: c},
			},
		},
		{
			name: "one address over many usernames",
			setup: func(t *testing.T, e *apptest.Env) {
				for i := range 100 {
					if _, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: a}, fmt.Sprintf("nobody%d", i), "x"); errs.KindOf(err) != errs.Unauthorized {
						t.Fatalf("attempt %d: %v", i+1, err)
					}
				}
			},
			steps: []loginStep{
				{name: "101st from A", user: apptest.Citizen2, password: demo.Password, addr: a, want: errs.RateLimited, after: 9 * time.Second},
				{name: "from another address", user: apptest.Citizen2, password: demo.Password, addr: b},
				{name: "A after 9 s", advance: 9 * time.Second, user: apptest.Citizen2, password: demo.Password, addr: a},
			},
		},
		{
			name: "an office behind one NAT",
			setup: func(t *testing.T, e *apptest.Env) {
				// 20 clerks mistype their passwords 4 times each.
				for i := range 80 {
					if _, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: a}, fmt.Sprintf("canbo%d", i%20), "x"); errs.KindOf(err) != errs.Unauthorized {
						t.Fatalf("attempt %d: %v", i+1, err)
					}
				}
			},
			steps: []loginStep{
				{name: "a colleague logs in", user: apptest.Citizen, password: demo.Password, addr: a},
				{name: "another one", user: apptest.Admin, password: demo.Password, addr: a},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.LoginBurst = 5 }))
			tt.setup(t, e)
			runLoginSteps(t, e, tt.steps)
		})
	}
}

// A throttled login says, in Vietnamese first, when to retry.
func TestLoginThrottledMessage(t *testing.T) {
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.LoginBurst = 1 }))
	ac := identity.Actor{IP: "203.0.113.1"}
	for _, tt := range []struct {
		wait time.Duration
		want string
	}{
		{time.Second, "Vui lòng thử lại sau 1 giây."},
		{2 * time.Second, "Vui lòng thử lại sau 2 giây."},
		{4 * time.Second, "Vui lòng thử lại sau 4 giây."},
	} {
		if _, err := e.App.Accounts.Login(e.Ctx, ac, apptest.Admin, "x"); errs.KindOf(err) != errs.Unauthorized {
			t.Fatalf("failure: %v", err)
		}
		_, err := e.App.Accounts.Login(e.Ctx, ac, apptest.Admin, demo.Password)
		var ee *errs.Error
		if !errors.As(err, &ee) || ee.Kind != errs.RateLimited || !strings.HasSuffix(ee.Message, tt.want) {
			t.Errorf("after a failure: %v, want …%q", err, tt.want)
		}
		e.Advance(tt.wait)
	}
}

func TestSessions(t *testing.T) {
	e := apptest.New(t)
	l, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Citizen, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Citizen2, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	forged := []byte(l.Token)
	forged[0] ^= 1 // another character of the token's alphabet
	for _, tt := range []struct {
		name, token string
		want        errs.Kind
	}{
		{"token", l.Token, apptest.OK},
		{"empty", "", errs.Unauthorized},
		{"unknown", string(forged), errs.Unauthorized},
		{"too long", string(make([]byte, 201)), errs.Unauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			acc, err := e.App.Accounts.Authenticate(e.Ctx, tt.token)
			apptest.WantKind(t, err, tt.want)
			if err == nil && acc.Username != apptest.Citizen {
				t.Errorf("authenticated %s", acc.Username)
			}
		})
	}

	me := e.Actor(apptest.Citizen)
	if acc, err := e.App.Accounts.Me(e.Ctx, me); err != nil || acc.Username != apptest.Citizen {
		t.Errorf("me = %s, %v", acc.Username, err)
	}
	if len(e.Audit(t, "account.read_self", fmt.Sprintf("account:%d", me.Account.ID))) != 1 {
		t.Error("me not audited")
	}
	if err := e.App.Accounts.Logout(e.Ctx, apptest.Anonymous(), l.Token); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("anonymous logout: %v", err)
	}
	if err := e.App.Accounts.Logout(e.Ctx, me, l.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, l.Token); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("after logout: %v", err)
	}
	if len(e.Audit(t, "auth.logout", fmt.Sprintf("account:%d", me.Account.ID))) != 1 {
		t.Error("logout not audited")
	}
	// The other session lives until it expires.
	if _, err := e.App.Accounts.Authenticate(e.Ctx, other.Token); err != nil {
		t.Errorf("other session: %v", err)
	}
	e.SetClock(other.ExpiresAt)
	if _, err := e.App.Accounts.Authenticate(e.Ctx, other.Token); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("expired session: %v", err)
	}
}

func TestCreateAccount(t *testing.T) {
	e := apptest.New(t)
	official := func(username string) accounts.NewAccount {
		return accounts.NewAccount{Password: "bi-mat-123", Account: identity.Account{Username: username, DisplayName: "Lý Thị Hằng", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: e.Seeded.CommuneAgency}}}}
	}
	short := official("hang.ly2")
	short.Password = "abc"
	for _, tt := range []struct {
		name, user string
		in         accounts.NewAccount
		want       errs.Kind
	}{
		{"admin", apptest.Admin, official("hang.ly"), apptest.OK},
		{"username taken", apptest.Admin, official("chuyenvien"), errs.Conflict},
		{"short password", apptest.Admin, short, errs.Invalid},
		{"bad username", apptest.Admin, official("Hằng"), errs.Invalid},
		{"leader", apptest.Leader, official("hang.ly3"), errs.Forbidden},
		{"receiver", apptest.Receiver, official("hang.ly4"), errs.Forbidden},
		{"anonymous", "", official("hang.ly5"), errs.Unauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			acc, err := e.App.Accounts.CreateAccount(e.Ctx, actor(e, tt.user), tt.in)
			apptest.WantKind(t, err, tt.want)
			if err != nil {
				return
			}
			if acc.ID == 0 || acc.PasswordHash == "" || !acc.CreatedAt.Equal(e.Now()) {
				t.Errorf("account = %+v", acc)
			}
			es := e.Audit(t, "account.create", fmt.Sprintf("account:%d", acc.ID))
			if len(es) != 1 || es[0].Actor != tt.user {
				t.Errorf("%d account.create entries", len(es))
			}
		})
	}
	if _, n, _ := e.Store.Accounts(e.Ctx, identity.AccountFilter{Text: "hang.ly"}); n != 1 {
		t.Errorf("%d accounts created, want 1", n)
	}
	l, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), "hang.ly", "bi-mat-123")
	if err != nil || !l.Account.HasRole(identity.RoleSpecialist, e.Seeded.CommuneAgency) {
		t.Errorf("the new official's login: %v", err)
	}
}

// Identity is verified only where it is checked (VNeID, the counter, the
// demo seed), never by an administrator's flag: a new account asking to be
// verified is refused whole (422 naming identity_verified), and a second
// citizen account of a citizen's ID is refused (409) — either of which
// would open the citizen's personal store, share links and population
// record to someone else.
func TestCreateAccountIdentity(t *testing.T) {
	e := apptest.New(t)
	citizen := e.Actor(apptest.Citizen).Account
	newCitizen := func(username, citizenID string, verified bool) accounts.NewAccount {
		return accounts.NewAccount{Password: "bi-mat-123", Account: identity.Account{Username: username, DisplayName: "Nguyễn Văn An", Kind: identity.KindCitizen,
			CitizenID: citizenID, IdentityVerified: verified}}
	}
	official := accounts.NewAccount{Password: "bi-mat-123", Account: identity.Account{Username: "canbo.xacthuc", DisplayName: "Lý Thị Hằng", Kind: identity.KindOfficial,
		CitizenID: "001190012399", IdentityVerified: true}}
	for _, tt := range []struct {
		name   string
		in     accounts.NewAccount
		want   errs.Kind
		key    string
		fields []string
	}{
		{"verified twin of a citizen", newCitizen("giamao", citizen.CitizenID, true), errs.Invalid, "account.identity_verified", []string{"identity_verified"}},
		{"verified new citizen", newCitizen("giamao2", "001090077777", true), errs.Invalid, "account.identity_verified", []string{"identity_verified"}},
		{"verified official", official, errs.Invalid, "account.identity_verified", []string{"identity_verified"}},
		{"unverified twin of a citizen", newCitizen("giamao3", citizen.CitizenID, false), errs.Conflict, "account.citizen_id_taken", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.App.Accounts.CreateAccount(e.Ctx, e.Actor(apptest.Admin), tt.in)
			apptest.WantKind(t, err, tt.want)
			if ee, _ := errs.As(err); ee.Key != tt.key || fmt.Sprint(apptest.Fields(err)) != fmt.Sprint(tt.fields) {
				t.Errorf("error %v: key %s, fields %v", err, ee.Key, apptest.Fields(err))
			}
			if _, err := e.Store.AccountByUsername(e.Ctx, tt.in.Username); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("the refused account exists: %v", err)
			}
		})
	}
	if list, n, err := e.Store.Accounts(e.Ctx, identity.AccountFilter{Text: citizen.CitizenID, Kind: identity.KindCitizen}); err != nil || n != 1 || list[0].ID != citizen.ID {
		t.Errorf("citizen accounts of the ID: %d, %v", n, err)
	}
	if n := len(e.Audit(t, "account.create", "")); n != 0 {
		t.Errorf("%d account.create entries for refused accounts", n)
	}
	// Created unverified, the account stays so whatever the administrator
	// changes; the verified citizen stays verified.
	acc, err := e.App.Accounts.CreateAccount(e.Ctx, e.Actor(apptest.Admin), newCitizen("congdan.moi", "001090077777", false))
	if err != nil || acc.IdentityVerified {
		t.Fatalf("unverified citizen: %+v, %v", acc, err)
	}
	for _, id := range []int64{acc.ID, citizen.ID} {
		admin := e.Actor(apptest.Admin)
		if _, err := e.App.Accounts.SetGrants(e.Ctx, admin, id, []identity.Grant{}); err != nil {
			t.Fatal(err)
		}
		if err := e.App.Accounts.SetDisabled(e.Ctx, admin, id, true); err != nil {
			t.Fatal(err)
		}
		if err := e.App.Accounts.SetDisabled(e.Ctx, admin, id, false); err != nil {
			t.Fatal(err)
		}
		got, err := e.Store.Account(e.Ctx, id)
		if err != nil || got.IdentityVerified != (id == citizen.ID) || got.CitizenID == "" {
			t.Errorf("after the administrator's changes: %+v, %v", got, err)
		}
	}
}

func TestSetGrants(t *testing.T) {
	e := apptest.New(t)
	l, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Specialist, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, l.Token); err != nil { // now remembered
		t.Fatal(err)
	}
	id := e.Actor(apptest.Specialist).Account.ID
	leader := []identity.Grant{{Role: identity.RoleLeader, AgencyID: e.Seeded.CommuneAgency}}
	for _, tt := range []struct {
		name, user string
		id         int64
		grants     []identity.Grant
		want       errs.Kind
	}{
		{"leader grants", apptest.Leader, id, leader, errs.Forbidden},
		{"the official himself", apptest.Specialist, id, leader, errs.Forbidden},
		{"anonymous", "", id, leader, errs.Unauthorized},
		{"unknown account", apptest.Admin, 1 << 40, leader, errs.NotFound},
		{"unknown role", apptest.Admin, id, []identity.Grant{{Role: "chief", AgencyID: e.Seeded.CommuneAgency}}, errs.Invalid},
		{"unknown agency", apptest.Admin, id, []identity.Grant{{Role: identity.RoleLeader, AgencyID: "000.99.99.H01"}}, errs.Invalid},
		{"admin", apptest.Admin, id, leader, apptest.OK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.App.Accounts.SetGrants(e.Ctx, actor(e, tt.user), tt.id, tt.grants)
			apptest.WantKind(t, err, tt.want)
		})
	}
	if es := e.Audit(t, "account.grants", fmt.Sprintf("account:%d", id)); len(es) != 1 || es[0].Actor != apptest.Admin {
		t.Errorf("%d account.grants entries", len(es))
	}
	// The session sees the new grants at once.
	acc, err := e.App.Accounts.Authenticate(e.Ctx, l.Token)
	if err != nil || !acc.HasRole(identity.RoleLeader, e.Seeded.CommuneAgency) || acc.HasRole(identity.RoleSpecialist, "") {
		t.Errorf("after the change: %+v, %v", acc, err)
	}

	// A disabled account can neither log in nor use its session.
	if err := e.App.Accounts.SetDisabled(e.Ctx, e.Actor(apptest.Leader), id, true); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("leader disables: %v", err)
	}
	if err := e.App.Accounts.SetDisabled(e.Ctx, e.Actor(apptest.Admin), id, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, l.Token); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("disabled session: %v", err)
	}
	if _, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Specialist, demo.Password); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("disabled login: %v", err)
	}
	if len(e.Audit(t, "account.disabled", fmt.Sprintf("account:%d", id))) != 1 {
		t.Error("disabling not audited")
	}
}

// Reading other accounts needs account.read; every read is audited.
func TestAccountReads(t *testing.T) {
	e := apptest.New(t)
	citizen := e.Actor(apptest.Citizen).Account.ID
	for _, tt := range []struct {
		name, user string
		want       errs.Kind
		total      int
	}{
		{"receiver finds a walk-in", apptest.Receiver, apptest.OK, 1},
		{"admin", apptest.Admin, apptest.OK, 1},
		{"specialist", apptest.Specialist, errs.Forbidden, 0},
		{"citizen", apptest.Citizen2, errs.Forbidden, 0},
		{"anonymous", "", errs.Unauthorized, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			list, n, err := e.App.Accounts.Accounts(e.Ctx, actor(e, tt.user), identity.AccountFilter{Text: "001090012345"})
			apptest.WantKind(t, err, tt.want)
			if err == nil && (n != tt.total || list[0].ID != citizen) {
				t.Errorf("found %d", n)
			}
			_, err = e.App.Accounts.Account(e.Ctx, actor(e, tt.user), citizen)
			apptest.WantKind(t, err, tt.want)
		})
	}
	if n := len(e.Audit(t, "account.list", "accounts")); n != 2 {
		t.Errorf("%d account.list entries, want 2", n)
	}
	// One's own account needs no permission.
	if _, err := e.App.Accounts.Account(e.Ctx, e.Actor(apptest.Citizen), citizen); err != nil {
		t.Errorf("own account: %v", err)
	}
	if n := len(e.Audit(t, "account.read", fmt.Sprintf("account:%d", citizen))); n != 3 {
		t.Errorf("%d account.read entries, want 3", n)
	}
}

// Disabling an account ends its sessions: they stay refused once the
// account is enabled again, and the audit entry says how many ended.
func TestDisableRevokesSessions(t *testing.T) {
	e := apptest.New(t)
	id := e.Actor(apptest.Specialist).Account.ID
	var tokens []string
	for range 2 {
		l, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Specialist, demo.Password)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.Accounts.Authenticate(e.Ctx, l.Token); err != nil { // now remembered
			t.Fatal(err)
		}
		tokens = append(tokens, l.Token)
	}
	other, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Citizen, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	admin := e.Actor(apptest.Admin)
	if err := e.App.Accounts.SetDisabled(e.Ctx, admin, id, true); err != nil {
		t.Fatal(err)
	}
	refused := func(when string) {
		t.Helper()
		for i, tok := range tokens {
			if _, err := e.App.Accounts.Authenticate(e.Ctx, tok); errs.KindOf(err) != errs.Unauthorized {
				t.Errorf("%s: session %d: %v", when, i, err)
			}
		}
	}
	refused("disabled")
	es := e.Audit(t, "account.disabled", fmt.Sprintf("account:%d", id))
	if len(es) != 1 {
		t.Fatalf("%d account.disabled entries", len(es))
	}
	if d := apptest.Details(t, es[0]); d["disabled"] != true || d["sessions_revoked"] != float64(2) {
		t.Errorf("audit details %v, want disabled and 2 sessions revoked", d)
	}
	if err := e.App.Accounts.SetDisabled(e.Ctx, admin, id, false); err != nil {
		t.Fatal(err)
	}
	refused("enabled again")
	es = e.Audit(t, "account.disabled", fmt.Sprintf("account:%d", id)) // newest first
	if d := apptest.Details(t, es[0]); d["disabled"] != false || d["sessions_revoked"] != float64(0) {
		t.Errorf("audit details of enabling %v", d)
	}
	// Another account's session is untouched; a new login works.
	if _, err := e.App.Accounts.Authenticate(e.Ctx, other.Token); err != nil {
		t.Errorf("another account's session: %v", err)
	}
	l, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Specialist, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, l.Token); err != nil {
		t.Errorf("new session after enabling: %v", err)
	}
}

// A session row left for a disabled account (written by another path)
// does not authenticate.
func TestDisabledAccountSessionRefused(t *testing.T) {
	e := apptest.New(t)
	id := e.Actor(apptest.Specialist).Account.ID
	if err := e.App.Accounts.SetDisabled(e.Ctx, e.Actor(apptest.Admin), id, true); err != nil {
		t.Fatal(err)
	}
	token, hash, err := identity.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	err = e.Store.Update(e.Ctx, func(tx store.Tx) error {
		return tx.CreateSession(e.Ctx, identity.Session{TokenHash: hash, AccountID: id, CreatedAt: e.Now(), ExpiresAt: e.Now().Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, token); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("session of a disabled account: %v", err)
	}
}

// TestPasswordChecksBounded: logins wait for a password-check slot. With
// two slots, twelve logins at once (for nobody, and for a citizen with a
// wrong password) never run more than two checks together and are all
// answered; a login that cannot get a slot before its context ends says so.
func TestPasswordChecksBounded(t *testing.T) {
	e := apptest.New(t)
	var running, most atomic.Int32
	check := func() {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(10 * time.Millisecond)
		running.Add(-1)
	}
	accounts.SetPasswordChecks(e.App.Accounts, 2, func(string, string) bool { check(); return false }, func(string) { check() })
	errc := make(chan error, 12)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("nobody%d", i)
			if i%2 == 0 {
				user = apptest.Citizen
			}
			_, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: fmt.Sprintf("198.51.100.%d", i+1)}, user, "wrong")
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		apptest.WantKind(t, err, errs.Unauthorized)
	}
	if m := most.Load(); m < 1 || m > 2 {
		t.Errorf("%d password checks ran at once, want at most 2", m)
	}

	// The only slot held by a check that does not end: a login waits for
	// its context, and checks nothing.
	release := make(chan struct{})
	accounts.SetPasswordChecks(e.App.Accounts, 1, func(string, string) bool { <-release; return false }, func(string) { <-release })
	held := make(chan error, 1)
	go func() {
		_, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: "198.51.100.50"}, "nobody", "x")
		held <- err
	}()
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(e.Ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := e.App.Accounts.Login(ctx, identity.Actor{IP: "198.51.100.51"}, "nobody2", "x"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("login without a free slot: %v, want the context's deadline", err)
	}
	close(release)
	apptest.WantKind(t, <-held, errs.Unauthorized)
}
