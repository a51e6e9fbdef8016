package notifications

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/motcua/motcua/mailer"
)

// Mail sends the e-mail channel through an SMTP server.
type Mail struct {
	SMTP *mailer.SMTP
}

// Send sends m as a text e-mail whose Message-ID is made from its key:
// a message sent twice (a process stopped before it was marked sent)
// carries the same ID.
func (ml Mail) Send(ctx context.Context, m Message) error {
	sum := sha256.Sum256([]byte(m.Key))
	return ml.SMTP.Send(ctx, mailer.Message{To: m.To, Subject: m.Subject, Text: m.Text, ID: "notify." + hex.EncodeToString(sum[:16])})
}
