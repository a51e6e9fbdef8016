package accounts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// Login is the result of a successful login: a session's token, or, when
// the password was right and a second step is pending, a challenge (no
// token) and which step: the code of the account's factor
// (SecondFactorRequired, LoginSecondFactor) or the enrolment of one the
// policy requires (EnrolmentRequired, BeginTOTP and ConfirmTOTP).
type Login struct {
	Token                string           `json:"token,omitempty"`
	ExpiresAt            time.Time        `json:"expires_at"` // of the session, or of the challenge
	Account              identity.Account `json:"account"`
	Challenge            string           `json:"challenge,omitempty"`
	SecondFactorRequired bool             `json:"second_factor_required,omitempty"`
	EnrolmentRequired    bool             `json:"enrolment_required,omitempty"`
}

var errBadLogin = errs.New(errs.Unauthorized, "auth.bad_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.", "wrong username or password")

// Login checks a username and password and opens a session. Failed
// attempts are throttled per username and client address with a back-off,
// per address and per username more loosely (see throttle), so that a
// guesser is slowed down and the owner elsewhere is not; a throttled
// attempt is a RateLimited RetryError. Failures are audited.
func (s *Service) Login(ctx context.Context, ac identity.Actor, username, password string) (Login, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	var acc identity.Account
	var failed func() // audits the failure, once out of the slot
	err := s.inCheckSlot(ctx, func() error {
		if wait := s.throttle.wait(ctx, username, ac.IP); wait > 0 {
			return &RetryError{Err: throttled(wait), After: wait}
		}
		var err error
		acc, err = s.db.AccountByUsername(ctx, username)
		if errors.Is(err, errs.ErrNotFound) {
			s.checkDummy(password)
			s.throttle.fail(ctx, username, ac.IP)
			failed = func() {
				_ = s.RecordRead(ctx, ac, "auth.login_failed", "username:"+username, map[string]string{"reason": "unknown user"})
			}
			return errBadLogin
		}
		if err != nil {
			return fmt.Errorf("login %s: %w", username, err)
		}
		if !s.checkPassword(acc.PasswordHash, password) || acc.Disabled {
			s.throttle.fail(ctx, username, ac.IP)
			reason := "wrong password"
			if acc.Disabled {
				reason = "account disabled"
			}
			failed = func() {
				_ = s.RecordRead(ctx, identity.Actor{IP: ac.IP, UserAgent: ac.UserAgent}, "auth.login_failed", fmt.Sprintf("account:%d", acc.ID), map[string]string{"reason": reason})
			}
			return errBadLogin
		}
		s.throttle.succeed(ctx, username, ac.IP)
		return nil
	})
	if failed != nil {
		failed()
	}
	if err != nil {
		return Login{}, err
	}
	if err := s.localPasswordAllowed(acc); err != nil {
		return Login{}, err
	}
	f, err := s.db.Factor(ctx, acc.ID)
	switch {
	case err == nil && f.Confirmed():
		return s.challenge(ctx, ac, acc, identity.ChallengeSecondFactor)
	case err != nil && !errors.Is(err, errs.ErrNotFound):
		return Login{}, fmt.Errorf("login %s: %w", username, err)
	case s.RequiresSecondFactor(acc):
		return s.challenge(ctx, ac, acc, identity.ChallengeEnrol)
	}
	l, err := s.openSession(ctx, ac, acc, "auth.login", nil, nil)
	if err != nil {
		return Login{}, fmt.Errorf("login %s: %w", username, err)
	}
	return l, nil
}

// openSession opens a session of acc for ac, in one transaction with the
// audit entry action (details as given) and with also (nil: nothing else),
// which may change the account first (a sign-on's account created or
// updated from its claims).
func (s *Service) openSession(ctx context.Context, ac identity.Actor, acc identity.Account, action string, details any, also func(tx store.Tx, acc *identity.Account) error) (Login, error) {
	token, hash, err := identity.NewToken()
	if err != nil {
		return Login{}, err
	}
	now := s.Now()
	sess := identity.Session{TokenHash: hash, AccountID: acc.ID, CreatedAt: now, ExpiresAt: now.Add(s.ttl), IP: ac.IP, UserAgent: truncate(ac.UserAgent, 256)}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if also != nil {
			if err := also(tx, &acc); err != nil {
				return err
			}
			sess.AccountID = acc.ID
		}
		ac.Account = &acc
		if _, err := tx.DeleteExpiredSessions(ctx, now); err != nil {
			return err
		}
		if err := tx.CreateSession(ctx, sess); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, action, fmt.Sprintf("account:%d", acc.ID), details)
	})
	if err != nil {
		return Login{}, err
	}
	return Login{Token: token, ExpiresAt: sess.ExpiresAt, Account: acc}, nil
}

