package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// IdentityProvider is a national sign-on (VNeID, the national public
// service portal) as the accounts use it; oidcrp.Provider is one.
type IdentityProvider interface {
	// Name is the provider's short, URL-safe name ("dvcqg").
	Name() string
	// Label is what the sign-on button says ("VNeID / Cổng DVCQG").
	Label() string
	// AuthURL is where the browser signs on, for a request of state, nonce
	// and PKCE verifier.
	AuthURL(ctx context.Context, state, nonce, verifier string) (string, error)
	// Identity exchanges the code (with the verifier) and returns the
	// identity of the verified ID token, whose nonce must be nonce. Its
	// errors say in Vietnamese what was refused.
	Identity(ctx context.Context, code, verifier, nonce string) (identity.SignOnIdentity, error)
}

// SignOnConfig configures the national sign-on.
type SignOnConfig struct {
	Providers []IdentityProvider
	// MinLevel is the assurance level from which an account is identity-
	// verified (default 2).
	MinLevel int
	// RequestTTL bounds a sign-on from its start to its return, and a link
	// waiting for its holder's password (default 10 min).
	RequestTTL time.Duration
}

// SetSignOn enables the national sign-on.
func (s *Service) SetSignOn(cfg SignOnConfig) {
	if cfg.MinLevel <= 0 {
		cfg.MinLevel = 2
	}
	if cfg.RequestTTL <= 0 {
		cfg.RequestTTL = 10 * time.Minute
	}
	s.signOn = cfg
}

// SignOutURL is where the browser ends its session at provider after a
// logout here (RP-initiated logout), coming back to postLogout; "" when
// the provider offers none or is not configured.
func (s *Service) SignOutURL(ctx context.Context, provider, postLogout string) string {
	p, err := s.provider(provider)
	if err != nil {
		return ""
	}
	lp, ok := p.(interface {
		LogoutURL(ctx context.Context, postLogout string) (string, error)
	})
	if !ok {
		return ""
	}
	u, err := lp.LogoutURL(ctx, postLogout)
	if err != nil {
		return ""
	}
	return u
}

// SignOnProvider names a configured provider for the login page.
type SignOnProvider struct{ Name, Label string }

// SignOnProviders are the configured providers, in order.
func (s *Service) SignOnProviders() []SignOnProvider {
	out := make([]SignOnProvider, len(s.signOn.Providers))
	for i, p := range s.signOn.Providers {
		out[i] = SignOnProvider{p.Name(), p.Label()}
	}
	return out
}

func (s *Service) provider(name string) (IdentityProvider, error) {
	for _, p := range s.signOn.Providers {
		if p.Name() == name {
			return p, nil
		}
	}
	return nil, errs.New(errs.NotFound, "signon.provider_unknown", "Không có cổng đăng nhập "+name+".", "no sign-on provider "+name)
}

