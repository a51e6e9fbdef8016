package accounts

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// touchEvery is how often a session's last use is written: at most once a
// minute per session, whatever the requests, so that checking a session
// stays a memory read (the idle timeout is thus up to a minute late).
const touchEvery = time.Minute

// touches is what this node wrote of its sessions' last use, by token
// hash (the memo's copy of a session is up to sessionMemo old), and the
// writes not yet made. The writes leave the request's path: one
// goroutine at a time writes all that are pending in one transaction, so
// that a slow store delays no request and a burst of sessions costs one
// commit (at 1,000 sessions, some 17 last uses a second).
type touches struct {
	mu      sync.Mutex
	at      map[string]time.Time
	swept   time.Time
	pending map[string]time.Time
	writing bool
	writer  sync.WaitGroup
}

// last is the later of at and what this node wrote of hash.
func (t *touches) last(hash string, at time.Time) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if w := t.at[hash]; w.After(at) {
		return w
	}
	return at
}

// claim reports whether the caller is to write hash's last use at now
// (last: what it knows of it), and notes that it is being written, so
// that of the requests of one session in the same minute one writes.
func (t *touches) claim(hash string, last, now time.Time, forget time.Duration) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if w := t.at[hash]; w.After(last) {
		last = w
	}
	if now.Sub(last) < touchEvery {
		return false
	}
	if t.at == nil {
		t.at = map[string]time.Time{}
	}
	t.at[hash] = now
	if now.Sub(t.swept) >= touchEvery {
		t.swept = now
		for h, w := range t.at {
			if now.Sub(w) > forget {
				delete(t.at, h)
			}
		}
	}
	return true
}

func (t *touches) forget(hash string) {
	t.mu.Lock()
	delete(t.at, hash)
	t.mu.Unlock()
}

// keepAlive checks the idle timeout of the session whose memo entry is
// au and writes its last use when a minute has passed since. The memo's
// entry may be older than a use on another node: a session that looks
// idle is read again before it is refused.
func (s *Service) keepAlive(ctx context.Context, hash string, au authenticated) (authenticated, error) {
	now := s.Now()
	last := s.touched.last(hash, au.lastUsed)
	if now.Sub(last) >= s.idle {
		fresh, err := s.authenticate(ctx, hash)
		if err != nil {
			return au, err
		}
		au, last = fresh, s.touched.last(hash, fresh.lastUsed)
	}
	if s.touched.claim(hash, last, now, s.idle+touchEvery) {
		s.touch(ctx, hash, now)
	}
	return au, nil
}

// touch queues the write of hash's last use and starts the writer if
// none is running.
func (s *Service) touch(ctx context.Context, hash string, at time.Time) {
	t := &s.touched
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending == nil {
		t.pending = map[string]time.Time{}
	}
	t.pending[hash] = at
	if t.writing {
		return
	}
	t.writing = true
	t.writer.Add(1)
	go s.writeTouches(context.WithoutCancel(ctx))
}

// writeTouches writes the pending last uses until none is left. A write
// that fails is logged and dropped: the request went on (a full disk must
// not log everyone out), and the session's next minute writes it again.
func (s *Service) writeTouches(ctx context.Context) {
	t := &s.touched
	defer t.writer.Done()
	for {
		t.mu.Lock()
		batch := t.pending
		t.pending = nil
		if len(batch) == 0 {
			t.writing = false
			t.mu.Unlock()
			return
		}
		t.mu.Unlock()
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			for hash, at := range batch {
				if err := tx.TouchSession(ctx, hash, at); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && s.Log != nil {
			s.Log.Warn("sessions' last use not written", "sessions", len(batch), "error", err)
		}
	}
}

// live refuses a session past its absolute timeout (its expiry, or its
// creation plus the timeout now configured, whichever is sooner) or idle
// longer than the idle timeout; an idle one is deleted, the deletion
// audited.
func (s *Service) live(ctx context.Context, sess identity.Session) error {
	now := s.Now()
	if !now.Before(s.ends(sess)) {
		return errBadToken
	}
	last := s.touched.last(sess.TokenHash, sess.LastUsedAt)
	if now.Sub(last) < s.idle {
		return nil
	}
	s.touched.forget(sess.TokenHash)
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteSession(ctx, sess.TokenHash); err != nil {
			return err
		}
		return s.Record(ctx, tx, identity.SystemActor("accounts"), "auth.session_idle", fmt.Sprintf("account:%d", sess.AccountID),
			map[string]any{"session": sess.PublicID(), "last_used_at": last, "idle_minutes": int(now.Sub(last).Minutes())})
	})
	if err != nil && s.Log != nil {
		s.Log.Warn("idle session not deleted", "error", err)
	}
	return errBadToken
}

