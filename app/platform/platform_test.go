package platform_test

import (
	"testing"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/registry"
)

// New wires every service, or refuses a configuration it cannot serve.
func TestNew(t *testing.T) {
	e := apptest.New(t)
	a := e.App
	if a.Kernel == nil || a.Province == nil || a.Accounts == nil || a.ShareData == nil || a.Results == nil || a.Dossiers == nil || a.Dashboard == nil || a.AuditLog == nil || a.PortalSync == nil {
		t.Fatalf("services = %+v", a)
	}
	if a.Kernel.Province.Code != "01" || !a.Kernel.Now().Equal(apptest.Start) {
		t.Errorf("kernel for %s at %v", a.Kernel.Province.Code, a.Kernel.Now())
	}
	remote := registry.Builtin()
	remote[0].Remote = &registry.Remote{URL: "https://x.example.vn/{dataset}/{key}"}
	for _, tt := range []struct {
		name string
		cfg  platform.Config
	}{
		{"unknown province", platform.Config{ProvinceCode: "02"}},
		{"no province", platform.Config{}},
		{"remote dataset without a source", platform.Config{ProvinceCode: "01", Datasets: remote}},
	} {
		if _, err := platform.New(e.Ctx, e.Store, tt.cfg); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}
