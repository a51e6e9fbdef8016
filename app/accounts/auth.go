package accounts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// Login is the result of a successful login.
type Login struct {
	Token     string           `json:"token"`
	ExpiresAt time.Time        `json:"expires_at"`
	Account   identity.Account `json:"account"`
}

var errBadLogin = errs.New(errs.Unauthorized, "auth.bad_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.", "wrong username or password")

// Login checks a username and password and opens a session. Failed
// attempts are limited per username (LoginBurst, then one per LoginEvery)
// and per client address (four times as many, for counters behind one
// address); failures are audited.
func (a *Service) Login(ctx context.Context, ac app.Actor, username, password string) (Login, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	userKey := "user:" + username
	if wait := max(a.users.wait(userKey), a.addrs.wait(ac.IP)); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		e := errs.New(errs.RateLimited, "auth.rate_limited", fmt.Sprintf("Bạn đã thử đăng nhập quá nhiều lần. Vui lòng thử lại sau %d giây.", secs), "too many login attempts")
		return Login{}, &RetryError{Err: e, After: wait}
	}
	acc, err := a.Store.AccountByUsername(ctx, username)
	if errors.Is(err, errs.ErrNotFound) {
		identity.CheckDummy(password)
		a.users.fail(userKey)
		a.addrs.fail(ac.IP)
		_ = a.RecordRead(ctx, ac, "auth.login_failed", "username:"+username, map[string]string{"reason": "unknown user"})
		return Login{}, errBadLogin
	}
	if err != nil {
		return Login{}, fmt.Errorf("login %s: %w", username, err)
	}
	if !identity.CheckPassword(acc.PasswordHash, password) || acc.Disabled {
		a.users.fail(userKey)
		a.addrs.fail(ac.IP)
		reason := "wrong password"
		if acc.Disabled {
			reason = "account disabled"
		}
		_ = a.RecordRead(ctx, app.Actor{IP: ac.IP, UserAgent: ac.UserAgent}, "auth.login_failed", fmt.Sprintf("account:%d", acc.ID), map[string]string{"reason": reason})
		return Login{}, errBadLogin
	}
	a.users.reset(userKey)
	token, hash, err := identity.NewToken()
	if err != nil {
		return Login{}, err
	}
	now := a.Now()
	s := identity.Session{TokenHash: hash, AccountID: acc.ID, CreatedAt: now, ExpiresAt: now.Add(a.ttl), IP: ac.IP, UserAgent: truncate(ac.UserAgent, 256)}
	ac.Account = &acc
	err = a.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteExpiredSessions(ctx, now); err != nil {
			return err
		}
		if err := tx.CreateSession(ctx, s); err != nil {
			return err
		}
		return a.Record(ctx, tx, ac, "auth.login", fmt.Sprintf("account:%d", acc.ID), nil)
	})
	if err != nil {
		return Login{}, fmt.Errorf("login %s: %w", username, err)
	}
	return Login{Token: token, ExpiresAt: s.ExpiresAt, Account: acc}, nil
}

// RetryError is an error the caller may retry after a while.
type RetryError struct {
	Err   *errs.Error
	After time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }

// Unwrap returns the typed error.
func (e *RetryError) Unwrap() error { return e.Err }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

var errBadToken = errs.New(errs.Unauthorized, "auth.invalid_token", "Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.", "invalid or expired token")

// sessionMemo is how long an authenticated token is remembered: a logout or
// an account change through this node takes effect at once, through
// another node within this time.
const sessionMemo = 5 * time.Second

// authenticated is a token's session and account as last read.
type authenticated struct {
	account identity.Account
	expires time.Time
}

// Authenticate returns the account of a bearer token.
func (a *Service) Authenticate(ctx context.Context, token string) (*identity.Account, error) {
	if token == "" || len(token) > 200 {
		return nil, errBadToken
	}
	hash := identity.HashToken(token)
	au, err := a.sessions.Get(hash, a.Now(), func() (authenticated, error) { return a.authenticate(ctx, hash) })
	if err != nil {
		return nil, err
	}
	if !a.Now().Before(au.expires) {
		return nil, errBadToken
	}
	acc := au.account
	acc.Grants = append([]identity.Grant(nil), au.account.Grants...)
	return &acc, nil
}

func (a *Service) authenticate(ctx context.Context, hash string) (authenticated, error) {
	s, err := a.Store.Session(ctx, hash)
	if errors.Is(err, errs.ErrNotFound) {
		return authenticated{}, errBadToken
	}
	if err != nil {
		return authenticated{}, fmt.Errorf("authenticate: %w", err)
	}
	if !a.Now().Before(s.ExpiresAt) {
		return authenticated{}, errBadToken
	}
	acc, err := a.Store.Account(ctx, s.AccountID)
	if errors.Is(err, errs.ErrNotFound) {
		return authenticated{}, errBadToken
	}
	if err != nil {
		return authenticated{}, fmt.Errorf("authenticate: %w", err)
	}
	if acc.Disabled {
		return authenticated{}, errBadToken
	}
	return authenticated{account: acc, expires: s.ExpiresAt}, nil
}

// Logout closes the session of token.
func (a *Service) Logout(ctx context.Context, ac app.Actor, token string) error {
	if ac.Account == nil {
		return errBadToken
	}
	defer a.sessions.Clear()
	return a.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteSession(ctx, identity.HashToken(token)); err != nil {
			return err
		}
		return a.Record(ctx, tx, ac, "auth.logout", fmt.Sprintf("account:%d", ac.Account.ID), nil)
	})
}

// Me returns the actor's own account; the read of personal data is audited.
func (a *Service) Me(ctx context.Context, ac app.Actor) (identity.Account, error) {
	if ac.Account == nil {
		return identity.Account{}, errBadToken
	}
	if err := a.RecordRead(ctx, ac, "account.read_self", fmt.Sprintf("account:%d", ac.Account.ID), nil); err != nil {
		return identity.Account{}, err
	}
	return *ac.Account, nil
}