// throttled is the error of a login that must wait: when to retry, in
// seconds or minutes.
func throttled(wait time.Duration) *errs.Error {
	secs := int(math.Ceil(wait.Seconds()))
	when := fmt.Sprintf("%d giây", secs)
	en := fmt.Sprintf("%d s", secs)
	if secs > 90 {
		mins := (secs + 59) / 60
		when, en = fmt.Sprintf("%d phút", mins), fmt.Sprintf("%d min", mins)
	}
	return errs.New(errs.RateLimited, "auth.rate_limited", "Bạn đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau "+when+".", "too many failed logins: retry in "+en)
}

// inCheckSlot runs f in one of the password-check slots, waiting for one
// (or for ctx). A password check (argon2id) takes 19 MiB and tens of
// milliseconds of CPU, and anyone may ask for one: unbounded, 32 clients
// posting logins for nobody held 190 MiB of the server's heap at once
// (motcua-bench storm), and more clients would take more. The throttle's
// look and its count of the failure happen in the same slot, so that no
// more than the slots pass the look between two counts.
func (s *Service) inCheckSlot(ctx context.Context, f func() error) error {
	select {
	case s.checkSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.checkSlots }()
	return f()
}

// RetryError is an error the caller may retry after a while.
type RetryError struct {
	Err   *errs.Error
	After time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }

// Unwrap returns the typed error.
func (e *RetryError) Unwrap() error { return e.Err }

// truncate cuts s to at most n characters (never inside one).
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

var errBadToken = errs.New(errs.Unauthorized, "auth.invalid_token", "Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.", "invalid or expired token")

// sessionMemo is how long an authenticated token is remembered: a logout or
// an account change through this node takes effect at once, through
// another node within this time.
const sessionMemo = 5 * time.Second

// authenticated is a token's session and account as last read.
type authenticated struct {
	account  identity.Account
	expires  time.Time
	lastUsed time.Time // as read (see keepAlive)
}

// Authenticate returns the account of a bearer token.
func (s *Service) Authenticate(ctx context.Context, token string) (*identity.Account, error) {
	if token == "" || len(token) > 200 {
		return nil, errBadToken
	}
	hash := identity.HashToken(token)
	au, err := s.sessions.Get(hash, s.Now(), func() (authenticated, error) { return s.authenticate(ctx, hash) })
	if err != nil {
		return nil, err
	}
	if au, err = s.keepAlive(ctx, hash, au); err != nil {
		return nil, err
	}
	if !s.Now().Before(au.expires) {
		return nil, errBadToken
	}
	acc := au.account
	acc.Grants = append([]identity.Grant(nil), au.account.Grants...)
	return &acc, nil
}

func (s *Service) authenticate(ctx context.Context, hash string) (authenticated, error) {
	sess, err := s.db.Session(ctx, hash)
	if errors.Is(err, errs.ErrNotFound) {
		return authenticated{}, errBadToken
	}
	if err != nil {
		return authenticated{}, fmt.Errorf("authenticate: %w", err)
	}
	if err := s.live(ctx, sess); err != nil {
		return authenticated{}, err
	}
	acc, err := s.db.Account(ctx, sess.AccountID)
	if errors.Is(err, errs.ErrNotFound) {
		return authenticated{}, errBadToken
	}
	if err != nil {
		return authenticated{}, fmt.Errorf("authenticate: %w", err)
	}
	if acc.Disabled {
		return authenticated{}, errBadToken
	}
	return authenticated{account: acc, expires: s.ends(sess), lastUsed: sess.LastUsedAt}, nil
}

// Logout closes the session of token.
func (s *Service) Logout(ctx context.Context, ac identity.Actor, token string) error {
	if ac.Account == nil {
		return errBadToken
	}
	defer s.sessions.Clear()
	return s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteSession(ctx, identity.HashToken(token)); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "auth.logout", fmt.Sprintf("account:%d", ac.Account.ID), nil)
	})
}

// Me returns the actor's own account; the read of personal data is audited.
func (s *Service) Me(ctx context.Context, ac identity.Actor) (identity.Account, error) {
	if ac.Account == nil {
		return identity.Account{}, errBadToken
	}
	if err := s.RecordRead(ctx, ac, "account.read_self", fmt.Sprintf("account:%d", ac.Account.ID), nil); err != nil {
		return identity.Account{}, err
	}
	return *ac.Account, nil
}
