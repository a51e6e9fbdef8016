package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// DefaultSecondFactorRoles are the roles whose holders must have a second
// factor unless configured otherwise: those who approve, sign and stamp,
// and those who manage accounts.
var DefaultSecondFactorRoles = []identity.Role{identity.RoleLeader, identity.RoleClerk, identity.RoleAdmin}

// Challenge lifetimes: the code is at hand when the password is typed; an
// enrolment needs time to install an authenticator app.
const (
	challengeTTL      = 5 * time.Minute
	enrolChallengeTTL = 15 * time.Minute
	// totpPeriod is the TOTP time step (RFC 6238's default, what every
	// authenticator app uses).
	totpPeriod    = 30
	recoveryCodes = 10
)

var (
	errBadChallenge = errs.New(errs.Unauthorized, "auth.invalid_challenge", "Phiên xác thực không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.", "invalid or expired login challenge")
	errBadCode      = errs.New(errs.Unauthorized, "auth.bad_code", "Mã xác thực không đúng hoặc đã được dùng.", "wrong or already used code")
	errEnrolled     = errs.New(errs.Conflict, "auth.factor_enrolled", "Tài khoản đã có xác thực hai lớp; quản trị viên cần đặt lại trước khi đăng ký lại.", "a second factor is already enrolled: an administrator must reset it first")
	errNotEnrolling = errs.New(errs.Conflict, "auth.factor_not_begun", "Chưa bắt đầu đăng ký xác thực hai lớp.", "no enrolment begun")
)

// RequiresSecondFactor reports whether the policy requires acc to have a
// second factor (it holds one of the configured roles).
func (s *Service) RequiresSecondFactor(acc identity.Account) bool {
	for _, g := range acc.Grants {
		if slices.Contains(s.factorRoles, g.Role) {
			return true
		}
	}
	return false
}

// challenge opens a pending login of acc (the password was right) for
// purpose, audited; the caller gets its token once.
func (s *Service) challenge(ctx context.Context, ac identity.Actor, acc identity.Account, purpose string) (Login, error) {
	token, hash, err := identity.NewToken()
	if err != nil {
		return Login{}, err
	}
	now := s.Now()
	ttl := challengeTTL
	if purpose == identity.ChallengeEnrol {
		ttl = enrolChallengeTTL
	}
	c := identity.Challenge{TokenHash: hash, AccountID: acc.ID, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteExpiredChallenges(ctx, now); err != nil {
			return err
		}
		if err := tx.CreateChallenge(ctx, c); err != nil {
			return err
		}
		ac.Account = &acc
		return s.Record(ctx, tx, ac, "auth.password_ok", fmt.Sprintf("account:%d", acc.ID), map[string]string{"next": purpose})
	})
	if err != nil {
		return Login{}, fmt.Errorf("login %s: %w", acc.Username, err)
	}
	return Login{Challenge: token, ExpiresAt: c.ExpiresAt, Account: acc,
		SecondFactorRequired: purpose == identity.ChallengeSecondFactor, EnrolmentRequired: purpose == identity.ChallengeEnrol}, nil
}

// pending returns the live challenge of token and its account, if its
// purpose is purpose.
func (s *Service) pending(ctx context.Context, token, purpose string) (identity.Challenge, identity.Account, error) {
	if token == "" || len(token) > 200 {
		return identity.Challenge{}, identity.Account{}, errBadChallenge
	}
	c, err := s.db.Challenge(ctx, identity.HashToken(token))
	if errors.Is(err, errs.ErrNotFound) || err == nil && (c.Purpose != purpose || !s.Now().Before(c.ExpiresAt)) {
		return c, identity.Account{}, errBadChallenge
	}
	if err != nil {
		return c, identity.Account{}, fmt.Errorf("login challenge: %w", err)
	}
	acc, err := s.db.Account(ctx, c.AccountID)
	if errors.Is(err, errs.ErrNotFound) || err == nil && acc.Disabled {
		return c, acc, errBadChallenge
	}
	return c, acc, err
}

