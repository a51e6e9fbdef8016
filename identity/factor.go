package identity

import "time"

// FactorTOTP is a time-based one-time password (RFC 6238) from an
// authenticator app: the only kind of second factor so far.
const FactorTOTP = "totp"

// Factor is an account's second factor. The secret is stored as is: the
// platform has no key to seal it with (see docs/second-factor.md); it is
// never shown again after enrolment nor put in any answer.
type Factor struct {
	AccountID int64  `json:"account_id"`
	Kind      string `json:"kind"`
	Secret    string `json:"-"` // base32, as the authenticator app holds it
	// ConfirmedAt is when the first code was checked (zero: enrolment
	// begun, not finished; the factor is then not required at login).
	ConfirmedAt time.Time `json:"confirmed_at"`
	// LastUsedStep is the TOTP time step of the last code accepted: a code
	// of that step or an earlier one is refused (RFC 6238 §5.2).
	LastUsedStep int64     `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Confirmed reports whether the factor is required at login.
func (f Factor) Confirmed() bool { return !f.ConfirmedAt.IsZero() }

// Challenge purposes: what a login that passed the password may do next.
const (
	ChallengeSecondFactor = "second_factor" // give the code of a confirmed factor
	ChallengeEnrol        = "enrol"         // enrol a factor (required by policy), then log in
)

// Challenge is a login half done: the password was right, the second
// step is pending. Like a session, only the SHA-256 hash of its token is
// stored; it is used once and lives a few minutes.
type Challenge struct {
	TokenHash string    `json:"-"`
	AccountID int64     `json:"account_id"`
	Purpose   string    `json:"purpose"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}
