package notifications_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/notifications"
	"github.com/motcua/motcua/notify"
)

// The demo's SMS provider logs the message with the number masked.
func TestLogSender(t *testing.T) {
	var b bytes.Buffer
	l := notifications.LogSender{Channel: notify.Zalo, Log: slog.New(slog.NewTextHandler(&b, nil))}
	if err := l.Send(context.Background(), notifications.Message{Key: "K/received/zalo", To: "0912345678", Text: "Ho so K da duoc tiep nhan"}); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{"channel=zalo", "to=******5678", "key=K/received/zalo", `text="Ho so K da duoc tiep nhan"`} {
		if !strings.Contains(got, want) {
			t.Errorf("log %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "0912345678") {
		t.Errorf("the number in full: %s", got)
	}
}
