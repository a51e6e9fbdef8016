package oidcdemo

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// The endpoints, under the issuer. The national portal (a WSO2 Identity
// Server, it seems) answers /oauth2/authorize and /oauth2/token; the
// provider uses the same paths so that a relying party configured from the
// discovery document or by hand finds them alike.
const (
	pathAuthorize  = "oauth2/authorize"
	pathToken      = "oauth2/token"
	pathUserinfo   = "oauth2/userinfo"
	pathJWKS       = "oauth2/jwks"
	pathRevoke     = "oauth2/revoke"
	pathIntrospect = "oauth2/introspect"
	pathEndSession = "oidc/logout"
	pathLogin      = "/login"      // the provider's own login page
	pathLoggedOut  = "/logged-out" // where a logout without a registered redirect ends
)

// Config configures a Provider.
type Config struct {
	// Issuer is the provider's URL, e.g. "http://127.0.0.1:8080/sso-demo":
	// every endpoint is under its path.
	Issuer     string
	Clients    []Client
	Identities []Identity       // default DemoIdentities()
	Clock      func() time.Time // default time.Now; see the package doc for what it governs
	Key        *rsa.PrivateKey  // signs the ID tokens; default a new 2048-bit key
}

// Provider is an OpenID provider in process.
type Provider struct {
	issuer string
	base   string // the issuer's path, "" or "/sso-demo"
	store  *storage
	op     *op.Provider
	clock  func() time.Time
	byID   map[string]Identity
}

// New builds a provider. Nothing listens: serve Handler.
func New(cfg Config) (*Provider, error) {
	u, err := url.Parse(cfg.Issuer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("oidcdemo: issuer %q: want an http(s) URL without query", cfg.Issuer)
	}
	issuer := strings.TrimSuffix(cfg.Issuer, "/")
	p := &Provider{issuer: issuer, base: strings.TrimSuffix(u.Path, "/"), clock: cfg.Clock, byID: map[string]Identity{}}
	if p.clock == nil {
		p.clock = time.Now
	}
	ids := cfg.Identities
	if ids == nil {
		ids = DemoIdentities()
	}
	if err := validateIdentities(ids); err != nil {
		return nil, err
	}
	for _, id := range ids {
		p.byID[id.ID] = id
	}
	clients := map[string]*client{}
	for _, c := range cfg.Clients {
		if c.ID == "" || len(c.RedirectURIs) == 0 {
			return nil, fmt.Errorf("oidcdemo: client %q: an ID and a redirect URI are needed", c.ID)
		}
		if _, dup := clients[c.ID]; dup {
			return nil, fmt.Errorf("oidcdemo: client %q listed twice", c.ID)
		}
		clients[c.ID] = &client{Client: c, loginURL: issuer + pathLogin}
	}
	key := cfg.Key
	if key == nil {
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("oidcdemo: signing key: %w", err)
		}
	}
	p.store = newStorage(p.clock, key, keyID(key), clients, ids)

	opCfg := &op.Config{
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		DefaultLogoutRedirectURI: issuer + pathLoggedOut,
		SupportedUILocales:       []language.Tag{language.Vietnamese, language.English},
		SupportedClaims: append(op.DefaultSupportedClaims, ClaimAccountKind, ClaimCitizenID, ClaimTaxCode, ClaimEnterprise,
			ClaimFullName, ClaimEmail, ClaimPhone, ClaimBirthDate, ClaimTechID, ClaimLoA, ClaimIAL),
	}
	if _, err := rand.Read(opCfg.CryptoKey[:]); err != nil { // encrypts the codes and access tokens
		return nil, err
	}
	p.op, err = op.NewProvider(opCfg, p.store, op.StaticIssuer(issuer),
		op.WithAllowInsecure(), // http on 127.0.0.1 and in tests
		op.WithCustomAuthEndpoint(op.NewEndpoint(pathAuthorize)),
		op.WithCustomTokenEndpoint(op.NewEndpoint(pathToken)),
		op.WithCustomUserinfoEndpoint(op.NewEndpoint(pathUserinfo)),
		op.WithCustomKeysEndpoint(op.NewEndpoint(pathJWKS)),
		op.WithCustomRevocationEndpoint(op.NewEndpoint(pathRevoke)),
		op.WithCustomIntrospectionEndpoint(op.NewEndpoint(pathIntrospect)),
		op.WithCustomEndSessionEndpoint(op.NewEndpoint(pathEndSession)),
		op.WithCORSOptions(nil), // the relying parties are servers: no cross-origin browser calls
	)
	if err != nil {
		return nil, fmt.Errorf("oidcdemo: %w", err)
	}
	return p, nil
}

// keyID names a key by its RFC 7638 thumbprint: the same key, the same kid.
func keyID(k *rsa.PrivateKey) string {
	tp, err := (&jose.JSONWebKey{Key: &k.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil { // an RSA public key always has one
		sum := sha256.Sum256(k.N.Bytes())
		tp = sum[:]
	}
	return base64.RawURLEncoding.EncodeToString(tp[:12])
}

// Issuer is the provider's issuer URL, where the relying party starts
// discovery (Issuer + "/.well-known/openid-configuration").
func (p *Provider) Issuer() string { return p.issuer }

// Identities are the identities the login page offers.
func (p *Provider) Identities() []Identity { return p.store.identities }

// Identity returns the identity of that ID.
func (p *Provider) Identity(id string) (Identity, bool) {
	i, ok := p.byID[id]
	return i, ok
}

// Handler serves the provider at the issuer's path (requests keep their
// full path: mount it as mux.Handle("/sso-demo/", p.Handler())):
//
//	/.well-known/openid-configuration   discovery
//	/oauth2/authorize                   → 302 /login?authRequestID=…
//	/login                              GET the page, POST identity=<ID>
//	/oauth2/token, /oauth2/userinfo, /oauth2/jwks, /oauth2/revoke, /oauth2/introspect
//	/oidc/logout                        end_session_endpoint
//	/logged-out                         where a logout without a registered redirect ends
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	issuerCtx := op.NewIssuerInterceptor(p.op.IssuerFromRequest)
	mux.Handle("GET "+p.base+pathLogin, issuerCtx.HandlerFunc(p.loginPage))
	mux.Handle("POST "+p.base+pathLogin, issuerCtx.HandlerFunc(p.loginSubmit))
	mux.HandleFunc("GET "+p.base+pathLoggedOut, p.loggedOut)
	mux.HandleFunc("GET "+p.base+"/{$}", p.home)
	mux.Handle(p.base+"/", http.StripPrefix(p.base, p.op))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// The login page carries the auth request's ID and the redirects
		// carry codes: neither is told to another site.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
}