// checkCode checks code for acc, throttled as passwords are (its own
// counters, so that a right password does not reset the code's). It
// returns what to record in the login's transaction: the TOTP step, or
// the recovery code's hash.
func (s *Service) checkCode(ctx context.Context, ac identity.Actor, acc identity.Account, f identity.Factor, code string, recovery bool) (use func(tx store.Tx) error, err error) {
	key := "2fa:" + acc.Username
	err = s.inCheckSlot(ctx, func() error {
		if wait := s.throttle.wait(ctx, key, ac.IP); wait > 0 {
			return &RetryError{Err: throttled(wait), After: wait}
		}
		code = strings.TrimSpace(code)
		if step, ok := totpStep(f.Secret, code, s.Now(), f.LastUsedStep); ok {
			use = func(tx store.Tx) error {
				if ok, err := tx.UseFactorStep(ctx, acc.ID, step); err != nil || !ok {
					return cmpErr(err, errBadCode)
				}
				return nil
			}
		} else if h := recoveryHash(code); recovery && h != "" {
			use = func(tx store.Tx) error {
				if ok, err := tx.UseRecoveryCode(ctx, acc.ID, h, s.Now()); err != nil || !ok {
					return cmpErr(err, errBadCode)
				}
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A recovery code is only known to be right once marked used; a wrong
	// one fails the transaction, which then counts as a failure (fail).
	if use == nil {
		s.codeFailed(ctx, ac, acc)
		return nil, errBadCode
	}
	return use, nil
}

func (s *Service) codeFailed(ctx context.Context, ac identity.Actor, acc identity.Account) {
	s.throttle.fail(ctx, "2fa:"+acc.Username, ac.IP)
	_ = s.RecordRead(ctx, identity.Actor{IP: ac.IP, UserAgent: ac.UserAgent}, "auth.second_factor_failed", fmt.Sprintf("account:%d", acc.ID), nil)
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// totpStep returns the time step of code if it is the TOTP code of secret
// at now or one step either side (clock drift, RFC 6238 §5.2) and later
// than last.
func totpStep(secret, code string, now time.Time, last int64) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	for _, step := range []int64{cur, cur - 1, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && step > last && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// recoveryHash is the stored form of a recovery code as typed (case,
// spaces and dashes ignored); "" if it cannot be one.
func recoveryHash(code string) string {
	c := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-':
			return -1
		}
		return r
	}, strings.ToLower(code))
	if len(c) != 10 {
		return ""
	}
	sum := sha256.Sum256([]byte(c))
	return hex.EncodeToString(sum[:])
}

// newRecoveryCodes returns n recovery codes (10 base32 characters, 50
// bits, shown as two groups of five) and their hashes.
func newRecoveryCodes(n int) (codes, hashes []string, err error) {
	for range n {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, err
		}
		c := strings.ToLower(base32.StdEncoding.EncodeToString(b))[:10]
		codes = append(codes, c[:5]+"-"+c[5:])
		hashes = append(hashes, recoveryHash(c))
	}
	return codes, hashes, nil
}

// LoginSecondFactor finishes a login whose password was right: code is
// the 6-digit TOTP code or a recovery code. The challenge, the code's step
// or the recovery code are used in the session's transaction, so that
// none serves twice. Wrong codes are throttled and audited.
func (s *Service) LoginSecondFactor(ctx context.Context, ac identity.Actor, challenge, code string) (Login, error) {
	c, acc, err := s.pending(ctx, challenge, identity.ChallengeSecondFactor)
	if err != nil {
		return Login{}, err
	}
	f, err := s.db.Factor(ctx, acc.ID)
	if errors.Is(err, errs.ErrNotFound) || err == nil && !f.Confirmed() {
		return Login{}, errBadChallenge // reset meanwhile
	}
	if err != nil {
		return Login{}, err
	}
	use, err := s.checkCode(ctx, ac, acc, f, code, true)
	if err != nil {
		return Login{}, err
	}
	l, err := s.openSession(ctx, ac, acc, "auth.login", map[string]string{"second_factor": f.Kind}, func(tx store.Tx, _ *identity.Account) error {
		if ok, err := tx.DeleteChallenge(ctx, c.TokenHash); err != nil || !ok {
			return cmpErr(err, errBadChallenge)
		}
		return use(tx)
	})
	if errors.Is(err, errBadCode) {
		s.codeFailed(ctx, ac, acc)
	}
	if err != nil {
		return Login{}, err
	}
	s.throttle.succeed(ctx, "2fa:"+acc.Username, ac.IP)
	return l, nil
}

// Enrolment is a TOTP secret to put in an authenticator app: the URL as a
// QR code, or the secret typed in.
type Enrolment struct {
	Secret string `json:"secret" doc:"Khóa bí mật (base32) để nhập tay vào ứng dụng xác thực"`
	URL    string `json:"otpauth_url" doc:"Địa chỉ otpauth:// (mã QR)"`
}

// enrolee is the account enrolling: the challenge's (a login the policy
// sent to enrol) or, without one, the signed-in actor's.
func (s *Service) enrolee(ctx context.Context, ac identity.Actor, challenge string) (identity.Challenge, identity.Account, error) {
	if challenge != "" {
		return s.pending(ctx, challenge, identity.ChallengeEnrol)
	}
	if ac.Account == nil {
		return identity.Challenge{}, identity.Account{}, errBadToken
	}
	return identity.Challenge{}, *ac.Account, nil
}

// BeginTOTP begins the enrolment of a TOTP factor: a new secret, stored
// unconfirmed (replacing an enrolment not finished). An account whose
// factor is confirmed must have it reset by an administrator first.
func (s *Service) BeginTOTP(ctx context.Context, ac identity.Actor, challenge string) (Enrolment, error) {
	_, acc, err := s.enrolee(ctx, ac, challenge)
	if err != nil {
		return Enrolment{}, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer, AccountName: acc.Username, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return Enrolment{}, fmt.Errorf("begin TOTP: %w", err)
	}
	ac.Account = &acc
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		f, err := tx.Factor(ctx, acc.ID)
		if err == nil && f.Confirmed() {
			return errEnrolled
		}
		if err := tx.PutFactor(ctx, identity.Factor{AccountID: acc.ID, Kind: identity.FactorTOTP, Secret: key.Secret(), CreatedAt: s.Now()}); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "auth.second_factor_begin", fmt.Sprintf("account:%d", acc.ID), map[string]string{"kind": identity.FactorTOTP})
	})
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// Enrolled is a confirmed factor: the recovery codes, shown this once,
// and, when the enrolment finished a login, its session.
type Enrolled struct {
	RecoveryCodes []string `json:"recovery_codes"`
	Login         *Login   `json:"login,omitempty"`
}

