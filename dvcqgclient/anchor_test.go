package dvcqgclient_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/national/httpapi"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

// TestPostAnchor posts to the real national mode (national.Service over
// its own SQLite store): an anchor is kept under the caller's province, a
// malformed one is refused with "-1" and no error, and wrong credentials
// or no national mode are errors (send again later), in either style.
func TestPostAnchor(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	units := unit.MustLoad()
	cat, err := national.DemoCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := national.New(national.Config{Store: db, Units: units, Catalogue: cat, Accounts: national.DemoAccounts(units), Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(svc, httpapi.Options{Logger: quiet}))
	defer srv.Close()

	anchor := func(at time.Time) []byte {
		b, _ := json.Marshal(map[string]any{
			"at":        at,
			"heads":     []audit.Head{{Chain: 1, Seq: 3, Hash: strings.Repeat("ab", 32)}},
			"certs":     [][]byte{[]byte("der")},
			"signature": []byte("sig"),
		})
		return b
	}
	at := time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC)
	for _, style := range []dvcqgclient.Style{dvcqgclient.StyleAdapter, dvcqgclient.StyleThreeURL} {
		c := dvcqgclient.New(dvcqgclient.Config{URL: srv.URL + "/", Username: "tinh-79", Password: "matkhau-79", Style: style, Timeout: time.Second})
		at = at.Add(time.Minute)
		if ans, err := c.PostAnchor(ctx, anchor(at)); err != nil || !ans.Accepted() {
			t.Errorf("%s: anchor = %+v, %v", style, ans, err)
		}
		if ans, err := c.PostAnchor(ctx, []byte(`{"heads":[]}`)); err != nil || ans.Accepted() || ans.Code != "-1" || ans.Message == "" {
			t.Errorf("%s: malformed anchor = %+v, %v", style, ans, err)
		}
	}
	got, err := svc.Anchors(ctx, "79", 10)
	if err != nil || len(got) != 2 || !strings.Contains(string(got[0]), at.Format(time.RFC3339)) {
		t.Errorf("anchors of 79 = %s, %v", got, err)
	}
	for name, c := range map[string]*dvcqgclient.Client{
		"wrong password": dvcqgclient.New(dvcqgclient.Config{URL: srv.URL, Username: "tinh-79", Password: "sai", Timeout: time.Second}),
		"no national":    dvcqgclient.New(dvcqgclient.Config{URL: "http://127.0.0.1:1", Username: "tinh-79", Password: "matkhau-79", Timeout: time.Second}),
	} {
		if _, err := c.PostAnchor(ctx, anchor(at.Add(time.Hour))); errs.KindOf(err) != errs.Unavailable {
			t.Errorf("%s: %v", name, err)
		}
	}
}
