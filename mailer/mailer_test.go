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

// TestMessageIDAndRetry: a message with an ID carries it as its
// Message-ID at every attempt; a server's temporary refusal is an error
// (the caller tries again), the next attempt goes through.
func TestMessageIDAndRetry(t *testing.T) {
	srv := mailtest.Start(t)
	m := &mailer.SMTP{Addr: srv.Addr, From: "Một cửa <noreply@motcua.example.vn>"}
	msg := mailer.Message{To: "an@example.vn", Subject: "Hồ sơ", Text: "x", ID: "notify.abc123"}
	srv.FailNext(1)
	if err := m.Send(context.Background(), msg); err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("first attempt: %v, want the server's 451", err)
	}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got, ok := srv.Wait(1)
	if !ok || got.Header.Get("Message-ID") != "<notify.abc123@motcua.example.vn>" || len(srv.To("AN@example.vn")) != 1 {
		t.Fatalf("received %+v", srv.Mails())
	}
	for _, id := range []string{"a@b", "a b", "<a>", "a\r\nBcc: x"} {
		if err := m.Send(context.Background(), mailer.Message{To: "an@example.vn", Subject: "x", ID: id}); err == nil {
			t.Errorf("sent with Message-ID %q", id)
		}
	}
}
