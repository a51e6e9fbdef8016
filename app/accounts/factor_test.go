package accounts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// code is the TOTP code of secret at t, as an authenticator app shows it.
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// challenge logs user in with the password and returns the challenge.
func challenge(t *testing.T, e *apptest.Env, user string) accounts.Login {
	t.Helper()
	l, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), user, demo.Password)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	if l.Token != "" || l.Challenge == "" {
		t.Fatalf("login %s with a factor gave %+v, want a challenge and no token", user, l)
	}
	return l
}

// The contract: an official with a second factor gets no session from the
// password alone; the challenge is no token, and only the right code, once,
// within its time opens a session.
func TestSecondFactorLogin(t *testing.T) {
	e := apptest.New(t)
	leader := e.Actor(apptest.Leader).Account
	object := fmt.Sprintf("account:%d", leader.ID)
	l := challenge(t, e, apptest.Leader)
	if !l.SecondFactorRequired || l.EnrolmentRequired || !l.ExpiresAt.Equal(e.Now().Add(5*time.Minute)) {
		t.Fatalf("challenge = %+v", l)
	}
	if n := len(e.Audit(t, "auth.password_ok", object)); n != 1 {
		t.Errorf("%d auth.password_ok entries, want 1", n)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, l.Challenge); errs.KindOf(err) != errs.Unauthorized {
		t.Fatalf("the challenge authenticates: %v", err)
	}
	first := l.Challenge
	for _, tt := range []struct {
		name      string
		advance   time.Duration
		challenge string // "": a new one; "first": the first one
		code      func() string
		want      errs.Kind
		audit     string
	}{
		{"no code", 0, "first", func() string { return "" }, errs.Unauthorized, "auth.second_factor_failed"},
		{"wrong code", 0, "first", func() string { return "000000" }, errs.Unauthorized, "auth.second_factor_failed"},
		{"forged challenge", 0, "forged", func() string { return code(t, demo.TOTPSecret, e.Now()) }, errs.Unauthorized, ""},
		{"right code", 0, "first", func() string { return code(t, demo.TOTPSecret, e.Now()) }, apptest.OK, "auth.login"},
		{"challenge used again", 30 * time.Second, "first", func() string { return code(t, demo.TOTPSecret, e.Now()) }, errs.Unauthorized, ""},
		{"code of the step used", 0, "", func() string { return code(t, demo.TOTPSecret, e.Now().Add(-30*time.Second)) }, errs.Unauthorized, "auth.second_factor_failed"},
		{"code of the next step (drift)", 0, "", func() string { return code(t, demo.TOTPSecret, e.Now().Add(30*time.Second)) }, apptest.OK, "auth.login"},
		{"code two steps ahead", 0, "", func() string { return code(t, demo.TOTPSecret, e.Now().Add(90*time.Second)) }, errs.Unauthorized, "auth.second_factor_failed"},
		{"challenge expired", 5*time.Minute + time.Second, "expires", func() string { return code(t, demo.TOTPSecret, e.Now()) }, errs.Unauthorized, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c string
			switch tt.challenge {
			case "first":
				c = first
			case "forged":
				c = "gia-mao"
			case "expires":
				c = challenge(t, e, apptest.Leader).Challenge
			default:
				c = challenge(t, e, apptest.Leader).Challenge
			}
			e.Advance(tt.advance)
			before := 0
			if tt.audit != "" {
				before = len(e.Audit(t, tt.audit, object))
			}
			got, err := e.App.Accounts.LoginSecondFactor(e.Ctx, apptest.Anonymous(), c, tt.code())
			apptest.WantKind(t, err, tt.want)
			if tt.audit != "" {
				if n := len(e.Audit(t, tt.audit, object)); n != before+1 {
					t.Errorf("%d new %s entries, want 1", n-before, tt.audit)
				}
			}
			if err != nil {
				return
			}
			acc, err := e.App.Accounts.Authenticate(e.Ctx, got.Token)
			if err != nil || acc.ID != leader.ID || !acc.Can(identity.PermDossierHandle, "") {
				t.Errorf("session: %v, %v", acc, err)
			}
		})
	}
}

