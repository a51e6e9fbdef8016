package mailer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/mailer"
	"github.com/motcua/motcua/mailer/mailtest"
)

// TestSend: a Vietnamese message reaches a real SMTP server whole: its
// subject decoded, its body, its date in Vietnam time.
func TestSend(t *testing.T) {
	srv := mailtest.Start(t)
	m := &mailer.SMTP{Addr: srv.Addr, From: "Một cửa Hà Nội <noreply@motcua.example.vn>",
		Now: func() time.Time { return time.Date(2026, 12, 3, 1, 2, 3, 0, time.UTC) }}
	text := "Kính gửi Nguyễn Văn An,\n\nĐặt lại mật khẩu: https://dichvucong.example.vn/dat-lai-mat-khau?token=abc\n" + strings.Repeat("dòng dài ", 20)
	if err := m.Send(context.Background(), mailer.Message{To: "an@example.vn", Subject: "Đặt lại mật khẩu — Một cửa", Text: text}); err != nil {
		t.Fatal(err)
	}
	got, ok := srv.Wait(1)
	if !ok {
		t.Fatal("no mail received")
	}
	if got.To != "an@example.vn" || got.From != "noreply@motcua.example.vn" || got.Subject != "Đặt lại mật khẩu — Một cửa" ||
		strings.TrimRight(got.Text, "\n") != text || got.Header.Get("Date") != "Thu, 03 Dec 2026 08:02:03 +0700" {
		t.Errorf("received %+v (date %s)", got, got.Header.Get("Date"))
	}
	for _, bad := range []mailer.Message{{To: "not an address", Subject: "x"}, {To: "a@example.vn", Subject: "x\r\nBcc: b@example.vn"}} {
		if err := m.Send(context.Background(), bad); err == nil {
			t.Errorf("sent %+v", bad)
		}
	}
	if err := (&mailer.SMTP{Addr: "127.0.0.1:1", From: "a@example.vn", Timeout: time.Second}).Send(context.Background(), mailer.Message{To: "b@example.vn"}); err == nil {
		t.Error("sent to no server")
	}
}
