package oidcdemo

import (
	"strconv"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// authRequest is one authorization request, from /authorize until its code
// is exchanged (op.AuthRequest). It is kept by the storage, behind its
// mutex; the library reads copies.
type authRequest struct {
	id           string
	created      time.Time
	clientID     string
	redirectURI  string
	scopes       []string
	state        string
	nonce        string
	responseType oidc.ResponseType
	responseMode oidc.ResponseMode
	challenge    *oidc.CodeChallenge
	acrValues    []string

	// Set when an identity is chosen on the login page.
	done     bool
	subject  string
	level    int
	authTime time.Time
	// exchanged is set by the first token answer: a second exchange of the
	// same code, even concurrent, is refused.
	exchanged bool
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return acrPrefix + strconv.Itoa(a.level) }
func (a *authRequest) GetAMR() []string                      { return []string{"pwd"} }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

// requestedLevel is the level acr_values asks for (the highest LoA named),
// 0 when none.
func (a *authRequest) requestedLevel() int {
	lvl := 0
	for _, v := range a.acrValues {
		if len(v) == len(acrPrefix)+1 && v[:len(acrPrefix)] == acrPrefix && v[len(acrPrefix)] >= '1' && v[len(acrPrefix)] <= '9' {
			lvl = max(lvl, int(v[len(acrPrefix)]-'0'))
		}
	}
	return lvl
}