// ConfirmTOTP confirms the factor begun with the first code it gives and
// returns ten recovery codes (stored hashed). With a challenge (a login
// the policy sent to enrol), it also opens the session, in the same
// transaction.
func (s *Service) ConfirmTOTP(ctx context.Context, ac identity.Actor, challenge, code string) (Enrolled, error) {
	c, acc, err := s.enrolee(ctx, ac, challenge)
	if err != nil {
		return Enrolled{}, err
	}
	f, err := s.db.Factor(ctx, acc.ID)
	if errors.Is(err, errs.ErrNotFound) {
		return Enrolled{}, errNotEnrolling
	}
	if err != nil {
		return Enrolled{}, err
	}
	if f.Confirmed() {
		return Enrolled{}, errEnrolled
	}
	use, err := s.checkCode(ctx, ac, acc, f, code, false)
	if err != nil {
		return Enrolled{}, err
	}
	codes, hashes, err := newRecoveryCodes(recoveryCodes)
	if err != nil {
		return Enrolled{}, err
	}
	confirm := func(tx store.Tx) error {
		cur, err := tx.Factor(ctx, acc.ID)
		if err != nil || cur.Secret != f.Secret || cur.Confirmed() {
			return cmpErr(err, errNotEnrolling) // begun again meanwhile
		}
		cur.ConfirmedAt = s.Now()
		if err := tx.PutFactor(ctx, cur); err != nil {
			return err
		}
		if err := use(tx); err != nil {
			return err
		}
		if err := tx.PutRecoveryCodes(ctx, acc.ID, hashes); err != nil {
			return err
		}
		actor := ac
		actor.Account = &acc
		return s.Record(ctx, tx, actor, "auth.second_factor_confirm", fmt.Sprintf("account:%d", acc.ID), map[string]any{"kind": f.Kind, "recovery_codes": len(hashes)})
	}
	s.throttle.succeed(ctx, "2fa:"+acc.Username, ac.IP)
	if challenge == "" {
		if err := s.Store.Update(ctx, confirm); err != nil {
			return Enrolled{}, err
		}
		return Enrolled{RecoveryCodes: codes}, nil
	}
	l, err := s.openSession(ctx, ac, acc, "auth.login", map[string]string{"second_factor": f.Kind, "enrolled": "true"}, func(tx store.Tx, _ *identity.Account) error {
		if ok, err := tx.DeleteChallenge(ctx, c.TokenHash); err != nil || !ok {
			return cmpErr(err, errBadChallenge)
		}
		return confirm(tx)
	})
	if err != nil {
		return Enrolled{}, err
	}
	return Enrolled{RecoveryCodes: codes, Login: &l}, nil
}

