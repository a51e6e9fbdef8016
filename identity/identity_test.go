package identity

import (
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/errs"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("demo")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "demo") {
		t.Error("correct password rejected")
	}
	for _, bad := range []string{"", "Demo", "demo "} {
		if CheckPassword(h, bad) {
			t.Errorf("wrong password %q accepted", bad)
		}
	}
	for _, malformed := range []string{"", "$argon2id$", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA"} {
		if CheckPassword(malformed, "demo") {
			t.Errorf("malformed hash %q accepted", malformed)
		}
	}
	h2, _ := HashPassword("demo")
	if h == h2 {
		t.Error("hashes must be salted")
	}
}

func TestCan(t *testing.T) {
	admin := &Account{Kind: KindOfficial, Grants: []Grant{{Role: RoleAdmin, AgencyID: "A"}}}
	recv := &Account{Kind: KindOfficial, Grants: []Grant{{Role: RoleReceiver, AgencyID: "A"}}}
	citizen := &Account{Kind: KindCitizen}
	disabled := &Account{Kind: KindOfficial, Disabled: true, Grants: []Grant{{Role: RoleAdmin, AgencyID: "A"}}}
	portal := &Account{Kind: KindService, Grants: []Grant{{Role: RoleNationalPortal, AgencyID: "P"}}}
	tests := []struct {
		name   string
		a      *Account
		perm   Permission
		agency string
		want   bool
	}{
		{"admin manages catalogue", admin, PermCatalogManage, "", true},
		{"admin anywhere", admin, PermAgencyManage, "B", true},
		{"receiver handles at own agency", recv, PermDossierHandle, "A", true},
		{"receiver not at another agency", recv, PermDossierHandle, "B", false},
		{"receiver cannot manage catalogue", recv, PermCatalogManage, "", false},
		{"citizen submits", citizen, PermDossierSubmit, "", true},
		{"citizen cannot read audit", citizen, PermAuditRead, "", false},
		{"disabled can nothing", disabled, PermCatalogManage, "", false},
		{"portal hands dossiers over", portal, PermNationalInbound, "", true},
		{"portal handles no dossier", portal, PermDossierHandle, "P", false},
		{"portal submits nothing itself", portal, PermDossierSubmit, "", false},
		{"admin hands nothing over", admin, PermNationalInbound, "", false},
		{"citizen hands nothing over", citizen, PermNationalInbound, "", false},
		{"admin oversees the national sync", admin, PermNationalSync, "", true},
		{"receiver does not", recv, PermNationalSync, "", false},
		{"portal does not", portal, PermNationalSync, "", false},
		{"nil can nothing", nil, PermDossierSubmit, "", false},
	}
	for _, tt := range tests {
		if got := tt.a.Can(tt.perm, tt.agency); got != tt.want {
			t.Errorf("%s: Can = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValidateAccount(t *testing.T) {
	tests := []struct {
		name  string
		a     Account
		field string
	}{
		{"ok citizen", Account{Username: "congdan", DisplayName: "Nguyễn Văn An", Kind: KindCitizen, CitizenID: "001090012345"}, ""},
		{"bad username", Account{Username: "A B", DisplayName: "x", Kind: KindOfficial}, "username"},
		{"citizen without id", Account{Username: "abc", DisplayName: "x", Kind: KindCitizen}, "citizen_id"},
		{"bad cccd century digit", Account{Username: "abc", DisplayName: "x", Kind: KindCitizen, CitizenID: "001990012345"}, "citizen_id"},
		{"bad tax code", Account{Username: "dn1", DisplayName: "x", Kind: KindEnterprise, TaxCode: "123"}, "tax_code"},
		{"grant to citizen", Account{Username: "abc", DisplayName: "x", Kind: KindCitizen, CitizenID: "001090012345", Grants: []Grant{{Role: RoleAdmin, AgencyID: "A"}}}, "grants[0]"},
		{"national portal role to an official", Account{Username: "abc", DisplayName: "x", Kind: KindOfficial, Grants: []Grant{{Role: RoleNationalPortal, AgencyID: "A"}}}, "grants[0].role"},
		{"national portal role to a service", Account{Username: "cong-dvcqg", DisplayName: "Cổng Dịch vụ công quốc gia", Kind: KindService, Grants: []Grant{{Role: RoleNationalPortal, AgencyID: "A"}}}, ""},
		{"bad role", Account{Username: "abc", DisplayName: "x", Kind: KindOfficial, Grants: []Grant{{Role: "boss", AgencyID: "A"}}}, "grants[0].role"},
		{"display name of zero-width spaces", Account{Username: "abc", DisplayName: "\u200b\u200b", Kind: KindOfficial}, "display_name"},
		{"display name of white space", Account{Username: "abc", DisplayName: " \u3000\u00a0", Kind: KindOfficial}, "display_name"},
		{"display name with NUL", Account{Username: "abc", DisplayName: "An\x00", Kind: KindOfficial}, "display_name"},
		{"display name with BEL", Account{Username: "abc", DisplayName: "An\a", Kind: KindOfficial}, "display_name"},
		{"display name with right-to-left override", Account{Username: "abc", DisplayName: "An\u202e", Kind: KindOfficial}, "display_name"},
	}
	for _, tt := range tests {
		err := tt.a.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.Invalid {
			t.Errorf("%s: err = %v, want invalid", tt.name, err)
			continue
		}
		found := false
		for _, f := range e.Fields {
			found = found || f.Field == tt.field
		}
		if !found {
			t.Errorf("%s: fields %+v lack %q", tt.name, e.Fields, tt.field)
		}
	}
}

func TestToken(t *testing.T) {
	tok, h, err := NewToken()
	if err != nil || len(tok) < 40 || HashToken(tok) != h {
		t.Fatalf("NewToken = %q %q %v", tok, h, err)
	}
}

func TestValidateDisplayNameNFC(t *testing.T) {
	a := Account{Username: "abc", DisplayName: norm.NFD.String(" Nguyễn  Thị Hoà "), Kind: KindOfficial}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if a.DisplayName != "Nguyễn Thị Hòa" {
		t.Errorf("display name %q (% x)", a.DisplayName, a.DisplayName)
	}
}
