package accounts_test

import (
	"errors"
	"fmt"
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

// Failed logins are limited per username (here a burst of 2, then one
// every 12 s) and per client address (four times as many, four times as
// fast).
func TestLoginThrottled(t *testing.T) {
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.LoginBurst, c.LoginEvery = 2, 12*time.Second }))
	login := func(user, password, ip string) error {
		_, err := e.App.Accounts.Login(e.Ctx, identity.Actor{IP: ip}, user, password)
		return err
	}
	for i := range 2 {
		if err := login(apptest.Admin, "wrong", "192.0.2.1"); errs.KindOf(err) != errs.Unauthorized {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	err := login(apptest.Admin, demo.Password, "192.0.2.1")
	var re *accounts.RetryError
	if errs.KindOf(err) != errs.RateLimited || !errors.As(err, &re) || re.After <= 0 || re.After > 12*time.Second {
		t.Fatalf("third attempt: %v", err)
	}
	// The limit is the username's: another user may log in from there.
	if err := login(apptest.Citizen, demo.Password, "192.0.2.1"); err != nil {
		t.Errorf("another user: %v", err)
	}
	e.Advance(re.After)
	if err := login(apptest.Admin, demo.Password, "192.0.2.1"); err != nil {
		t.Errorf("after waiting %v: %v", re.After, err)
	}

	// From one address, 8 failures of different usernames close it.
	for i := range 8 {
		if err := login(fmt.Sprintf("nobody%d", i), "x", "198.51.100.7"); errs.KindOf(err) != errs.Unauthorized {
			t.Fatalf("address attempt %d: %v", i+1, err)
		}
	}
	if err := login(apptest.Citizen2, demo.Password, "198.51.100.7"); errs.KindOf(err) != errs.RateLimited {
		t.Errorf("9th attempt from the address: %v", err)
	}
	if err := login(apptest.Citizen2, demo.Password, "198.51.100.8"); err != nil {
		t.Errorf("from another address: %v", err)
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
