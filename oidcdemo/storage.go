package oidcdemo

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Lifetimes. The ID token's is stamped by the library with the wall clock;
// the others are checked against Config.Clock.
const (
	authRequestLifetime = 30 * time.Minute // the login page stays usable this long
	codeLifetime        = 5 * time.Minute  // RFC 6749 §4.1.2: short, 10 minutes at most
	accessTokenLifetime = 10 * time.Minute
	idTokenLifetime     = 10 * time.Minute
	usedCodeMemory      = time.Hour // a replayed code is recognised (and its tokens revoked) this long
)

// errNotFound is what an unknown or expired request, code, token or client
// gives: a plain error, which the library answers as the client's fault.
var errNotFound = errors.New("oidcdemo: not found or expired")

// errAlreadyDone: an identity was already chosen for this auth request.
var errAlreadyDone = errors.New("oidcdemo: this sign-in was already completed")

type codeEntry struct {
	requestID string
	issued    time.Time
}

type accessToken struct {
	id, subject, clientID, requestID string
	scopes                           []string
	expires                          time.Time
}

// storage is the provider's memory (op.Storage): clients and identities,
// fixed at New; auth requests, codes and access tokens, which come and go.
// One mutex guards it all: the demo serves a handful of people.
type storage struct {
	clock      func() time.Time
	key        *rsa.PrivateKey
	keyID      string
	clients    map[string]*client
	identities []Identity
	bySub      map[string]Identity

	mu        sync.Mutex
	requests  map[string]*authRequest
	codes     map[string]codeEntry
	usedCodes map[string]codeEntry // exchanged codes, to recognise a replay
	tokens    map[string]*accessToken
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

func newStorage(clock func() time.Time, key *rsa.PrivateKey, keyID string, clients map[string]*client, ids []Identity) *storage {
	s := &storage{clock: clock, key: key, keyID: keyID, clients: clients, identities: ids, bySub: map[string]Identity{},
		requests: map[string]*authRequest{}, codes: map[string]codeEntry{}, usedCodes: map[string]codeEntry{}, tokens: map[string]*accessToken{}}
	for _, id := range ids {
		s.bySub[id.Sub] = id
	}
	return s
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return hex.EncodeToString(b)
}

// prune forgets what has expired; called with mu held on every write, so
// the maps stay as small as the traffic of the last hour.
func (s *storage) prune(now time.Time) {
	for id, r := range s.requests {
		if now.Sub(r.created) > authRequestLifetime+codeLifetime {
			delete(s.requests, id)
		}
	}
	for c, e := range s.codes {
		if now.Sub(e.issued) > codeLifetime {
			delete(s.codes, c)
		}
	}
	for c, e := range s.usedCodes {
		if now.Sub(e.issued) > usedCodeMemory {
			delete(s.usedCodes, c)
		}
	}
	for id, t := range s.tokens {
		if now.After(t.expires) {
			delete(s.tokens, id)
		}
	}
}

// CreateAuthRequest keeps a validated /authorize request. Beyond the
// library's checks: PKCE must use S256 when sent and must be sent by a
// public client; prompt=none cannot be met (the provider keeps no session).
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	c, ok := s.clients[req.ClientID]
	if !ok {
		return nil, oidc.ErrInvalidClient()
	}
	if req.CodeChallenge != "" && req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	}
	if c.Secret == "" && req.CodeChallenge == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE (S256) required for a public client")
	}
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired()
	}
	a := &authRequest{
		id: randomID(), created: s.clock(), clientID: req.ClientID, redirectURI: req.RedirectURI,
		scopes: slices.Clone(req.Scopes), state: req.State, nonce: req.Nonce,
		responseType: req.ResponseType, responseMode: req.ResponseMode, acrValues: slices.Clone(req.ACRValues),
	}
	if req.CodeChallenge != "" {
		a.challenge = &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune(a.created)
	s.requests[a.id] = a
	cp := *a
	return &cp, nil
}

// request returns a copy of a live auth request; mu held.
func (s *storage) request(id string) (*authRequest, error) {
	a, ok := s.requests[id]
	if !ok || s.clock().Sub(a.created) > authRequestLifetime+codeLifetime {
		return nil, errNotFound
	}
	cp := *a
	return &cp, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.request(id)
}

// choose completes an auth request with the identity chosen on the login
// page. A request already completed cannot be given another identity.
func (s *storage) choose(requestID string, id Identity) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.requests[requestID]
	now := s.clock()
	if !ok || now.Sub(a.created) > authRequestLifetime {
		return nil, errNotFound
	}
	if a.done {
		return nil, errAlreadyDone
	}
	a.done, a.subject, a.level, a.authTime = true, id.Sub, id.Level, now
	cp := *a
	return &cp, nil
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.requests[id]
	if !ok || !a.done {
		return errNotFound
	}
	s.codes[code] = codeEntry{requestID: id, issued: s.clock()}
	return nil
}

