package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/mailer/mailtest"
)

// TestServeNotifications: over the real binary with a real SMTP server,
// the demo citizen's submission, the specialist's supplement request and
// the result each send exactly one e-mail to the citizen's address, in
// Vietnamese, with the dossier's code, procedure, agency and link; the
// receipt in between and the return of the result tell nothing more, and
// a restart sends nothing twice.
func TestServeNotifications(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	smtp := mailtest.Start(t)
	data, addr := t.TempDir(), freeAddr(t)
	args := []string{"--data", data, "--demo", "--nats", "off", "--smtp-addr", smtp.Addr, "--smtp-from", "Một cửa <noreply@motcua.example.vn>"}
	s := startServerAt(t, addr, args...)
	const citizen = "congdan@example.vn"
	var code string
	// ours are the mails about the dossier of this test (the demo may hold
	// others of the citizen's).
	ours := func() []mailtest.Mail {
		var out []mailtest.Mail
		for _, m := range smtp.To(citizen) {
			if strings.Contains(m.Subject, code) {
				out = append(out, m)
			}
		}
		return out
	}
	mails := func(n int, subject string) mailtest.Mail {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); len(ours()) < n && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		got := ours()
		if len(got) != n || got[n-1].Subject != subject {
			t.Fatalf("mails about %s: %+v; want %d, the last %q", code, got, n, subject)
		}
		return got[n-1]
	}
	tok := s.login(t, "congdan")
	var d e2eDossier
	if st := s.call(t, "POST", "/api/v1/dossiers", tok, s.submission(t, tok, "1.001193"), &d); st != 201 {
		t.Fatalf("submit: %d", st)
	}
	code = d.Code
	first := mails(1, "Hồ sơ "+d.Code+" đã được tiếp nhận")
	for _, want := range []string{"Đăng ký khai sinh", "Cơ quan giải quyết: ", "(UTC+07:00)", s.base + "/ho-so/" + d.Code} {
		if !strings.Contains(first.Text, want) {
			t.Errorf("the first mail lacks %q:\n%s", want, first.Text)
		}
	}
	act := func(user, body string) {
		t.Helper()
		if st := s.call(t, "POST", "/api/v1/dossiers/"+d.Code+"/actions", s.login(t, user), body, &d); st != 200 {
			t.Fatalf("%s by %s: %d", body, user, st)
		}
	}
	act("tiepnhan", `{"action":"receive"}`)
	act("chuyenvien", `{"action":"request_supplement","note":"Bản sao giấy chứng sinh rõ nét"}`)
	if m := mails(2, "Hồ sơ "+d.Code+" cần bổ sung"); !strings.Contains(m.Text, "Bản sao giấy chứng sinh rõ nét") {
		t.Errorf("the supplement mail does not say what:\n%s", m.Text)
	}

	s.stop(t)
	s = startServerAt(t, addr, args...)
	act("congdan", `{"action":"supplement"}`)
	users := map[string]string{"specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu", "receiver": "tiepnhan"}
	for i := 0; d.Status != 9; i++ {
		if d.CurrentStep == nil || i > 10 {
			t.Fatalf("walk stuck at %+v", d)
		}
		act(users[d.CurrentStep.Role], `{"action":"complete_step"}`)
	}
	mails(3, "Hồ sơ "+d.Code+" đã có kết quả")
	act("tiepnhan", `{"action":"return"}`)
	time.Sleep(time.Second)
	if got := ours(); len(got) != 3 {
		t.Fatalf("%d mails about the dossier to the citizen, want 3: %+v", len(got), got)
	}
	req, _ := http.NewRequest("GET", s.base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+e2eMetricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`motcua_notifications_sent_total{channel="email",event="result"} 1`, `motcua_notifications{state="sent"} 3`, `motcua_notifications{state="pending"} 0`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