// SecondFactor is what an administrator sees of an account's factor.
type SecondFactor struct {
	Enrolled      bool      `json:"enrolled"`
	Kind          string    `json:"kind,omitempty"`
	ConfirmedAt   time.Time `json:"confirmed_at,omitzero"`
	RecoveryCodes int       `json:"recovery_codes_left"`
	Required      bool      `json:"required" doc:"Chính sách bắt buộc (theo vai trò)"`
}

// SecondFactorOf returns the state of an account's second factor
// (administrators, or the account itself).
func (s *Service) SecondFactorOf(ctx context.Context, ac identity.Actor, id int64) (SecondFactor, error) {
	if ac.Account == nil || ac.Account.ID != id {
		if err := ac.Require(identity.PermAccountRead, ""); err != nil {
			return SecondFactor{}, err
		}
	}
	acc, err := s.db.Account(ctx, id)
	if err != nil {
		return SecondFactor{}, err
	}
	out := SecondFactor{Required: s.RequiresSecondFactor(acc)}
	f, err := s.db.Factor(ctx, id)
	if errors.Is(err, errs.ErrNotFound) || err == nil && !f.Confirmed() {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Enrolled, out.Kind, out.ConfirmedAt = true, f.Kind, f.ConfirmedAt
	if out.RecoveryCodes, err = s.db.RecoveryCodesLeft(ctx, id); err != nil {
		return out, err
	}
	return out, nil
}

// ResetSecondFactor deletes an account's second factor and recovery codes
// (administrators: a lost phone) and ends its sessions and pending logins,
// audited in the same transaction. Its next login enrols anew if the
// policy requires a factor.
func (s *Service) ResetSecondFactor(ctx context.Context, ac identity.Actor, id int64) error {
	defer s.sessions.Clear()
	if err := ac.Require(identity.PermAccountManage, ""); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Account(ctx, id); err != nil {
			return err
		}
		had, err := tx.DeleteFactor(ctx, id)
		if err != nil {
			return err
		}
		revoked, err := tx.DeleteAccountSessions(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.DeleteAccountChallenges(ctx, id); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "account.second_factor_reset", fmt.Sprintf("account:%d", id), map[string]any{"had_factor": had, "sessions_revoked": revoked})
	})
}

var errSignOnFactor = errs.New(errs.Forbidden, "signon.second_factor", "Tài khoản này đăng nhập bằng mật khẩu và mã xác thực hai lớp, không qua cổng xác thực.", "this account logs in with its password and second factor, not through sign-on")

// signOnFactorCheck refuses the sign-on of an existing account that has a
// second factor or that the policy requires one of: the provider checked
// the person, not this platform's factor, which the sign-on would bypass.
func (s *Service) signOnFactorCheck(ctx context.Context, acc identity.Account) error {
	if acc.ID == 0 {
		return nil
	}
	if s.RequiresSecondFactor(acc) {
		return errSignOnFactor
	}
	f, err := s.db.Factor(ctx, acc.ID)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("sign on: %w", err)
	case f.Confirmed():
		return errSignOnFactor
	}
	return nil
}
