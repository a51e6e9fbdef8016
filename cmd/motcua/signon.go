package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/oidcrp"
)

// signOnFlags configure the national sign-on (VNeID / the national public
// service portal) over OpenID Connect.
type signOnFlags struct {
	issuer, clientID, secretFile, acr, label, redirect string
	minLevel                                           int
	configFile                                         string
}

// signOnProvider is one provider of --oidc-config.
type signOnProvider struct {
	Name             string `json:"name"`
	Label            string `json:"label"`
	Issuer           string `json:"issuer"`
	ClientID         string `json:"client_id"`
	ClientSecretFile string `json:"client_secret_file"`
	ClientSecretEnv  string `json:"client_secret_env"`
	ACR              string `json:"acr_values"`
	RedirectURL      string `json:"redirect_url"`
}

func (f *signOnFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.issuer, "oidc-issuer", os.Getenv("MOTCUA_OIDC_ISSUER"), "issuer URL of the national sign-on (OpenID Connect; its discovery document is read at the first sign-on); unset: no national sign-on [MOTCUA_OIDC_ISSUER]")
	fs.StringVar(&f.clientID, "oidc-client-id", os.Getenv("MOTCUA_OIDC_CLIENT_ID"), "the province's client ID at the sign-on [MOTCUA_OIDC_CLIENT_ID]")
	fs.StringVar(&f.secretFile, "oidc-client-secret-file", os.Getenv("MOTCUA_OIDC_CLIENT_SECRET_FILE"), "file holding the client secret (or MOTCUA_OIDC_CLIENT_SECRET); never a flag, never logged [MOTCUA_OIDC_CLIENT_SECRET_FILE]")
	fs.StringVar(&f.acr, "oidc-acr", envOr("MOTCUA_OIDC_ACR", "LoA2"), "acr_values asked of the sign-on (empty: none) [MOTCUA_OIDC_ACR]")
	fs.IntVar(&f.minLevel, "oidc-min-level", envInt("MOTCUA_OIDC_MIN_LEVEL", 2), "assurance level (loAs/IAL) from which an account is identity-verified [MOTCUA_OIDC_MIN_LEVEL]")
	fs.StringVar(&f.label, "oidc-label", envOr("MOTCUA_OIDC_LABEL", "VNeID / Cổng DVCQG"), "the sign-on button's text [MOTCUA_OIDC_LABEL]")
	fs.StringVar(&f.configFile, "oidc-config", os.Getenv("MOTCUA_OIDC_CONFIG"), "JSON file of more sign-on providers: [{\"name\",\"label\",\"issuer\",\"client_id\",\"client_secret_file\" or \"client_secret_env\",\"acr_values\",\"redirect_url\"}] (e.g. VNeID beside the national portal) [MOTCUA_OIDC_CONFIG]")
	fs.StringVar(&f.redirect, "oidc-redirect-url", os.Getenv("MOTCUA_OIDC_REDIRECT_URL"), "this platform's callback registered at the sign-on (default: <public-url>/dang-nhap/sso/callback) [MOTCUA_OIDC_REDIRECT_URL]")
}

// SignOnCallback is the path the providers send the browser back to.
const signOnCallback = "/dang-nhap/sso/callback"

// apply adds the configured provider to cfg.SignOn; publicURL is where the
// platform is reached.
func (f *signOnFlags) apply(cfg *platform.Config, publicURL string) error {
	if f.minLevel < 1 || f.minLevel > 4 {
		return cli.UsageError(fmt.Sprintf("--oidc-min-level %d: từ 1 đến 4 (1 to 4)", f.minLevel))
	}
	cfg.SignOn.MinLevel = f.minLevel
	if f.configFile != "" {
		if err := f.applyFile(cfg, publicURL); err != nil {
			return err
		}
	}
	if f.issuer == "" {
		return nil
	}
	if u, err := url.Parse(f.issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return cli.UsageError("--oidc-issuer: cần địa chỉ http(s) (an http(s) URL is needed): " + f.issuer)
	}
	if f.clientID == "" {
		return cli.UsageError("--oidc-issuer: cần --oidc-client-id (the client ID is needed)")
	}
	secret := os.Getenv("MOTCUA_OIDC_CLIENT_SECRET")
	if f.secretFile != "" {
		b, err := os.ReadFile(f.secretFile)
		if err != nil {
			return cli.UsageError("--oidc-client-secret-file: " + err.Error())
		}
		secret = strings.TrimSpace(string(b))
	}
	redirect := f.redirect
	if redirect == "" {
		redirect = strings.TrimRight(publicURL, "/") + signOnCallback
	}
	cfg.SignOn.Providers = append(cfg.SignOn.Providers, oidcrp.New(oidcrp.Config{Name: "dvcqg", Label: f.label, Issuer: f.issuer,
		ClientID: f.clientID, ClientSecret: secret, RedirectURL: redirect, ACRValues: f.acr}))
	return nil
}

// applyFile adds the providers of --oidc-config.
func (f *signOnFlags) applyFile(cfg *platform.Config, publicURL string) error {
	b, err := os.ReadFile(f.configFile)
	if err != nil {
		return cli.UsageError("--oidc-config: " + err.Error())
	}
	var ps []signOnProvider
	if err := json.Unmarshal(b, &ps); err != nil {
		return cli.UsageError("--oidc-config: không phải JSON hợp lệ (not valid JSON): " + err.Error())
	}
	seen := map[string]bool{"dvcqg": f.issuer != ""}
	for i, p := range ps {
		where := fmt.Sprintf("--oidc-config [%d]", i)
		if !providerName.MatchString(p.Name) || seen[p.Name] {
			return cli.UsageError(where + ": name gồm chữ thường, số, gạch và không trùng (a unique lowercase name is needed): " + p.Name)
		}
		seen[p.Name] = true
		if u, err := url.Parse(p.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || p.ClientID == "" {
			return cli.UsageError(where + ": cần issuer http(s) và client_id (an http(s) issuer and a client_id are needed)")
		}
		secret := ""
		switch {
		case p.ClientSecretFile != "":
			b, err := os.ReadFile(p.ClientSecretFile)
			if err != nil {
				return cli.UsageError(where + ": " + err.Error())
			}
			secret = strings.TrimSpace(string(b))
		case p.ClientSecretEnv != "":
			secret = os.Getenv(p.ClientSecretEnv)
		}
		if p.RedirectURL == "" {
			p.RedirectURL = strings.TrimRight(publicURL, "/") + signOnCallback
		}
		if p.Label == "" {
			p.Label = p.Name
		}
		cfg.SignOn.Providers = append(cfg.SignOn.Providers, oidcrp.New(oidcrp.Config{Name: p.Name, Label: p.Label, Issuer: p.Issuer,
			ClientID: p.ClientID, ClientSecret: secret, RedirectURL: p.RedirectURL, ACRValues: p.ACR}))
	}
	return nil
}

var providerName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

var _ accounts.IdentityProvider = (*oidcrp.Provider)(nil)
