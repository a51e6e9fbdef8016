// Package accounts holds the use cases of accounts and sign-in: creating
// citizens' and officials' accounts, granting roles, logging in with a
// bounded number of failures, and the sessions that authenticate requests.
package accounts

import (
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/store"
)

// Config bounds sessions and failed logins.
type Config struct {
	SessionTTL time.Duration // lifetime of a login session (default 12 h)
	// LoginBurst and LoginEvery bound failed login attempts per username
	// (defaults: 5, then one every 12 s); a client address gets four times
	// the burst and rate.
	LoginBurst int
	LoginEvery time.Duration
}

// reader is what the service reads of the store (writes go through
// Kernel.Store.Update).
type reader interface{ store.AccountReader }

// Service is the accounts and sessions of the platform.
type Service struct {
	*app.Kernel
	db       reader
	ttl      time.Duration
	users    *limiter                         // failed logins per username
	addrs    *limiter                         // failed logins per client address
	sessions *app.Memo[string, authenticated] // by token hash
}

// New returns the service.
func New(k *app.Kernel, cfg Config) *Service {
	s := &Service{Kernel: k, db: k.Store, ttl: cfg.SessionTTL, sessions: app.NewMemo[string, authenticated](sessionMemo)}
	if s.ttl <= 0 {
		s.ttl = 12 * time.Hour
	}
	burst, every := cfg.LoginBurst, cfg.LoginEvery
	if burst <= 0 {
		burst = 5
	}
	if every <= 0 {
		every = 12 * time.Second
	}
	s.users = newLimiter(burst, every, k.Clock)
	s.addrs = newLimiter(4*burst, every/4, k.Clock)
	return s
}

// Forget drops the sessions kept in memory.
func (s *Service) Forget() { s.sessions.Clear() }
