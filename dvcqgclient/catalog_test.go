package dvcqgclient_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/dvcqgclient/catalogtest"
	"github.com/motcua/motcua/errs"
)

func TestClient(t *testing.T) {
	ctx := context.Background()
	p := catalogtest.New(t, catalogtest.FromProcedure(catalog.Procedure{Name: "Đăng ký khai sinh", Field: "Hộ tịch", Level: catalog.LevelCommune,
		ProcessingTime: catalog.Duration{Days: 1}, Fees: []catalog.Fee{{Code: "LP01", Name: "Lệ phí", Amount: 8000}}}, "1.001193"))
	c := dvcqgclient.New(dvcqgclient.Config{URL: p.URL, Username: catalogtest.Username, Password: catalogtest.Password, Agency: "000.00.01.H01", Timeout: time.Second})
	list, err := c.List(ctx)
	if err != nil || len(list) != 1 || list[0].MaTTHC != "1.001193" || list[0].TenLinhVuc != "Hộ tịch" || list[0].CapThucHien[0].Name != "Cấp Xã" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	rec, ok, err := c.Procedure(ctx, "1.001193")
	if err != nil || !ok || rec.TenTTHC != "Đăng ký khai sinh" {
		t.Fatalf("Procedure = %+v %v %v", rec, ok, err)
	}
	if f := rec.Fields(list[0]); f.ProcessingTime == nil || f.ProcessingTime.Days != 1 || len(f.Fees) != 1 || f.Fees[0].Amount != 8000 {
		t.Errorf("fields %+v", f)
	}
	if _, ok, err := c.Procedure(ctx, "9.999999"); ok || err != nil {
		t.Errorf("unknown code: %v %v", ok, err)
	}
	if n := p.Logins.Load(); n != 1 {
		t.Errorf("%d logins for one session", n)
	}
	// An expired session: logged in again, once.
	p.ExpireSessions()
	if _, ok, err := c.Procedure(ctx, "1.001193"); !ok || err != nil {
		t.Errorf("after the session expired: %v %v", ok, err)
	}
	if n := p.Logins.Load(); n != 2 {
		t.Errorf("%d logins after expiry", n)
	}

	for name, c := range map[string]*dvcqgclient.Client{
		"wrong password": dvcqgclient.New(dvcqgclient.Config{URL: p.URL, Username: catalogtest.Username, Password: "sai", Agency: "", Timeout: time.Second}),
		"no portal":      dvcqgclient.New(dvcqgclient.Config{URL: "http://127.0.0.1:1", Username: catalogtest.Username, Password: catalogtest.Password, Agency: "", Timeout: time.Second}),
	} {
		_, err := c.List(ctx)
		if e, ok := errs.As(err); !ok || e.Kind != errs.Unavailable || e.Message == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	p.SetDown(true)
	if _, err := dvcqgclient.New(dvcqgclient.Config{URL: p.URL, Username: catalogtest.Username, Password: catalogtest.Password, Agency: "", Timeout: time.Second}).List(ctx); errs.KindOf(err) != errs.Unavailable {
		t.Errorf("portal down: %v", err)
	}
}
