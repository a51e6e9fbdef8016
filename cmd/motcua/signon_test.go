package main

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/platform"
)

// TestSignOnFlags: one provider by flags and more from --oidc-config
// (VNeID beside the national portal), each with its own client; bad
// configurations refused before anything starts.
func TestSignOnFlags(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := writeFile(secret, "s3cret\n"); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VNEID_SECRET", "other")
	good := filepath.Join(dir, "good.json")
	if err := writeFile(good, `[{"name":"vneid","label":"VNeID","issuer":"https://sso.dancuquocgia.gov.vn","client_id":"tinh-01","client_secret_env":"VNEID_SECRET","acr_values":"IAL2"},
		{"name":"doanh-nghiep","issuer":"https://sso.example.vn/dn","client_id":"c2","client_secret_file":"`+secret+`"}]`); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		file    string
		args    []string
		want    []string // provider names
		refused string
	}{
		{"flags and a file", good, []string{"--oidc-issuer", "https://xacthuc.dichvucong.gov.vn", "--oidc-client-id", "c1", "--oidc-client-secret-file", secret}, []string{"vneid", "doanh-nghiep", "dvcqg"}, ""},
		{"a file alone", good, nil, []string{"vneid", "doanh-nghiep"}, ""},
		{"not JSON", `{`, nil, nil, "JSON"},
		{"a name taken", `[{"name":"a","issuer":"https://a.vn","client_id":"x"},{"name":"a","issuer":"https://b.vn","client_id":"y"}]`, nil, nil, "không trùng"},
		{"no client", `[{"name":"a","issuer":"https://a.vn"}]`, nil, nil, "client_id"},
		{"not a URL", `[{"name":"a","issuer":"ftp://a.vn","client_id":"x"}]`, nil, nil, "issuer"},
		{"a bad level", good, []string{"--oidc-min-level", "9"}, nil, "1 to 4"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.file
			if !strings.HasSuffix(path, ".json") {
				path = filepath.Join(t.TempDir(), "c.json")
				if err := writeFile(path, tt.file); err != nil {
					t.Fatal(err)
				}
			}
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			var f signOnFlags
			f.register(fs)
			if err := fs.Parse(append([]string{"--oidc-config", path}, tt.args...)); err != nil {
				t.Fatal(err)
			}
			var cfg platform.Config
			err := f.apply(&cfg, "https://dichvucong.tinh.gov.vn")
			if tt.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tt.refused) {
					t.Fatalf("err = %v, want one saying %q", err, tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range cfg.SignOn.Providers {
				got = append(got, p.Name())
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") || cfg.SignOn.MinLevel != 2 {
				t.Errorf("providers %v (level %d), want %v", got, cfg.SignOn.MinLevel, tt.want)
			}
		})
	}
}
