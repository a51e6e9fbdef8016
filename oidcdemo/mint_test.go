package oidcdemo_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/oidcdemo"
)

func TestMintedTokens(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	claims := func(edit func(map[string]any)) map[string]any {
		c, err := p.IDTokenClaims(clientID, "congdan-vneid", "n-1")
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(c)
		}
		return c
	}
	ok, err := p.SignIDToken(claims(nil))
	if err != nil {
		t.Fatal(err)
	}
	idt, err := r.verifier.Verify(context.Background(), ok)
	if err != nil {
		t.Fatalf("a well-made token refused: %v", err)
	}
	if c := claimsOf(t, idt); idt.Nonce != "n-1" || c["SoDinhDanh"] != "001090012345" || c["acr"] != "LoA2" {
		t.Errorf("claims %v", c)
	}
	forged, err := p.ForgeIDToken(claims(nil))
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{
		"forged": forged,
		"expired": must(t)(p.SignIDToken(claims(func(c map[string]any) {
			c["exp"] = time.Now().Add(-time.Minute).Unix()
			c["iat"] = time.Now().Add(-11 * time.Minute).Unix()
		}))),
		"another audience": must(t)(p.SignIDToken(claims(func(c map[string]any) { c["aud"] = []string{"someone-else"} }))),
		"another issuer":   must(t)(p.SignIDToken(claims(func(c map[string]any) { c["iss"] = "https://evil.example" }))),
	} {
		if _, err := r.verifier.Verify(context.Background(), tok); err == nil {
			t.Errorf("%s token accepted", name)
		}
	}
	if _, err := p.IDTokenClaims(clientID, "nobody", ""); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("unknown identity: %v", err)
	}
}

func must(t *testing.T) func(string, error) string {
	return func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

func TestDemoIdentities(t *testing.T) {
	ids := oidcdemo.DemoIdentities()
	if _, err := oidcdemo.New(oidcdemo.Config{Issuer: "http://127.0.0.1/sso-demo", Identities: ids}); err != nil {
		t.Fatal(err)
	}
	kinds := map[int]int{}
	levels := map[int]int{}
	for _, id := range ids {
		kinds[id.Kind()]++
		levels[id.Level]++
		if _, key := id.Key(); key == "" {
			t.Errorf("%s: no key claim", id.ID)
		}
		if id.Claims[oidcdemo.ClaimLoA] != "LoA"+string(rune('0'+id.Level)) {
			t.Errorf("%s: loAs %v, level %d", id.ID, id.Claims[oidcdemo.ClaimLoA], id.Level)
		}
	}
	if kinds[oidcdemo.KindCitizen] < 3 || kinds[oidcdemo.KindEnterprise] < 1 || kinds[oidcdemo.KindOrganisation] < 1 || levels[1] < 1 {
		t.Errorf("kinds %v levels %v", kinds, levels)
	}
	// The demo citizen congdan (demo/seed.go) has this citizen ID: the
	// relying party must then ask him to link.
	if _, key := ids[0].Key(); key != "001090012345" || ids[0].Level != 2 {
		t.Errorf("first identity %s %s, want congdan's citizen ID at level 2", ids[0].ID, key)
	}
}

// TestDemoIdentitiesMatchTheDemo reads the demo's seed: congdan's citizen
// ID and the enterprise's tax code are the accounts the demo loads, and Lê
// Thị Mai is in the population records without an account.
func TestDemoIdentitiesMatchTheDemo(t *testing.T) {
	seed, err1 := os.ReadFile("../demo/seed.go")
	people, err2 := os.ReadFile("../demo/people.go")
	if err1 != nil || err2 != nil {
		t.Skip("demo sources not found:", err1, err2)
	}
	for _, want := range []string{`Username: "congdan", DisplayName: "Nguyễn Văn An", Kind: identity.KindCitizen, CitizenID: "001090012345"`,
		`TaxCode: "0101234567"`} {
		if !strings.Contains(string(seed), want) {
			t.Errorf("demo/seed.go no longer has %s: update DemoIdentities", want)
		}
	}
	if strings.Contains(string(seed), "001192007788") || !strings.Contains(string(people), `"citizen_id": "001192007788", "full_name": "Lê Thị Mai"`) {
		t.Error("Lê Thị Mai (001192007788) should be in demo/people.go's records and have no account in demo/seed.go")
	}
}
