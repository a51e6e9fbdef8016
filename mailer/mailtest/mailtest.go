// Package mailtest runs a real SMTP server (emersion/go-smtp) on loopback
// for the tests: what it receives is kept, parsed, for the test to read.
package mailtest

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is a message received.
type Mail struct {
	From, To      string
	Subject, Text string // decoded
	Header        mail.Header
}

// Server is the SMTP server of a test.
type Server struct {
	Addr string
	mu   sync.Mutex
	got  []Mail
	fail int // messages still to refuse (FailNext)
	more chan struct{}
}

// FailNext makes the server refuse the next n messages at the end of their
// data with "451 4.3.0" (a temporary failure: the sender tries again).
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.fail = n
	s.mu.Unlock()
}

// To are the messages received so far for the address addr.
func (s *Server) To(addr string) []Mail {
	var out []Mail
	for _, m := range s.Mails() {
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), more: make(chan struct{}, 100)}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return s
}

// Mails are the messages received so far.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.got...)
}

// Wait returns the n-th message (from 1), waiting up to 5 s; false if it
// did not come.
func (s *Server) Wait(n int) (Mail, bool) {
	deadline := time.After(5 * time.Second)
	for {
		if m := s.Mails(); len(m) >= n {
			return m[n-1], true
		}
		select {
		case <-s.more:
		case <-deadline:
			return Mail{}, false
		}
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s        *Server
	from, to string
}

func (x *session) Reset()        { x.from, x.to = "", "" }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = to
	return nil
}

func (x *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	x.s.mu.Lock()
	if x.s.fail > 0 {
		x.s.fail--
		x.s.mu.Unlock()
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later (test)"}
	}
	x.s.got = append(x.s.got, Mail{From: x.from, To: x.to, Subject: subject, Text: strings.ReplaceAll(string(text), "\r\n", "\n"), Header: msg.Header})
	x.s.mu.Unlock()
	select {
	case x.s.more <- struct{}{}:
	default:
	}
	return nil
}
