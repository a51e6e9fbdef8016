package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"
)

// The contract of issue 14: an official with a second factor cannot act on
// a dossier with the password alone. The password's answer holds no token
// and sets no cookie; the challenge is no token; a forged or absent second
// step is refused; with the code, the action is taken.
func TestSecondFactorContract(t *testing.T) {
	f := newFixture(t)
	st, d, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`)
	f.act(t, "chuyenvien", d.Code, `{"action":"complete_step"}`)
	if d = f.get(t, "chuyenvien", d.Code); d.CurrentStep == nil || d.CurrentStep.Role != "leader" {
		t.Fatalf("dossier not at the leader's step: %+v", d)
	}
	res, body := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"lanhdao","password":"demo"}`)
	var l struct {
		Token, Challenge     string
		SecondFactorRequired bool `json:"second_factor_required"`
	}
	if err := json.Unmarshal(body, &l); err != nil || res.StatusCode != 200 || l.Token != "" || !l.SecondFactorRequired || l.Challenge == "" || res.Header.Get("Set-Cookie") != "" {
		t.Fatalf("password login = %d %s (cookie %q)", res.StatusCode, body, res.Header.Get("Set-Cookie"))
	}
	if strings.Contains(string(body), `"account"`) {
		t.Errorf("the password alone shows the account: %s", body)
	}
	act := `{"action":"complete_step"}`
	for _, tt := range []struct {
		name, token string
		want        int
	}{
		{"no token", "", 401},
		{"the challenge as a token", l.Challenge, 401},
		{"a forged token", "gia-mao", 401},
	} {
		if res, body := f.do(t, "POST", "/api/v1/dossiers/"+d.Code+"/actions", tt.token, act); res.StatusCode != tt.want {
			t.Errorf("act with %s = %d, want %d: %s", tt.name, res.StatusCode, tt.want, body)
		}
	}
	for _, tt := range []struct {
		name, body string
		want       int
	}{
		{"forged challenge", `{"challenge":"gia-mao","code":"` + f.code(t, "lanhdao") + `"}`, 401},
		{"wrong code", `{"challenge":"` + l.Challenge + `","code":"000000"}`, 401},
		{"no code", `{"challenge":"` + l.Challenge + `","code":""}`, 422},
	} {
		if res, body := f.do(t, "POST", "/api/v1/auth/login/second-factor", "", tt.body); res.StatusCode != tt.want {
			t.Errorf("second step with %s = %d, want %d: %s", tt.name, res.StatusCode, tt.want, body)
		}
	}
	tok := f.secondFactor(t, "lanhdao", l.Challenge)
	if res, body := f.do(t, "POST", "/api/v1/dossiers/"+d.Code+"/actions", tok, act); res.StatusCode != 200 {
		t.Fatalf("act with the code's session = %d %s", res.StatusCode, body)
	}
	if res, _ := f.do(t, "POST", "/api/v1/auth/login/second-factor", "", `{"challenge":"`+l.Challenge+`","code":"`+f.code(t, "lanhdao")+`"}`); res.StatusCode != 401 {
		t.Errorf("challenge used twice = %d, want 401", res.StatusCode)
	}
	if n := f.auditCount(t, "auth.second_factor_failed"); n < 1 {
		t.Errorf("%d auth.second_factor_failed entries", n)
	}
}

// The pages: the password, then the code's page; wrong code shown there.
// An administrator resets a factor from the account's page; the official's
// next login enrols (QR code, secret), then sees the recovery codes once.
func TestSecondFactorPages(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "lanhdao")
	if st, _ := b.get("/ho-so"); st != 200 {
		t.Fatalf("inbox after the second step = %d", st)
	}
	id := f.accountID(t, "vanthu")
	admin := f.browser(t, "quantri")
	page := fmt.Sprintf("/quan-tri/tai-khoan/%d", id)
	if st, body := admin.get(page); st != 200 || !strings.Contains(body, "Đặt lại xác thực hai lớp") || !strings.Contains(body, "Đã đăng ký") {
		t.Fatalf("account page = %d, no reset button", st)
	}
	if res, _ := admin.post(page+"/xac-thuc-hai-lop", url.Values{}); res.StatusCode != 303 {
		t.Fatalf("reset = %d", res.StatusCode)
	}
	if n := f.auditCount(t, "account.second_factor_reset"); n != 1 {
		t.Errorf("%d reset entries, want 1", n)
	}
	if _, body := admin.get(page); !strings.Contains(body, "Chưa đăng ký") {
		t.Errorf("account page after reset does not say the factor is gone")
	}

	c := f.anonymousBrowser(t)
	res, body := c.post("/dang-nhap", url.Values{"username": {"vanthu"}, "password": {"demo"}})
	secret := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(body)
	challenge := regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindStringSubmatch(body)
	if res.StatusCode != 200 || secret == nil || challenge == nil || !strings.Contains(body, "<svg") || !strings.Contains(body, "Đăng ký xác thực hai lớp") {
		t.Fatalf("login of a clerk without a factor = %d, no enrolment page", res.StatusCode)
	}
	form := url.Values{"challenge": {challenge[1]}, "secret": {secret[1]}, "code": {"000000"}}
	if res, body := c.post("/dang-nhap/dang-ky-xac-thuc", form); res.StatusCode != 401 || !strings.Contains(body, secret[1]) {
		t.Errorf("wrong first code = %d, the secret not shown again", res.StatusCode)
	}
	code, _ := totp.GenerateCode(secret[1], f.now())
	form.Set("code", code)
	res, body = c.post("/dang-nhap/dang-ky-xac-thuc", form)
	if codes := regexp.MustCompile(`<li><code>[a-z2-7]{5}-[a-z2-7]{5}</code></li>`).FindAllString(body, -1); res.StatusCode != 200 || len(codes) != 10 {
		t.Fatalf("enrolment confirmed = %d, %d recovery codes", res.StatusCode, len(codes))
	}
	if st, _ := c.get("/ho-so"); st != 200 {
		t.Errorf("inbox after enrolment = %d", st)
	}
}

