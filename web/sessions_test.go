package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var sessionEndForm = regexp.MustCompile(`action="(/tai-khoan/phien/([0-9a-f]{16})/ket-thuc)"`)

// The sessions page lists the user's sessions, the current one marked,
// and ends one with its button (CSRF checked); ending the current one
// signs out. An administrator ends every session of an account.
func TestSessionsPage(t *testing.T) {
	f := newFixture(t)
	desk := f.browser(t, "congdan")
	phone := f.browser(t, "congdan")
	token := f.token(t, "congdan")

	st, page := desk.get("/tai-khoan/phien")
	if st != http.StatusOK {
		t.Fatalf("/tai-khoan/phien = %d", st)
	}
	for _, want := range []string{"Phiên đăng nhập", "Dùng lần cuối", "(phiên này)", `href="/tai-khoan/phien"`, "Kết thúc"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	forms := sessionEndForm.FindAllStringSubmatch(page, -1)
	if len(forms) != 3 { // two browsers and the API's token
		t.Fatalf("%d sessions listed, want 3:\n%.3000s", len(forms), page)
	}
	current := currentSession(page)
	_, phonePage := phone.get("/tai-khoan/phien")
	phoneEnd := "/tai-khoan/phien/" + currentSession(phonePage) + "/ket-thuc"
	if current == "" || strings.Contains(phoneEnd, "//") || strings.Contains(phoneEnd, current) {
		t.Fatalf("the current sessions: the desk's %q, the phone's %q", current, phoneEnd)
	}

	for _, tt := range []struct {
		name   string
		b      *browser
		path   string
		form   url.Values
		status int
	}{
		{"no CSRF token", desk, phoneEnd, url.Values{"csrf": {"x"}}, http.StatusForbidden},
		{"not a session", desk, "/tai-khoan/phien/0123456789abcdef/ket-thuc", url.Values{}, http.StatusNotFound},
		{"the phone's, from the desk", desk, phoneEnd, url.Values{}, http.StatusSeeOther},
		{"again", desk, phoneEnd, url.Values{}, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if res, body := tt.b.post(tt.path, tt.form); res.StatusCode != tt.status {
				t.Errorf("POST %s = %d, want %d: %.300s", tt.path, res.StatusCode, tt.status, body)
			}
		})
	}
	if st, _ := phone.get("/ho-so"); st != http.StatusSeeOther {
		t.Errorf("the phone's ended session: /ho-so = %d, want a redirect to log in", st)
	}
	if st, page := desk.get("/tai-khoan/phien?da-ket-thuc=1"); st != http.StatusOK || len(sessionEndForm.FindAllString(page, -1)) != 2 || !strings.Contains(page, "Đã kết thúc phiên đăng nhập.") {
		t.Errorf("after ending: %d, %d sessions", st, len(sessionEndForm.FindAllString(page, -1)))
	}

	// Ending the current one signs out.
	res, _ := desk.post("/tai-khoan/phien/"+current+"/ket-thuc", url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dang-nhap" {
		t.Errorf("ending the current session = %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	if st, _ := desk.get("/tai-khoan/phien"); st != http.StatusSeeOther {
		t.Errorf("after signing out so: %d", st)
	}

	// An administrator ends all: the API token's next request is 401.
	admin := f.browser(t, "quantri")
	acct := fmt.Sprintf("/quan-tri/tai-khoan/%d", f.accountID(t, "congdan"))
	_, adminPage := admin.get(acct)
	if !strings.Contains(adminPage, "Kết thúc mọi phiên") {
		t.Fatal("the account's console page offers no end of its sessions")
	}
	res, _ = admin.post(acct+"/phien/ket-thuc", adminForm(t, adminPage, acct+"/phien/ket-thuc"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end all = %d", res.StatusCode)
	}
	if st, page := admin.get(res.Header.Get("Location")); st != http.StatusOK || !strings.Contains(page, "Đã kết thúc mọi phiên đăng nhập của tài khoản.") {
		t.Errorf("after ending all: %d", st)
	}
	if res, _ := f.do(t, "GET", "/api/v1/me", token, ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API token after ending all: %d, want 401", res.StatusCode)
	}
	_, audit := f.do(t, "GET", "/api/v1/audit?action=account.sessions_end&limit=5", f.token(t, "quantri"), "")
	if !strings.Contains(string(audit), `"sessions_revoked":1`) {
		t.Errorf("the audit entry does not count the ended sessions: %s", audit)
	}
	citizen := f.browser(t, "congdan")
	if res, _ := citizen.post(acct+"/phien/ket-thuc", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a citizen ending an account's sessions: %d, want 403", res.StatusCode)
	}
}

// currentSession is the ID of the session the sessions page marks as the
// current one ("" if none).
func currentSession(page string) string {
	for _, row := range strings.Split(page, `<tr id="phien-`)[1:] {
		row, _, _ = strings.Cut(row, "</tr>")
		if strings.Contains(row, "(phiên này)") && len(row) > 16 {
			return row[:16]
		}
	}
	return ""
}