// ends is when sess reaches its absolute timeout: its expiry, or its
// creation plus the timeout now configured, whichever is sooner (a shorter
// --session-ttl applies to the sessions already open).
func (s *Service) ends(sess identity.Session) time.Time {
	if end := sess.CreatedAt.Add(s.ttl); end.Before(sess.ExpiresAt) {
		return end
	}
	return sess.ExpiresAt
}

// SessionInfo is one of an account's active sessions as its owner sees it.
type SessionInfo struct {
	ID         string    `json:"id"`     // public ID (identity.Session.PublicID)
	Device     string    `json:"device"` // browser and system, e.g. "Chrome · Windows" ("" if unknown)
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"` // to the minute
	ExpiresAt  time.Time `json:"expires_at"`   // the absolute timeout
	Current    bool      `json:"current"`      // the session of this request
}

var errNoSession = errs.New(errs.NotFound, "session.not_found", "Không tìm thấy phiên đăng nhập.", "no such session")

// Sessions lists the actor's own active sessions, the most recently used
// first, marking the one of token (the request's); the read is audited.
func (s *Service) Sessions(ctx context.Context, ac identity.Actor, token string) ([]SessionInfo, error) {
	list, err := s.ownSessions(ctx, ac)
	if err != nil {
		return nil, err
	}
	current := ""
	if token != "" {
		current = identity.HashToken(token)
	}
	out := make([]SessionInfo, 0, len(list))
	for _, x := range list {
		out = append(out, SessionInfo{ID: x.PublicID(), Device: Device(x.UserAgent), IP: x.IP, UserAgent: x.UserAgent,
			CreatedAt: x.CreatedAt, LastUsedAt: s.touched.last(x.TokenHash, x.LastUsedAt), ExpiresAt: s.ends(x), Current: x.TokenHash == current})
	}
	if err := s.RecordRead(ctx, ac, "account.sessions", fmt.Sprintf("account:%d", ac.Account.ID), nil); err != nil {
		return nil, err
	}
	return out, nil
}

// ownSessions returns the actor's sessions that are neither expired nor
// idle.
func (s *Service) ownSessions(ctx context.Context, ac identity.Actor) ([]identity.Session, error) {
	if ac.Account == nil {
		return nil, errBadToken
	}
	list, err := s.db.AccountSessions(ctx, ac.Account.ID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	live := list[:0]
	for _, x := range list {
		if now.Before(s.ends(x)) && now.Sub(s.touched.last(x.TokenHash, x.LastUsedAt)) < s.idle {
			live = append(live, x)
		}
	}
	return live, nil
}

// EndSession ends one of the actor's own sessions (the current one
// included: that is a logout); another account's is NotFound, as one
// that does not exist. Audited. This node forgets the session at once,
// other nodes within sessionMemo.
func (s *Service) EndSession(ctx context.Context, ac identity.Actor, id string) error {
	list, err := s.ownSessions(ctx, ac)
	if err != nil {
		return err
	}
	var hash string
	for _, x := range list {
		if x.PublicID() == id {
			hash = x.TokenHash
		}
	}
	if hash == "" {
		return errNoSession
	}
	defer s.sessions.Clear()
	s.touched.forget(hash)
	return s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteSession(ctx, hash); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "auth.session_end", fmt.Sprintf("account:%d", ac.Account.ID), map[string]string{"session": id})
	})
}

// EndAccountSessions ends every session of an account (administrators:
// account.manage) and returns how many there were; audited with the
// count. The account's next request is refused at once through this
// node, through another within sessionMemo.
func (s *Service) EndAccountSessions(ctx context.Context, ac identity.Actor, id int64) (int64, error) {
	if err := ac.Require(identity.PermAccountManage, ""); err != nil {
		return 0, err
	}
	defer s.sessions.Clear()
	var n int64
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Account(ctx, id); err != nil {
			return err
		}
		var err error
		if n, err = tx.DeleteAccountSessions(ctx, id); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "account.sessions_end", fmt.Sprintf("account:%d", id), map[string]int64{"sessions_revoked": n})
	})
	if err != nil {
		return 0, fmt.Errorf("end sessions of account %d: %w", id, err)
	}
	return n, nil
}