// anonymousBrowser is a browser on the login page: its CSRF token, no
// session.
func (f *fixture) anonymousBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, page := b.get("/dang-nhap")
	b.csrf = regexp.MustCompile(`name="csrf" value="([0-9a-f]{32})"`).FindStringSubmatch(page)[1]
	return b
}

// walkSecondFactor calls the second factor's operations for the contract
// walk: the password's challenge and the code, the state of a factor, its
// reset, the enrolment the policy then requires, a signed-in enrolment.
// It ends vanthu's sessions: it runs last.
func walkSecondFactor(t *testing.T, f *fixture) {
	l := f.call(t, 200, "", "POST", "/api/v1/auth/login", `{"username":"lanhdao","password":"demo"}`)
	c := field[string](t, l, "challenge")
	f.call(t, 401, "", "POST", "/api/v1/auth/login/second-factor", `{"challenge":"`+c+`","code":"000000"}`)
	f.refused(t, 422, "", "POST", "/api/v1/auth/login/second-factor", `{"challenge":"`+c+`"}`)
	if tok := field[string](t, f.call(t, 200, "", "POST", "/api/v1/auth/login/second-factor", `{"challenge":"`+c+`","code":"`+f.code(t, "lanhdao")+`"}`), "token"); tok == "" {
		t.Error("no token after the second step")
	}
	id := f.accountID(t, "vanthu")
	f.call(t, 200, "quantri", "GET", fmt.Sprintf("/api/v1/accounts/%d/second-factor", id), "")
	f.call(t, 403, "chuyenvien", "GET", fmt.Sprintf("/api/v1/accounts/%d/second-factor", id), "")
	f.call(t, 403, "tiepnhan", "POST", fmt.Sprintf("/api/v1/accounts/%d/second-factor/reset", id), "")
	f.call(t, 204, "quantri", "POST", fmt.Sprintf("/api/v1/accounts/%d/second-factor/reset", id), "")
	f.call(t, 404, "quantri", "POST", "/api/v1/accounts/99999/second-factor/reset", "")
	f.mu.Lock()
	delete(f.toks, "vanthu")
	f.mu.Unlock()

	l = f.call(t, 200, "", "POST", "/api/v1/auth/login", `{"username":"vanthu","password":"demo"}`)
	if !field[bool](t, l, "enrolment_required") {
		t.Fatalf("login of a clerk without a factor: %s", l)
	}
	c = field[string](t, l, "challenge")
	f.call(t, 401, "", "POST", "/api/v1/auth/second-factor/totp", `{"challenge":"gia-mao"}`)
	en := f.call(t, 200, "", "POST", "/api/v1/auth/second-factor/totp", `{"challenge":"`+c+`"}`)
	secret := field[string](t, en, "secret")
	if u := field[string](t, en, "otpauth_url"); !strings.HasPrefix(u, "otpauth://totp/") {
		t.Errorf("otpauth_url = %q", u)
	}
	f.call(t, 401, "", "POST", "/api/v1/auth/second-factor/totp/confirm", `{"challenge":"`+c+`","code":"000000"}`)
	f.refused(t, 422, "", "POST", "/api/v1/auth/second-factor/totp/confirm", `{"challenge":"`+c+`","code":"12ab"}`)
	code, _ := totp.GenerateCode(secret, f.now())
	done := f.call(t, 200, "", "POST", "/api/v1/auth/second-factor/totp/confirm", `{"challenge":"`+c+`","code":"`+code+`"}`)
	var out struct {
		RecoveryCodes []string `json:"recovery_codes"`
		Login         struct{ Token string }
	}
	if err := json.Unmarshal(done, &out); err != nil || len(out.RecoveryCodes) != 10 || out.Login.Token == "" {
		t.Fatalf("confirm = %s", done)
	}
	// Signed in, an account with a factor cannot begin another.
	f.call(t, 409, "lanhdao", "POST", "/api/v1/auth/second-factor/totp", `{}`)
	f.call(t, 401, "", "POST", "/api/v1/auth/second-factor/totp", `{}`)
}
