// Package auth is the one way the HTTP edge learns who sends a request: a
// bearer token or the session cookie, checked by the accounts use cases,
// becomes the identity.Actor the use cases see (with the client's address and
// browser for the audit). The API and the pages both ask here.
package auth

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// SessionCookie is the name of the web session cookie.
const SessionCookie = "motcua_session"

// Accounts checks a session token (accounts.Service).
type Accounts interface {
	Authenticate(ctx context.Context, token string) (*identity.Account, error)
}

// Caller is who sent a request.
type Caller struct {
	Actor identity.Actor // Account nil: anonymous
	Token string         // the session token presented ("" if none)
	// Cookie: the token came from the session cookie, which a browser
	// sends on its own (cross-site too): a caller that changes state with
	// it must have checked a CSRF token.
	Cookie bool
}

// Header is what auth reads of a request: its headers and the peer's
// address (an *http.Request and a huma.Context both give them).
type Header interface {
	Header(name string) string
	RemoteAddr() string
}

// Request adapts an *http.Request.
func Request(r *http.Request) Header { return request{r} }

type request struct{ r *http.Request }

func (q request) Header(name string) string { return q.r.Header.Get(name) }
func (q request) RemoteAddr() string        { return q.r.RemoteAddr }

var errBadHeader = errs.New(errs.Unauthorized, "auth.bad_header", "Tiêu đề Authorization phải có dạng 'Bearer <token>'.", "Authorization must be 'Bearer <token>'")

// Identify reads the bearer token, else the session cookie, and
// authenticates it. A request without either is anonymous (no error); a
// token that is wrong or expired is an Unauthorized error, with the Caller
// still filled in (anonymous) for public pages and operations.
func Identify(ctx context.Context, accounts Accounts, h Header) (Caller, error) {
	c := Caller{Actor: identity.Actor{IP: ClientIP(h.RemoteAddr()), UserAgent: h.Header("User-Agent")}}
	if v := h.Header("Authorization"); v != "" {
		t, ok := strings.CutPrefix(v, "Bearer ")
		if !ok {
			return c, errBadHeader
		}
		c.Token = strings.TrimSpace(t)
	} else if v := h.Header("Cookie"); v != "" {
		if cs, err := http.ParseCookie(v); err == nil {
			for _, ck := range cs {
				if ck.Name == SessionCookie {
					c.Token, c.Cookie = ck.Value, true
				}
			}
		}
	}
	if c.Token == "" {
		return c, nil
	}
	acc, err := accounts.Authenticate(ctx, c.Token)
	if err != nil {
		return c, err
	}
	c.Actor.Account = acc
	return c, nil
}

// ClientIP is the host part of a peer address.
func ClientIP(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}