// signOnRequest is a sign-on in flight, kept under the digest of its state.
type signOnRequest struct {
	Provider string `json:"provider"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Next     string `json:"next"`
}

// pendingLink is a sign-on whose identity matches an account with a
// password: linked only once its holder gives that password.
type pendingLink struct {
	Identity  identity.SignOnIdentity `json:"identity"`
	AccountID int64                   `json:"account_id"`
	Next      string                  `json:"next"`
	Provider  string                  `json:"provider"`
}

const (
	kindRequest = "request"
	kindLink    = "link"
)

// BeginSignOn starts a sign-on with provider: it keeps a request (state,
// nonce, PKCE verifier, where to land) and returns where the browser goes.
func (s *Service) BeginSignOn(ctx context.Context, provider, next string) (string, error) {
	p, err := s.provider(provider)
	if err != nil {
		return "", err
	}
	state, stateHash, err := identity.NewToken()
	if err != nil {
		return "", err
	}
	nonce, verifier := randomToken(), randomToken()
	data, err := json.Marshal(signOnRequest{Provider: p.Name(), Nonce: nonce, Verifier: verifier, Next: LocalPath(next)})
	if err != nil {
		return "", err
	}
	url, err := p.AuthURL(ctx, state, nonce, verifier)
	if err != nil {
		return "", err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		return tx.PutSignOnRequest(ctx, store.SignOnRequest{ID: stateHash, Kind: kindRequest, Data: data, ExpiresAt: s.Now().Add(s.signOn.RequestTTL)})
	})
	if err != nil {
		return "", fmt.Errorf("begin sign-on with %s: %w", p.Name(), err)
	}
	return url, nil
}

// SignOnResult is a completed sign-on: a session, or a link its holder
// must confirm with the password of the account it matches.
type SignOnResult struct {
	Login *Login
	// LinkToken, when set, names the pending link (LinkSignOn); Linked is
	// the account it would link to, its username partly hidden.
	LinkToken, LinkUsername string
	Next                    string // where to land (a local path)
	Provider                string // the provider signed on through
}

// CompleteSignOn finishes the sign-on of state: the provider's answer
// (code, or the error it reported) is exchanged and verified, and the
// identity signs on to its account (made on the first sign-on). Every
// refusal is audited and creates nothing.
func (s *Service) CompleteSignOn(ctx context.Context, ac identity.Actor, state, code, providerError string) (SignOnResult, error) {
	fail := func(reason string, err error) (SignOnResult, error) {
		_ = s.RecordRead(ctx, identity.Actor{IP: ac.IP, UserAgent: ac.UserAgent}, "auth.signon_failed", "signon", map[string]string{"reason": reason, "error": errs.Message(err)})
		return SignOnResult{}, err
	}
	if state == "" || len(state) > 200 {
		return fail("no state", errs.New(errs.Invalid, "signon.no_state", "Yêu cầu đăng nhập không hợp lệ (thiếu state); xin đăng nhập lại.", "sign-on without state"))
	}
	var r store.SignOnRequest
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		r, err = tx.TakeSignOnRequest(ctx, identity.HashToken(state), kindRequest, s.Now())
		return err
	})
	if err != nil {
		return fail("unknown state", err)
	}
	var req signOnRequest
	if err := json.Unmarshal(r.Data, &req); err != nil {
		return SignOnResult{}, fmt.Errorf("read sign-on request: %w", err)
	}
	p, err := s.provider(req.Provider)
	if err != nil {
		return fail("provider gone", err)
	}
	if providerError != "" {
		return fail("provider error", errs.New(errs.Unauthorized, "signon.provider_refused", "Cổng xác thực không cho đăng nhập: "+truncate(providerError, 200)+".", "the provider refused: "+providerError))
	}
	if code == "" {
		return fail("no code", errs.New(errs.Invalid, "signon.no_code", "Cổng xác thực không trả về mã đăng nhập; xin đăng nhập lại.", "no code"))
	}
	id, err := p.Identity(ctx, code, req.Verifier, req.Nonce)
	if err == nil {
		err = id.Validate()
	}
	if err != nil {
		return fail("identity refused", err)
	}
	res, err := s.signOnAs(ctx, ac, id, req.Next, p.Name())
	res.Provider = p.Name()
	if err != nil && errs.KindOf(err) != errs.Internal {
		return fail("account refused", err)
	}
	return res, err
}

// signOnAs opens a session of the identity's account: the one it is linked
// to, else the one with its key that a sign-on made (no password), else a
// new one; an account with a password and the same key waits for a link.
func (s *Service) signOnAs(ctx context.Context, ac identity.Actor, id identity.SignOnIdentity, next, provider string) (SignOnResult, error) {
	acc, err := s.Kernel.Store.AccountByIdentity(ctx, id.Issuer, id.Subject)
	linked := err == nil
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return SignOnResult{}, fmt.Errorf("sign on: %w", err)
	}
	if !linked {
		acc, err = s.Kernel.Store.AccountByKey(ctx, id.Kind(), id.Key())
		switch {
		case err == nil && acc.PasswordHash != "":
			return s.holdLink(ctx, ac, id, acc, next, provider)
		case err == nil:
		case errors.Is(err, errs.ErrNotFound):
			acc = identity.Account{ID: 0}
		default:
			return SignOnResult{}, fmt.Errorf("sign on: %w", err)
		}
	}
	if acc.Disabled {
		return SignOnResult{}, errs.New(errs.Forbidden, "signon.account_disabled", "Tài khoản đã bị khóa; xin liên hệ bộ phận một cửa.", "account disabled")
	}
	return s.openSignOn(ctx, ac, id, acc, next, "auth.signon")
}

// openSignOn opens the session of acc (ID 0: made now) updated from id, and
// links id to it.
func (s *Service) openSignOn(ctx context.Context, ac identity.Actor, id identity.SignOnIdentity, acc identity.Account, next, action string) (SignOnResult, error) {
	if err := s.signOnFactorCheck(ctx, acc); err != nil {
		return SignOnResult{}, err
	}
	now := s.Now()
	verified := id.Level >= s.signOn.MinLevel
	created := acc.ID == 0
	details := map[string]any{"issuer": id.Issuer, "level": id.Level, "verified": verified, "created": created}
	l, err := s.openSession(ctx, ac, acc, action, details, func(tx store.Tx, a *identity.Account) error {
		if created {
			*a = identity.Account{Username: signOnUsername(id), DisplayName: id.Name, Kind: id.Kind(), CitizenID: id.CitizenID, TaxCode: id.TaxCode,
				TechID: id.TechID, Email: id.Email, Phone: id.Phone, CreatedAt: now}
		}
		a.IdentityVerified, a.VNeID = verified, verified
		if id.TechID != "" {
			a.TechID = id.TechID
		}
		if a.Email == "" {
			a.Email = id.Email
		}
		if a.Phone == "" {
			a.Phone = id.Phone
		}
		if err := a.Validate(); err != nil {
			return err
		}
		if created {
			if err := tx.CreateAccount(ctx, a); err != nil {
				return err
			}
			if err := s.Record(ctx, tx, identity.Actor{IP: ac.IP, UserAgent: ac.UserAgent, Account: a}, "account.created_by_signon",
				fmt.Sprintf("account:%d", a.ID), map[string]any{"issuer": id.Issuer, "kind": a.Kind}); err != nil {
				return err
			}
		} else if err := tx.UpdateAccount(ctx, *a); err != nil {
			return err
		}
		return tx.LinkIdentity(ctx, id.Issuer, id.Subject, a.ID, id.Level, now)
	})
	if err != nil {
		return SignOnResult{}, fmt.Errorf("sign on: %w", err)
	}
	s.sessions.Clear() // the account may have changed (verified or not)
	return SignOnResult{Login: &l, Next: next}, nil
}

// holdLink keeps the sign-on until the holder of acc confirms the link
// with its password.
func (s *Service) holdLink(ctx context.Context, ac identity.Actor, id identity.SignOnIdentity, acc identity.Account, next, provider string) (SignOnResult, error) {
	token, tokenHash, err := identity.NewToken()
	if err != nil {
		return SignOnResult{}, err
	}
	data, err := json.Marshal(pendingLink{Identity: id, AccountID: acc.ID, Next: next, Provider: provider})
	if err != nil {
		return SignOnResult{}, err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutSignOnRequest(ctx, store.SignOnRequest{ID: tokenHash, Kind: kindLink, Data: data, ExpiresAt: s.Now().Add(s.signOn.RequestTTL)}); err != nil {
			return err
		}
		return s.Record(ctx, tx, identity.Actor{IP: ac.IP, UserAgent: ac.UserAgent}, "auth.signon_link_required", fmt.Sprintf("account:%d", acc.ID),
			map[string]any{"issuer": id.Issuer, "level": id.Level})
	})
	if err != nil {
		return SignOnResult{}, fmt.Errorf("hold sign-on link: %w", err)
	}
	return SignOnResult{LinkToken: token, LinkUsername: hideUsername(acc.Username), Next: next}, nil
}

// LinkSignOn links the pending sign-on of token to its account once the
// account's password is given, and opens the session. A wrong password
// keeps the link waiting (throttled like a login).
func (s *Service) LinkSignOn(ctx context.Context, ac identity.Actor, token, password string) (SignOnResult, error) {
	var r store.SignOnRequest
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		r, err = tx.TakeSignOnRequest(ctx, identity.HashToken(token), kindLink, s.Now())
		return err
	})
	if err != nil {
		return SignOnResult{}, err
	}
	var p pendingLink
	if err := json.Unmarshal(r.Data, &p); err != nil {
		return SignOnResult{}, fmt.Errorf("read pending link: %w", err)
	}
	acc, err := s.db.Account(ctx, p.AccountID)
	if err != nil {
		return SignOnResult{}, fmt.Errorf("link sign-on: %w", err)
	}
	err = s.inCheckSlot(ctx, func() error {
		if wait := s.throttle.wait(ctx, acc.Username, ac.IP); wait > 0 {
			return &RetryError{Err: throttled(wait), After: wait}
		}
		if acc.Disabled || !s.checkPassword(acc.PasswordHash, password) {
			s.throttle.fail(ctx, acc.Username, ac.IP)
			return errs.New(errs.Unauthorized, "signon.link_password", "Mật khẩu không đúng; tài khoản chưa được liên kết.", "wrong password: not linked")
		}
		s.throttle.succeed(ctx, acc.Username, ac.IP)
		return nil
	})
	if err != nil {
		// The link waits again for the right password, until it expires.
		_ = s.Store.Update(context.WithoutCancel(ctx), func(tx store.Tx) error {
			if err := tx.PutSignOnRequest(ctx, r); err != nil {
				return err
			}
			return s.Record(ctx, tx, identity.Actor{IP: ac.IP, UserAgent: ac.UserAgent}, "auth.signon_link_failed", fmt.Sprintf("account:%d", acc.ID), nil)
		})
		return SignOnResult{}, err
	}
	res, err := s.openSignOn(ctx, ac, p.Identity, acc, p.Next, "account.identity_linked")
	res.Provider = p.Provider
	return res, err
}

// randomToken is identity.NewToken's token alone (a nonce, a PKCE verifier
// of 43 URL-safe characters); crypto/rand does not fail.
func randomToken() string {
	t, _, _ := identity.NewToken()
	return t
}

var usernameUnsafe = regexp.MustCompile(`[^a-z0-9._-]+`)

// signOnUsername is the username of an account a sign-on makes:
// vneid.<citizen ID>, dn.<tax code>, tc.<TechID>.
func signOnUsername(id identity.SignOnIdentity) string {
	var u string
	switch id.Kind() {
	case identity.KindEnterprise:
		u = "dn." + id.TaxCode
	case identity.KindOrganization:
		u = "tc." + usernameUnsafe.ReplaceAllString(strings.ToLower(id.TechID), "-")
	default:
		u = "vneid." + id.CitizenID
	}
	return truncate(u, 64)
}

// hideUsername shows the first two characters of a username.
func hideUsername(u string) string {
	r := []rune(u)
	if len(r) <= 2 {
		return u
	}
	return string(r[:2]) + strings.Repeat("•", min(len(r)-2, 8))
}

// LocalPath is next if it is a path on this site ("/…", not "//…"), else
// "/": a sign-on lands only here.
func LocalPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") || len(next) > 1000 {
		return "/"
	}
	return next
}