// A leader without a factor is sent to enrol: the challenge allows the
// enrolment only; the confirmation opens the session and gives ten
// recovery codes, each good once.
func TestSecondFactorEnrolment(t *testing.T) {
	e := apptest.New(t)
	admin := e.Actor(apptest.Admin)
	leader := e.Actor(apptest.Leader).Account
	if err := e.App.Accounts.ResetSecondFactor(e.Ctx, admin, leader.ID); err != nil {
		t.Fatal(err)
	}
	l := challenge(t, e, apptest.Leader)
	if !l.EnrolmentRequired || l.SecondFactorRequired {
		t.Fatalf("login of a leader without a factor = %+v, want enrolment", l)
	}
	if _, err := e.App.Accounts.LoginSecondFactor(e.Ctx, apptest.Anonymous(), l.Challenge, "123456"); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("enrolment challenge as a second factor: %v", err)
	}
	if _, err := e.App.Accounts.ConfirmTOTP(e.Ctx, apptest.Anonymous(), l.Challenge, "123456"); errs.KindOf(err) != errs.Conflict {
		t.Errorf("confirm before begin: %v, want Conflict", err)
	}
	en, err := e.App.Accounts.BeginTOTP(e.Ctx, apptest.Anonymous(), l.Challenge)
	if err != nil || en.Secret == "" || en.URL == "" {
		t.Fatalf("BeginTOTP = %+v, %v", en, err)
	}
	if _, err := e.App.Accounts.ConfirmTOTP(e.Ctx, apptest.Anonymous(), l.Challenge, "000000"); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("confirm with a wrong code: %v", err)
	}
	got, err := e.App.Accounts.ConfirmTOTP(e.Ctx, apptest.Anonymous(), l.Challenge, code(t, en.Secret, e.Now()))
	if err != nil || len(got.RecoveryCodes) != 10 || got.Login == nil || got.Login.Token == "" {
		t.Fatalf("ConfirmTOTP = %+v, %v", got, err)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, got.Login.Token); err != nil {
		t.Errorf("session after enrolment: %v", err)
	}
	if n := len(e.Audit(t, "auth.second_factor_confirm", fmt.Sprintf("account:%d", leader.ID))); n != 1 {
		t.Errorf("%d confirm entries, want 1", n)
	}
	if _, err := e.App.Accounts.BeginTOTP(e.Ctx, e.Actor(apptest.Leader), ""); errs.KindOf(err) != errs.Conflict {
		t.Errorf("begin again once confirmed: %v, want Conflict", err)
	}
	st, err := e.App.Accounts.SecondFactorOf(e.Ctx, admin, leader.ID)
	if err != nil || !st.Enrolled || st.RecoveryCodes != 10 || !st.Required {
		t.Errorf("SecondFactorOf = %+v, %v", st, err)
	}
	rc := got.RecoveryCodes[3]
	for i, want := range []errs.Kind{apptest.OK, errs.Unauthorized} {
		c := challenge(t, e, apptest.Leader).Challenge
		_, err := e.App.Accounts.LoginSecondFactor(e.Ctx, apptest.Anonymous(), c, rc)
		if want == apptest.OK && err != nil || want != apptest.OK && errs.KindOf(err) != want {
			t.Errorf("recovery code, use %d: %v", i+1, err)
		}
	}
	if st, _ := e.App.Accounts.SecondFactorOf(e.Ctx, admin, leader.ID); st.RecoveryCodes != 9 {
		t.Errorf("recovery codes left: %d, want 9", st.RecoveryCodes)
	}
}

// An administrator resets a factor: audited, the account's sessions end,
// its next login enrols anew. Nobody else may.
func TestResetSecondFactor(t *testing.T) {
	e := apptest.New(t)
	leader := e.Actor(apptest.Leader).Account
	c := challenge(t, e, apptest.Leader).Challenge
	l, err := e.App.Accounts.LoginSecondFactor(e.Ctx, apptest.Anonymous(), c, code(t, demo.TOTPSecret, e.Now()))
	if err != nil {
		t.Fatal(err)
	}
	pending := challenge(t, e, apptest.Leader).Challenge
	for _, user := range []string{apptest.Leader, apptest.Receiver, apptest.Specialist} {
		if err := e.App.Accounts.ResetSecondFactor(e.Ctx, e.Actor(user), leader.ID); errs.KindOf(err) != errs.Forbidden {
			t.Errorf("reset by %s: %v, want Forbidden", user, err)
		}
	}
	if err := e.App.Accounts.ResetSecondFactor(e.Ctx, e.Actor(apptest.Admin), leader.ID); err != nil {
		t.Fatal(err)
	}
	entries := e.Audit(t, "account.second_factor_reset", fmt.Sprintf("account:%d", leader.ID))
	if len(entries) != 1 {
		t.Fatalf("%d reset entries, want 1", len(entries))
	}
	if d := apptest.Details(t, entries[0]); d["had_factor"] != true || d["sessions_revoked"] != float64(1) {
		t.Errorf("reset details = %v", d)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, l.Token); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("session after reset: %v", err)
	}
	if _, err := e.App.Accounts.LoginSecondFactor(e.Ctx, apptest.Anonymous(), pending, code(t, demo.TOTPSecret, e.Now().Add(30*time.Second))); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("pending login after reset: %v", err)
	}
	if l := challenge(t, e, apptest.Leader); !l.EnrolmentRequired {
		t.Errorf("login after reset = %+v, want enrolment", l)
	}
	if err := e.App.Accounts.ResetSecondFactor(e.Ctx, e.Actor(apptest.Admin), 99999); errs.KindOf(err) != errs.NotFound {
		t.Errorf("reset of no account: %v", err)
	}
}

