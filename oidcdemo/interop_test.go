package oidcdemo_test

import (
	"context"
	"testing"

	"golang.org/x/oauth2"

	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/oidcdemo"
	"github.com/motcua/motcua/oidcrp"
)

// TestWithTheRelyingParty signs in as each demo identity through the
// platform's own relying party (package oidcrp): what it reads of each is
// what the demo means it to be.
func TestWithTheRelyingParty(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	rp := oidcrp.New(oidcrp.Config{Name: "dvcqg", Issuer: p.Issuer(), ClientID: clientID, ClientSecret: clientSecret, RedirectURL: rpCallback, ACRValues: "LoA2"})
	want := map[string]identity.SignOnIdentity{
		"congdan-vneid":  {Type: identity.SignOnCitizen, CitizenID: "001090012345", Name: "Nguyễn Văn An", Level: 2},
		"lethimai-vneid": {Type: identity.SignOnCitizen, CitizenID: "001192007788", Name: "Lê Thị Mai", Level: 2},
		"lethimai-muc1":  {Type: identity.SignOnCitizen, CitizenID: "001192007788", Name: "Lê Thị Mai", Level: 1},
		"songhong":       {Type: identity.SignOnEnterprise, TaxCode: "0101234567", Name: "Công ty TNHH Thương mại Sông Hồng", Level: 2},
		"truongtieuhoc":  {Type: identity.SignOnOrganization, TechID: "TECH-TC-000123", Level: 2},
	}
	ctx := context.Background()
	for _, demo := range oidcdemo.DemoIdentities() {
		w, ok := want[demo.ID]
		if !ok {
			t.Errorf("%s: no expectation", demo.ID)
			continue
		}
		verifier, nonce := oauth2.GenerateVerifier(), "nonce-"+demo.ID
		u, err := rp.AuthURL(ctx, "state-"+demo.ID, nonce, verifier)
		if err != nil {
			t.Fatal(err)
		}
		back, err := p.SignIn(u, demo.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := rp.Identity(ctx, back.Query().Get("code"), verifier, nonce)
		if err != nil {
			t.Fatalf("%s: %v", demo.ID, err)
		}
		if got.Issuer != p.Issuer() || got.Subject != demo.Sub || got.Type != w.Type || got.CitizenID != w.CitizenID ||
			got.TaxCode != w.TaxCode || got.Level != w.Level || (w.TechID != "" && got.TechID != w.TechID) || (w.Name != "" && got.Name != w.Name) {
			t.Errorf("%s: the relying party read %+v, want %+v", demo.ID, got, w)
		}
	}
}