// AuthRequestByCode finds the request of a live code. A code already
// exchanged is refused, and the tokens it gave are revoked (RFC 6749
// §4.1.2: the code may have been stolen).
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if used, ok := s.usedCodes[code]; ok {
		s.revokeRequest(used.requestID)
		return nil, errors.New("oidcdemo: code already used; its tokens are revoked")
	}
	e, ok := s.codes[code]
	if !ok || s.clock().Sub(e.issued) > codeLifetime {
		return nil, errNotFound
	}
	return s.request(e.requestID)
}

func (s *storage) revokeRequest(requestID string) {
	for id, t := range s.tokens {
		if t.requestID == requestID {
			delete(s.tokens, id)
		}
	}
}

// DeleteAuthRequest is called once the tokens are made: the request's
// codes move to usedCodes.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c, e := range s.codes {
		if e.requestID == id {
			s.usedCodes[c] = codeEntry{requestID: id, issued: s.clock()}
			delete(s.codes, c)
		}
	}
	delete(s.requests, id)
	return nil
}

// CreateAccessToken makes the access token of a code exchange (the only
// grant). Marking the request exchanged here, under the mutex, makes the
// code single-use even when two exchanges race past AuthRequestByCode.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &accessToken{id: randomID(), subject: req.GetSubject(), scopes: slices.Clone(req.GetScopes()), expires: s.clock().Add(accessTokenLifetime)}
	if r, ok := req.(*authRequest); ok {
		live, ok := s.requests[r.id]
		if !ok || live.exchanged {
			return "", time.Time{}, oidc.ErrInvalidGrant().WithDescription("code already used")
		}
		live.exchanged = true
		t.clientID, t.requestID = r.clientID, r.id
	}
	s.prune(s.clock())
	s.tokens[t.id] = t
	// The library turns this into expires_in against the wall clock: give
	// it the wall clock's expiry, whatever Clock says.
	return t.id, time.Now().Add(accessTokenLifetime), nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("no refresh tokens")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

// TerminateSession (RP-initiated logout) revokes the user's access tokens
// given to the client; the provider keeps no session of its own.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, t := range s.tokens {
		if t.subject == userID && (clientID == "" || t.clientID == clientID) {
			delete(s.tokens, id)
		}
	}
	return nil
}

func (s *storage) RevokeToken(_ context.Context, tokenOrID, userID, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[tokenOrID]; ok && t.clientID == clientID {
		delete(s.tokens, tokenOrID)
	}
	return nil
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

type publicKey struct {
	id  string
	key *rsa.PublicKey
}

func (k publicKey) ID() string                         { return k.id }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return k.key }

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return signingKey{id: s.keyID, key: s.key}, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{id: s.keyID, key: &s.key.PublicKey}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok {
		return nil, errNotFound
	}
	return c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.clients[id]
	if !ok || c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return errors.New("oidcdemo: wrong client or secret")
	}
	return nil
}

// SetUserinfoFromScopes is deprecated by the library; the claims are set by
// SetUserinfoFromRequest.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest puts the identity's claims into the ID token,
// whatever the scopes: the portal sends them all with scope=openid.
func (s *storage) SetUserinfoFromRequest(_ context.Context, ui *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	return s.fillUserinfo(ui, req.GetSubject())
}

// SetUserinfoFromToken answers /userinfo for a live access token.
func (s *storage) SetUserinfoFromToken(_ context.Context, ui *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	live := ok && t.subject == subject && s.clock().Before(t.expires)
	s.mu.Unlock()
	if !live {
		return errNotFound
	}
	return s.fillUserinfo(ui, subject)
}

func (s *storage) SetIntrospectionFromToken(_ context.Context, ir *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	live := ok && t.subject == subject && t.clientID == clientID && s.clock().Before(t.expires)
	s.mu.Unlock()
	if !live {
		return errNotFound
	}
	ir.Active, ir.Subject, ir.ClientID, ir.Scope = true, subject, clientID, t.scopes
	ir.Expiration = oidc.FromTime(t.expires)
	return nil
}

func (s *storage) fillUserinfo(ui *oidc.UserInfo, sub string) error {
	id, ok := s.bySub[sub]
	if !ok {
		return errNotFound
	}
	ui.Subject = sub
	if name := id.Name(); name != "" {
		ui.Name = name
	}
	if v, ok := id.Claims[ClaimEmail].(string); ok {
		ui.Email = v
	}
	if v, ok := id.Claims[ClaimPhone].(string); ok {
		ui.PhoneNumber = v
	}
	for k, v := range id.Claims {
		ui.AppendClaims(k, v)
	}
	return nil
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound // no private_key_jwt clients
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("oidcdemo: no JWT profile grant")
}

func (s *storage) Health(context.Context) error { return nil }
