package oidcdemo

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"maps"
	"sync"

	jose "github.com/go-jose/go-jose/v4"
)

// Tokens made by hand, for the relying party's negative tests: an ID token
// expired, for another audience, with another nonce, or signed by a key
// that is not the provider's.

// IDTokenClaims are the claims of a valid ID token for the identity, as the
// code flow would give clientID: iss, sub, aud, azp, iat and exp (from the
// provider's Clock), auth_time, nonce (if not empty), acr and the
// identity's claims. Change them, then sign with SignIDToken or
// ForgeIDToken.
func (p *Provider) IDTokenClaims(clientID, identityID, nonce string) (map[string]any, error) {
	id, ok := p.byID[identityID]
	if !ok {
		return nil, fmt.Errorf("%w %q", errUnknownIdentity, identityID)
	}
	now := p.clock()
	c := maps.Clone(id.Claims)
	maps.Copy(c, map[string]any{
		"iss": p.issuer, "sub": id.Sub, "aud": []string{clientID}, "azp": clientID,
		"iat": now.Unix(), "exp": now.Add(idTokenLifetime).Unix(), "auth_time": now.Unix(), "acr": id.acr(),
	})
	if nonce != "" {
		c["nonce"] = nonce
	}
	return c, nil
}

// SignIDToken signs claims as an RS256 JWT with the provider's key (its
// kid in the header): a token the relying party's verifier accepts if the
// claims are right.
func (p *Provider) SignIDToken(claims map[string]any) (string, error) {
	return sign(p.store.key, p.store.keyID, claims)
}

var (
	forgeOnce sync.Once
	forgeKey  *rsa.PrivateKey
	forgeErr  error
)

// ForgeIDToken signs claims with a key that is not the provider's but with
// the provider's kid: what a forger would send. The verifier must refuse it.
func (p *Provider) ForgeIDToken(claims map[string]any) (string, error) {
	forgeOnce.Do(func() { forgeKey, forgeErr = rsa.GenerateKey(rand.Reader, 2048) })
	if forgeErr != nil {
		return "", forgeErr
	}
	return sign(forgeKey, p.store.keyID, claims)
}

func sign(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}
