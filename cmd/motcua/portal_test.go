package main

import (
	"flag"
	"io"
	"net/url"
	"testing"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/internal/httpfetch"
)

// TestNationalFlags: the national portal's flags give the catalogue's
// client and the hosts papers are fetched from, the host of --national-url
// by default.
func TestNationalFlags(t *testing.T) {
	parse := func(args ...string) (*platform.Config, error) {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var nf portalFlags
		nf.register(fs)
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		cfg := &platform.Config{ProvinceCode: "01"}
		return cfg, nf.apply(cfg, 20<<20, args[len(args)-1] == "demo")
	}
	allowed := func(cfg *platform.Config, u string) bool {
		p, _ := url.Parse(u)
		return cfg.NationalFiles != nil && cfg.NationalFiles.(*httpfetch.Fetcher).Allowed(p)
	}
	cfg, err := parse("--national-url", "https://dvcqg.example.gov.vn:8443/", "--national-user", "tinh-01", "x")
	if err != nil || cfg.NationalCatalog == nil || !cfg.NationalSync || !allowed(cfg, "https://dvcqg.example.gov.vn/tep/a.pdf") || allowed(cfg, "https://tep.example.vn/a.pdf") {
		t.Errorf("default hosts: %v", err)
	}
	cfg, err = parse("--national-url", "http://127.0.0.1:8090", "--national-files-hosts", "tep.example.vn, 10.0.0.7:9000", "demo")
	if err != nil || cfg.NationalCatalog == nil || !allowed(cfg, "https://tep.example.vn/a.pdf") || !allowed(cfg, "http://10.0.0.7:9000/a") || allowed(cfg, "http://127.0.0.1:8090/a") {
		t.Errorf("listed hosts, demo credentials: %v", err)
	}
	if cfg, err := parse("x"); err != nil || cfg.NationalCatalog != nil || cfg.NationalFiles != nil || cfg.NationalSync {
		t.Errorf("unset: %+v %v", cfg, err)
	}
	for _, args := range [][]string{{"--national-url", "dvcqg.example.gov.vn", "x"}, {"--national-url", "https://dvcqg.example.gov.vn", "x"}, {"--national-file-timeout", "0s", "x"}} {
		if _, err := parse(args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
