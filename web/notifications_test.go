package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/notifications"
	"github.com/motcua/motcua/notify"
)

type nopSender struct{}

func (nopSender) Send(context.Context, notifications.Message) error { return nil }

// The notifications page: an applicant sees the channels offered with
// their addresses, e-mail chosen by default, and saves a choice (CSRF
// checked); a channel without an address or not offered is refused with
// the reason; officials are not offered the page in the menu.
func TestNotificationsPage(t *testing.T) {
	f := newFixture(t)
	cfg := f.cfg
	cfg.Notifications = notifications.Config{Senders: map[notify.Channel]notifications.Sender{notify.Email: nopSender{}, notify.SMS: nopSender{}}}
	f.rebuild(t, cfg)
	cit := f.browser(t, "congdan")
	st, page := cit.get("/tai-khoan/thong-bao")
	if st != http.StatusOK {
		t.Fatalf("GET = %d", st)
	}
	for _, want := range []string{`href="/tai-khoan/thong-bao"`, `value="email" checked`, "congdan@example.vn", "Tin nhắn SMS (0912345678)", `value="vi" checked`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, `value="zalo"`) {
		t.Error("Zalo offered without a sender")
	}
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"no CSRF token", url.Values{"csrf": {"x"}, "channel": {"sms"}}, http.StatusForbidden, ""},
		{"not offered", url.Values{"channel": {"zalo"}}, http.StatusUnprocessableEntity, "Cách nhận thông báo không hợp lệ."},
		{"unknown", url.Values{"channel": {"fax"}}, http.StatusUnprocessableEntity, "Cách nhận thông báo không hợp lệ."},
		{"SMS and e-mail in English", url.Values{"channel": {"sms", "email"}, "lang": {"en"}}, http.StatusSeeOther, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := cit.post("/tai-khoan/thong-bao", tt.form)
			if res.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("POST = %d, want %d with %q: %.400s", res.StatusCode, tt.status, tt.want, body)
			}
		})
	}
	if _, page := cit.get("/tai-khoan/thong-bao?da-luu=1"); !strings.Contains(page, "Đã lưu cách nhận thông báo.") ||
		!strings.Contains(page, `value="email" checked`) || !strings.Contains(page, `value="sms" checked`) || !strings.Contains(page, `value="en" lang="en" checked`) {
		t.Errorf("after saving:\n%.3000s", page)
	}
	// The dossier page lists what was queued for the applicant.
	st, d, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	for _, user := range []string{"congdan", "tiepnhan"} {
		_, page := f.browser(t, user).get("/ho-so/" + d.Code)
		for _, want := range []string{"Thông báo đã gửi cho người nộp", "tiếp nhận hồ sơ — Thư điện tử (congdan@example.vn): đang chờ gửi", "tiếp nhận hồ sơ — Tin nhắn SMS (0912345678): đang chờ gửi"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the dossier page lacks %q", user, want)
			}
		}
	}
	other := f.browser(t, "congdan2") // no e-mail address
	if _, page := other.get("/tai-khoan/thong-bao"); !strings.Contains(page, `value="email" disabled`) {
		t.Errorf("e-mail offered without an address")
	}
	if res, body := other.post("/tai-khoan/thong-bao", url.Values{"channel": {"email"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "chưa có địa chỉ thư điện tử") {
		t.Errorf("e-mail without an address: %d", res.StatusCode)
	}
	if _, page := f.browser(t, "chuyenvien").get("/ho-so"); strings.Contains(page, `href="/tai-khoan/thong-bao"`) {
		t.Error("an official is offered the page")
	}
	res, err := http.Get(f.srv.URL + "/tai-khoan/thong-bao")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/dang-nhap" {
		t.Errorf("anonymous: ended at %s", res.Request.URL)
	}
}
