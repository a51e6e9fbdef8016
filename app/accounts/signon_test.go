package accounts_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// scripted is an identity provider whose answers the test sets: the
// account logic is tested here; the protocol (oidcrp against a real
// provider) in package oidcrp and end to end.
type scripted struct {
	mu     sync.Mutex
	next   identity.SignOnIdentity
	err    error
	asked  map[string]string // state → nonce of the URLs handed out
	issued []string          // verifier of each exchange
}

func (p *scripted) Name() string  { return "demo" }
func (p *scripted) Label() string { return "VNeID (thử nghiệm)" }

func (p *scripted) AuthURL(_ context.Context, state, nonce, verifier string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked[state] = nonce
	return "https://sso.example.vn/authorize?state=" + url.QueryEscape(state), nil
}

func (p *scripted) Identity(_ context.Context, code, verifier, nonce string) (identity.SignOnIdentity, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.issued = append(p.issued, verifier)
	return p.next, p.err
}

func (p *scripted) answer(id identity.SignOnIdentity, err error) {
	p.mu.Lock()
	p.next, p.err = id, err
	p.mu.Unlock()
}

func signOnEnv(t *testing.T) (*apptest.Env, *scripted) {
	p := &scripted{asked: map[string]string{}}
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) {
		c.SignOn = accounts.SignOnConfig{Providers: []accounts.IdentityProvider{p}}
	}))
	return e, p
}

// begin starts a sign-on and returns its state.
func begin(t *testing.T, e *apptest.Env, next string) string {
	t.Helper()
	to, err := e.App.Accounts.BeginSignOn(e.Ctx, "demo", next)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(to)
	return u.Query().Get("state")
}

func citizenID(level int, sub, id string) identity.SignOnIdentity {
	return identity.SignOnIdentity{Issuer: "https://sso.example.vn", Subject: sub, Type: identity.SignOnCitizen, CitizenID: id,
		Name: "Trần Thị Mai", Email: "mai@example.vn", TechID: "TECH-" + sub, Level: level}
}

func audited(t *testing.T, e *apptest.Env, action string) int {
	t.Helper()
	es, err := e.Store.AuditEntries(e.Ctx, audit.Filter{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestSignOn: a first sign-on makes the account, verified from level 2,
// with its TechID; the next finds it; a sign-on at level 1 leaves it
// unverified; the session opens and lands where the sign-in started.
func TestSignOn(t *testing.T) {
	e, p := signOnEnv(t)
	anon := apptest.Anonymous()
	if got := e.App.Accounts.SignOnProviders(); len(got) != 1 || got[0].Name != "demo" {
		t.Fatalf("providers = %+v", got)
	}
	for _, tt := range []struct {
		name     string
		id       identity.SignOnIdentity
		next     string
		verified bool
		created  int // account.created_by_signon entries after the step
	}{
		{"first sign-on, level 2", citizenID(2, "s-1", "001190005678"), "/nop-ho-so/1.001193?b=1", true, 1},
		{"again, same identity", citizenID(2, "s-1", "001190005678"), "/", true, 1},
		{"level 1, another subject of the same person", citizenID(1, "s-1b", "001190005678"), "https://evil.example/", false, 1},
		{"an enterprise", identity.SignOnIdentity{Issuer: "https://sso.example.vn", Subject: "dn-1", Type: identity.SignOnEnterprise, TaxCode: "0109876543",
			Name: "Công ty TNHH Hoa Sen", Level: 2}, "", true, 2},
		{"an organisation", identity.SignOnIdentity{Issuer: "https://sso.example.vn", Subject: "tc-1", Type: identity.SignOnOrganization, TechID: "ORG-77",
			Name: "Hội Chữ thập đỏ phường Ba Đình", Level: 2}, "", true, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			state := begin(t, e, tt.next)
			p.answer(tt.id, nil)
			res, err := e.App.Accounts.CompleteSignOn(e.Ctx, anon, state, "code-1", "")
			if err != nil || res.Login == nil {
				t.Fatalf("CompleteSignOn = %+v, %v", res, err)
			}
			want := accounts.LocalPath(tt.next)
			if res.Next != want {
				t.Errorf("lands on %q, want %q", res.Next, want)
			}
			acc, err := e.App.Accounts.Authenticate(e.Ctx, res.Login.Token)
			if err != nil {
				t.Fatal(err)
			}
			if acc.IdentityVerified != tt.verified || acc.VNeID != tt.verified || acc.Kind != tt.id.Kind() || acc.PasswordHash != "" {
				t.Errorf("account %+v", acc)
			}
			if tt.id.TechID != "" && acc.TechID != tt.id.TechID && tt.id.Type != identity.SignOnCitizen {
				t.Errorf("TechID %q, want %q", acc.TechID, tt.id.TechID)
			}
			if n := audited(t, e, "account.created_by_signon"); n != tt.created {
				t.Errorf("%d accounts made, want %d", n, tt.created)
			}
		})
	}
	// The password login of an account a sign-on made fails: it has none.
	if _, err := e.App.Accounts.Login(e.Ctx, anon, "vneid.001190005678", ""); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("password login of a sign-on account: %v", err)
	}
}

// TestSignOnRefused: what the provider or the browser gets wrong is
// refused with a clear message, audited, and makes no account.
func TestSignOnRefused(t *testing.T) {
	e, p := signOnEnv(t)
	anon := apptest.Anonymous()
	forged := errs.New(errs.Unauthorized, "signon.token_invalid", "Mã định danh (ID token) không hợp lệ (chữ ký hoặc định dạng sai).", "invalid")
	used := begin(t, e, "/")
	p.answer(citizenID(2, "s-9", "001190009999"), nil)
	if _, err := e.App.Accounts.CompleteSignOn(e.Ctx, anon, used, "c", ""); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name       string
		state      func() string
		code, perr string
		answer     error
		identity   identity.SignOnIdentity
		kind       errs.Kind
		message    string
	}{
		{"no state", func() string { return "" }, "c", "", nil, citizenID(2, "x1", "001190001111"), errs.Invalid, "thiếu state"},
		{"unknown state", func() string { return "forged-state" }, "c", "", nil, citizenID(2, "x2", "001190002222"), errs.NotFound, "không hợp lệ, đã được dùng"},
		{"state replayed", func() string { return used }, "c", "", nil, citizenID(2, "x3", "001190003333"), errs.NotFound, "đã được dùng"},
		{"provider error", func() string { return begin(t, e, "/") }, "", "access_denied: user cancelled", nil, citizenID(2, "x4", "001190004444"), errs.Unauthorized, "không cho đăng nhập"},
		{"forged token", func() string { return begin(t, e, "/") }, "c", "", forged, citizenID(2, "x5", "001190005555"), errs.Unauthorized, "chữ ký"},
		{"identity without a valid citizen ID", func() string { return begin(t, e, "/") }, "c", "", nil, citizenID(2, "x6", "123"), errs.Invalid, "SoDinhDanh"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := audited(t, e, "auth.signon_failed")
			state := tt.state()
			p.answer(tt.identity, tt.answer)
			_, err := e.App.Accounts.CompleteSignOn(e.Ctx, anon, state, tt.code, tt.perr)
			if errs.KindOf(err) != tt.kind || !strings.Contains(errs.Message(err), tt.message) {
				t.Fatalf("err = %v (%s), want %v saying %q", err, errs.Message(err), tt.kind, tt.message)
			}
			if audited(t, e, "auth.signon_failed") != before+1 {
				t.Errorf("the refusal is not audited")
			}
			if _, err := e.Store.AccountByKey(e.Ctx, identity.KindCitizen, tt.identity.CitizenID); errs.KindOf(err) != errs.NotFound {
				t.Errorf("an account was made: %v", err)
			}
		})
	}
}

