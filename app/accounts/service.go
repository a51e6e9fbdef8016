// Package accounts holds the use cases of accounts and sign-in: creating
// citizens' and officials' accounts, granting roles, logging in with a
// bounded number of failures, and the sessions that authenticate requests.
package accounts

import (
	"cmp"
	"log/slog"
	"runtime"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// Config bounds sessions and failed logins.
type Config struct {
	// SessionTTL is the absolute timeout of a login session (default 12 h,
	// a working day and its overtime); SessionIdle ends one unused for
	// that long (default 30 min, an official's desk left unlocked), up to
	// a minute late (last use is written once a minute).
	SessionTTL  time.Duration
	SessionIdle time.Duration
	// LoginBurst is how many failed logins of one username from one
	// client address are free before the back-off (default 5); LoginBackoff
	// is its first wait, doubled at each further failure up to 15 min
	// (default 1 s). A client address may fail 20·LoginBurst times per
	// 15 min over all usernames, a username 10·LoginBurst times over the
	// addresses that are not its usual ones (see throttle).
	LoginBurst   int
	LoginBackoff time.Duration
	// PasswordChecks is how many password checks may run at once (default
	// one per core, GOMAXPROCS): the next logins wait for one to end.
	PasswordChecks int
	// SecondFactorRoles are the roles whose holders must log in with a
	// second factor, enrolling one at their next login if they have none
	// (nil: DefaultSecondFactorRoles; empty: nobody). An account that
	// enrolled one uses it whatever its roles.
	SecondFactorRoles []identity.Role
	// Issuer names the platform in authenticator apps (default "Một cửa").
	Issuer string
}

// reader is what the service reads of the store (writes go through
// Kernel.Store.Update).
type reader interface{ store.AccountReader }

// Service is the accounts and sessions of the platform.
type Service struct {
	*app.Kernel
	db       reader
	ttl      time.Duration                    // absolute timeout
	idle     time.Duration                    // idle timeout
	touched  touches                          // last uses written by this node
	throttle *throttle                        // failed logins
	sessions *app.Memo[string, authenticated] // by token hash

	signOn        SignOnConfig   // the national sign-on (SetSignOn)
	passwords     PasswordConfig // local passwords of the public (SetPasswords)
	checkSlots    chan struct{}  // password checks running (see inCheckSlot)
	checkPassword func(encoded, password string) bool
	checkDummy    func(password string)
	factorRoles   []identity.Role
	issuer        string
}

// New returns the service.
func New(k *app.Kernel, cfg Config) *Service {
	s := &Service{Kernel: k, db: k.Store, ttl: cfg.SessionTTL, sessions: app.NewMemo[string, authenticated](sessionMemo),
		checkPassword: identity.CheckPassword, checkDummy: identity.CheckDummy}
	s.factorRoles, s.issuer = cfg.SecondFactorRoles, cmp.Or(cfg.Issuer, "Một cửa")
	if s.factorRoles == nil {
		s.factorRoles = DefaultSecondFactorRoles
	}
	s.checkSlots = make(chan struct{}, cmp.Or(max(cfg.PasswordChecks, 0), runtime.GOMAXPROCS(0)))
	if s.ttl <= 0 {
		s.ttl = 12 * time.Hour
	}
	s.idle = cfg.SessionIdle
	if s.idle <= 0 {
		s.idle = 30 * time.Minute
	}
	burst, base := cfg.LoginBurst, cfg.LoginBackoff
	if burst <= 0 {
		burst = 5
	}
	if base <= 0 {
		base = time.Second
	}
	log := k.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s.throttle = newThrottle(k.Store, burst, base, k.Clock, log)
	return s
}

// Forget drops the sessions kept in memory.
func (s *Service) Forget() { s.sessions.Clear() }
