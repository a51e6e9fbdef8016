package national

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/unit"
)

// account is a province's credentials: an argon2id hash, or (the demo's,
// and a file's "password") the password's SHA-256, compared in constant
// time.
type account struct {
	province string
	username string
	hash     string   // argon2id PHC string ("" when digest is set)
	digest   [32]byte // SHA-256 of the password: plain accounts, and a hashed account's last password found good
	verified bool     // digest holds a password found good
}

// Accounts are the provinces' credentials on the national mode: one
// account per province.
type Accounts struct {
	Demo   bool // the demo's credentials (printed at start)
	mu     sync.Mutex
	byUser map[string]*account
}

// DemoUsername and DemoPassword are a province's demo credentials
// (PROTOCOL.md): "tinh-01" / "matkhau-01". Demo only.
func DemoUsername(code string) string { return "tinh-" + code }

// DemoPassword is a province's demo password.
func DemoPassword(code string) string { return "matkhau-" + code }

// DemoAccounts are the demo credentials of every province.
func DemoAccounts(units *unit.Directory) *Accounts {
	a := &Accounts{Demo: true, byUser: map[string]*account{}}
	for _, p := range units.Provinces() {
		u := DemoUsername(p.Code)
		a.byUser[u] = &account{province: p.Code, username: u, digest: sha256.Sum256([]byte(DemoPassword(p.Code))), verified: true}
	}
	return a
}

// AccountFile is one province's entry of an accounts file:
// {"01": {"username": "…", "password_hash": "$argon2id$…"}} or, for a
// test set-up, "password" in clear.
type AccountFile struct {
	Username     string `json:"username"`
	PasswordHash string `json:"password_hash,omitempty"`
	Password     string `json:"password,omitempty"`
}

// LoadAccounts reads an accounts file: an object from province code to
// AccountFile. Provinces left out cannot sync.
func LoadAccounts(r io.Reader, units *unit.Directory) (*Accounts, error) {
	var file map[string]AccountFile
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, errs.Wrap(errs.Invalid, "national.accounts_malformed", "Tệp tài khoản các tỉnh không phải JSON hợp lệ.", "malformed accounts file", err)
	}
	a := &Accounts{byUser: map[string]*account{}}
	codes := make([]string, 0, len(file))
	for code := range file {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		f := file[code]
		bad := func(why string) error {
			return errs.New(errs.Invalid, "national.account_invalid", fmt.Sprintf("Tài khoản của tỉnh %q: %s", code, why), "invalid account of "+code)
		}
		if _, err := units.Province(code); err != nil {
			return nil, bad("không có tỉnh mã này.")
		}
		u := strings.TrimSpace(f.Username)
		switch {
		case u == "" || len(u) > 100:
			return nil, bad("thiếu tên đăng nhập (hoặc dài quá 100 ký tự).")
		case a.byUser[u] != nil:
			return nil, bad(fmt.Sprintf("tên đăng nhập %q đã dùng cho tỉnh khác.", u))
		case (f.PasswordHash == "") == (f.Password == ""):
			return nil, bad("cần đúng một trong password_hash (argon2id) hoặc password.")
		case f.PasswordHash != "" && !strings.HasPrefix(f.PasswordHash, "$argon2id$"):
			return nil, bad("password_hash phải là chuỗi argon2id ($argon2id$…).")
		case f.Password != "" && len(f.Password) < 8:
			return nil, bad("mật khẩu cần ít nhất 8 ký tự.")
		}
		acc := &account{province: code, username: u, hash: f.PasswordHash}
		if f.Password != "" {
			acc.digest, acc.verified = sha256.Sum256([]byte(f.Password)), true
		}
		a.byUser[u] = acc
	}
	if len(a.byUser) == 0 {
		return nil, errs.New(errs.Invalid, "national.accounts_empty", "Tệp tài khoản các tỉnh không có tài khoản nào.", "no accounts")
	}
	return a, nil
}

// Provinces lists the provinces that have an account, by code.
func (a *Accounts) Provinces() []string {
	var out []string
	for _, acc := range a.byUser {
		out = append(out, acc.province)
	}
	sort.Strings(out)
	return out
}

func errBadCredentials() error {
	return errs.New(errs.Unauthorized, "national.bad_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.", "bad credentials")
}

// Check returns the province of a username and password
// (errs.Unauthorized when they do not match). A hashed account's password
// found good is remembered by its SHA-256, so that the three-URL style,
// which sends it with every call, pays one argon2id check per process, not
// per call.
func (a *Accounts) Check(username, password string) (Caller, error) {
	a.mu.Lock()
	acc := a.byUser[username]
	var digest [32]byte
	var verified bool
	var hash string
	if acc != nil {
		digest, verified, hash = acc.digest, acc.verified, acc.hash
	}
	a.mu.Unlock()
	got := sha256.Sum256([]byte(password))
	switch {
	case acc == nil:
		if !a.Demo {
			identity.CheckDummy(password) // the same time as a known username's check
		}
		return Caller{}, errBadCredentials()
	case verified && subtle.ConstantTimeCompare(got[:], digest[:]) == 1:
		return Caller{Province: acc.province, Username: acc.username}, nil
	case hash == "" || !identity.CheckPassword(hash, password):
		return Caller{}, errBadCredentials()
	}
	a.mu.Lock()
	acc.digest, acc.verified = got, true
	a.mu.Unlock()
	return Caller{Province: acc.province, Username: acc.username}, nil
}

// Sessions are the adapter style's login sessions, in memory: a restart
// asks the provinces to log in again, which their clients do on "-2".
type Sessions struct {
	ttl   time.Duration
	clock func() time.Time
	mu    sync.Mutex
	m     map[[32]byte]session // by SHA-256 of the token
}

type session struct {
	caller  Caller
	expires time.Time
}

// MaxSessionsPerProvince bounds the live sessions of one province: a
// client that logs in again and again replaces its oldest session rather
// than filling the memory.
const MaxSessionsPerProvince = 64

// NewSessions returns an empty set of sessions living ttl.
func NewSessions(ttl time.Duration, clock func() time.Time) *Sessions {
	return &Sessions{ttl: ttl, clock: clock, m: map[[32]byte]session{}}
}

// New opens a session for c and returns its token (32 random bytes).
func (s *Sessions) New(c Caller) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	var oldest [32]byte
	var oldestAt time.Time
	n := 0
	for k, v := range s.m {
		switch {
		case !now.Before(v.expires):
			delete(s.m, k)
		case v.caller.Province == c.Province:
			n++
			if oldestAt.IsZero() || v.expires.Before(oldestAt) {
				oldest, oldestAt = k, v.expires
			}
		}
	}
	if n >= MaxSessionsPerProvince {
		delete(s.m, oldest)
	}
	s.m[sha256.Sum256([]byte(tok))] = session{caller: c, expires: now.Add(s.ttl)}
	return tok, nil
}

// Get returns the caller of a live session (errs.Unauthorized otherwise).
func (s *Sessions) Get(token string) (Caller, error) {
	k := sha256.Sum256([]byte(token))
	now := s.clock()
	s.mu.Lock()
	v, ok := s.m[k]
	if ok && !now.Before(v.expires) {
		delete(s.m, k)
		ok = false
	}
	s.mu.Unlock()
	if !ok || token == "" {
		return Caller{}, errs.New(errs.Unauthorized, "national.session_invalid", "Phiên làm việc không hợp lệ hoặc đã hết hạn", "invalid or expired session")
	}
	return v.caller, nil
}

// Len is the number of sessions held (expired ones included until swept).
func (s *Sessions) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