// The policy: who must enrol, by role.
func TestSecondFactorPolicy(t *testing.T) {
	for _, tt := range []struct {
		name   string
		roles  []identity.Role
		user   string
		enrol  bool
		factor bool // a seeded factor is asked whatever the policy
	}{
		{"default: specialist", nil, apptest.Specialist, false, false},
		{"default: receiver", nil, apptest.Receiver, false, false},
		{"default: citizen", nil, apptest.Citizen, false, false},
		{"default: viewer", nil, apptest.ProvinceView, false, false},
		{"default: leader", nil, apptest.Leader, true, false},
		{"default: clerk", nil, apptest.Clerk, true, false},
		{"default: admin", nil, apptest.Admin, true, false},
		{"nobody: leader", []identity.Role{}, apptest.Leader, false, false},
		{"nobody: leader with a factor", []identity.Role{}, apptest.Leader, false, true},
		{"receivers", []identity.Role{identity.RoleReceiver}, apptest.Receiver, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.SecondFactorRoles = tt.roles }))
			if !tt.factor {
				if err := e.App.Accounts.ResetSecondFactor(e.Ctx, e.Actor(apptest.Admin), e.Actor(tt.user).Account.ID); err != nil {
					t.Fatal(err)
				}
			}
			l, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), tt.user, demo.Password)
			if err != nil {
				t.Fatal(err)
			}
			if l.EnrolmentRequired != tt.enrol || l.SecondFactorRequired != tt.factor || (l.Token == "") != (tt.enrol || tt.factor) {
				t.Errorf("login = token %t, enrol %t, factor %t; want enrol %t, factor %t", l.Token != "", l.EnrolmentRequired, l.SecondFactorRequired, tt.enrol, tt.factor)
			}
		})
	}
}

// Wrong codes are throttled as wrong passwords are, with their own count.
func TestSecondFactorThrottled(t *testing.T) {
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.LoginBurst = 3 }))
	c := challenge(t, e, apptest.Leader).Challenge
	for i := range 3 {
		if _, err := e.App.Accounts.LoginSecondFactor(e.Ctx, apptest.Anonymous(), c, "000000"); errs.KindOf(err) != errs.Unauthorized {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	challenge(t, e, apptest.Leader) // a right password resets nothing
	_, err := e.App.Accounts.LoginSecondFactor(e.Ctx, apptest.Anonymous(), c, code(t, demo.TOTPSecret, e.Now()))
	if errs.KindOf(err) != errs.RateLimited {
		t.Fatalf("right code right after: %v, want RateLimited", err)
	}
	e.Advance(2 * time.Second)
	if _, err := e.App.Accounts.LoginSecondFactor(e.Ctx, apptest.Anonymous(), c, code(t, demo.TOTPSecret, e.Now())); err != nil {
		t.Fatalf("right code after the wait: %v", err)
	}
}

// A sign-on does not bypass the second factor: a citizen who enrolled one
// cannot link the national sign-on with the password alone, nor sign on.
func TestSignOnRefusesSecondFactor(t *testing.T) {
	e, p := signOnEnv(t)
	anon := apptest.Anonymous()
	citizen := e.Actor(apptest.Citizen)
	en, err := e.App.Accounts.BeginTOTP(e.Ctx, citizen, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Accounts.ConfirmTOTP(e.Ctx, citizen, "", code(t, en.Secret, e.Now())); err != nil {
		t.Fatal(err)
	}
	if l := challenge(t, e, apptest.Citizen); !l.SecondFactorRequired {
		t.Fatalf("citizen's login after enrolling = %+v", l)
	}
	state := begin(t, e, "/")
	p.answer(citizenID(2, "s-an", citizen.Account.CitizenID), nil)
	res, err := e.App.Accounts.CompleteSignOn(e.Ctx, anon, state, "c", "")
	if err != nil || res.LinkToken == "" {
		t.Fatalf("CompleteSignOn = %+v, %v; want a link to confirm", res, err)
	}
	if _, err := e.App.Accounts.LinkSignOn(e.Ctx, anon, res.LinkToken, demo.Password); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("link with the password alone: %v, want Forbidden", err)
	}
}