// TestSignOnLink: the national identity of a citizen who has a password
// account is linked only once the citizen gives that password.
func TestSignOnLink(t *testing.T) {
	e, p := signOnEnv(t)
	anon := apptest.Anonymous()
	local := e.Actor(apptest.Citizen).Account
	state := begin(t, e, "/nop-ho-so/1.001193")
	p.answer(citizenID(2, "s-an", local.CitizenID), nil)
	res, err := e.App.Accounts.CompleteSignOn(e.Ctx, anon, state, "c", "")
	if err != nil || res.Login != nil || res.LinkToken == "" || !strings.HasPrefix(res.LinkUsername, local.Username[:2]) || strings.Contains(res.LinkUsername, local.Username) {
		t.Fatalf("CompleteSignOn = %+v, %v; want a link to confirm", res, err)
	}
	if _, err := e.Store.AccountByIdentity(e.Ctx, "https://sso.example.vn", "s-an"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("linked silently: %v", err)
	}
	if _, err := e.App.Accounts.LinkSignOn(e.Ctx, anon, res.LinkToken, "wrong"); errs.KindOf(err) != errs.Unauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := e.App.Accounts.LinkSignOn(e.Ctx, anon, "forged", demo.Password); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("forged link token: %v", err)
	}
	got, err := e.App.Accounts.LinkSignOn(e.Ctx, anon, res.LinkToken, demo.Password)
	if err != nil || got.Login == nil || got.Login.Account.ID != local.ID || got.Next != "/nop-ho-so/1.001193" {
		t.Fatalf("LinkSignOn = %+v, %v", got, err)
	}
	if _, err := e.App.Accounts.LinkSignOn(e.Ctx, anon, res.LinkToken, demo.Password); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a link confirmed twice: %v", err)
	}
	if n := audited(t, e, "account.identity_linked"); n != 1 {
		t.Errorf("%d link entries", n)
	}
	// Linked: the next sign-on goes straight to the account.
	state = begin(t, e, "/")
	res, err = e.App.Accounts.CompleteSignOn(e.Ctx, anon, state, "c", "")
	if err != nil || res.Login == nil || res.Login.Account.ID != local.ID || !res.Login.Account.VNeID {
		t.Fatalf("after the link: %+v, %v", res, err)
	}
}
