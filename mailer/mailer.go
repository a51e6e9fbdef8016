// Package mailer sends the platform's e-mail (a password reset) through an
// SMTP server: net/smtp, STARTTLS whenever the server offers it, PLAIN
// authentication when credentials are configured, a text/plain UTF-8
// message in quoted-printable with its subject encoded (RFC 2047), dated
// in Vietnam time.
package mailer

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
)

// Message is one e-mail.
type Message struct {
	To      string // one address
	Subject string
	Text    string
	// ID is the left part of the Message-ID (before "@" and the sender's
	// domain), the same for every copy of one message; "" for a random one.
	ID string
}

// SMTP is an SMTP server to send through.
type SMTP struct {
	Addr               string // host:port
	From               string // the sender's address ("Một cửa tỉnh <noreply@…>")
	Username, Password string // empty: no authentication
	Timeout            time.Duration
	// Now dates the messages (default time.Now).
	Now func() time.Time
}

// Send delivers msg.
func (m *SMTP) Send(ctx context.Context, msg Message) error {
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return fmt.Errorf("send mail: recipient %q: %w", msg.To, err)
	}
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return fmt.Errorf("send mail: sender %q: %w", m.From, err)
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	body, err := Compose(from, to, msg, now())
	if err != nil {
		return err
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d)
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("send mail: %w", err)
	}
	defer c.Close()
	if err := c.Hello("motcua"); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("send mail: STARTTLS: %w", err)
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, host)); err != nil {
			return fmt.Errorf("send mail: authentication: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("send mail to %s: %w", to.Address, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	return c.Quit()
}

// Compose is the message as sent: headers and a quoted-printable body,
// lines ended by CRLF.
func Compose(from, to *mail.Address, msg Message, now time.Time) ([]byte, error) {
	if strings.ContainsAny(msg.Subject, "\r\n") {
		return nil, errors.New("compose mail: a line break in the subject")
	}
	id := msg.ID
	if id == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	} else if strings.ContainsAny(id, "<>@ \r\n") {
		return nil, errors.New("compose mail: a Message-ID with <, >, @, a space or a line break")
	}
	domain := "motcua"
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 {
		domain = from.Address[at+1:]
	}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	header("Date", now.In(calendar.VN).Format(time.RFC1123Z))
	header("Message-ID", "<"+id+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="utf-8"`)
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	text := strings.ReplaceAll(strings.ReplaceAll(msg.Text, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
