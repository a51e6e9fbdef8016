package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/national/nationaltest"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/store/storetest"
	"github.com/motcua/motcua/unit"
)

// TestServeNational starts the real binary with `serve --national` (on
// SQLite, and on PostgreSQL when MOTCUA_TEST_POSTGRES is set), syncs a
// dossier and its progress in each style of dvcqg/PROTOCOL.md, reads them
// back through the national look-up and the statistics, and stops it.
func TestServeNational(t *testing.T) {
	stores := map[string]func(t *testing.T) []string{
		"sqlite": func(t *testing.T) []string { return []string{"--data", filepath.Join(t.TempDir(), "national")} },
		"postgres": func(t *testing.T) []string {
			base := os.Getenv("MOTCUA_TEST_POSTGRES")
			if base == "" {
				t.Skip("MOTCUA_TEST_POSTGRES is not set")
			}
			return []string{"--db", freshSchema(t, base), "--data", t.TempDir()}
		},
	}
	for name, args := range stores {
		t.Run(name, func(t *testing.T) {
			s := startServer(t, append([]string{"--national"}, args(t)...)...)
			if !strings.Contains(s.logs.String(), "matkhau-01") {
				t.Errorf("the demo credentials are not printed at start:\n%s", s.logs)
			}
			post := func(path, basic string, body any) dvcqg.Reply {
				t.Helper()
				b, _ := json.Marshal(body)
				req, _ := http.NewRequest("POST", s.base+path, strings.NewReader(string(b)))
				req.Header.Set("Content-Type", "application/json")
				if u, p, ok := strings.Cut(basic, ":"); ok {
					req.SetBasicAuth(u, p)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				raw, _ := io.ReadAll(res.Body)
				var rep dvcqg.Reply
				if res.StatusCode != 200 || json.Unmarshal(raw, &rep) != nil {
					t.Fatalf("POST %s = %d %s", path, res.StatusCode, raw)
				}
				return rep
			}
			at := time.Date(2026, 11, 23, 8, 0, 0, 0, calendar.VN)

			// Style A: Hà Nội logs in, adds a dossier and its progress.
			login := post("/dvcqg/adapter/auth", "", map[string]string{"username": "tinh-01", "password": "matkhau-01"})
			a := nationaltest.Dossier(nationaltest.Code("01", 1), at)
			for _, call := range []map[string]any{
				{"service": "DongBoHoSoMC", "isUpdating": "False", "data": []dvcqg.Dossier{a}},
				{"service": "CapNhatTienDoHoSoMC", "data": []dvcqg.Progress{nationaltest.Progress(a.MaHoSo, at, 1), nationaltest.Progress(a.MaHoSo, at.Add(time.Hour), 2)}},
			} {
				call["session"], call["madonvi"] = login.Session, "000.00.01.H01"
				if rep := post("/dvcqg/adapter/integration", "", call); rep.ErrorCode != "0" || !strings.Contains(rep.Message, "thành công") {
					t.Fatalf("%s = %+v", call["service"], rep)
				}
			}
			// Style B: Hồ Chí Minh adds, syncs progress, and updates.
			b := nationaltest.Dossier(nationaltest.Code("79", 1), at)
			for _, step := range []struct {
				path string
				body any
				code string
			}{
				{"/dvcqg/them-moi", []dvcqg.Dossier{b}, "0"},
				{"/dvcqg/them-moi", []dvcqg.Dossier{b}, "3"},
				{"/dvcqg/dong-bo-tien-trinh", []dvcqg.Progress{nationaltest.Progress(b.MaHoSo, at, 1)}, "0"},
				{"/dvcqg/cap-nhat", []dvcqg.Dossier{nationaltest.Finished(b, at.Add(24*time.Hour))}, "0"},
			} {
				if rep := post(step.path, "tinh-79:matkhau-79", step.body); rep.ErrorCode != step.code {
					t.Fatalf("%s = %+v, want %s", step.path, rep, step.code)
				}
			}

			// The national look-up finds both, each under its province.
			for code, want := range map[string]struct {
				province string
				status   dvcqg.Code
				progress int
			}{a.MaHoSo: {"01", 2, 2}, b.MaHoSo: {"79", 10, 1}} {
				var l national.Lookup
				if st := s.call(t, "GET", "/api/v1/national/dossiers/"+code, "", "", &l); st != 200 || l.Province != want.province ||
					l.Record.TrangThaiHoSo != want.status || len(l.Progress) != want.progress {
					t.Errorf("look-up %s = %d %+v", code, st, l)
				}
			}
			var st national.Stats
			if code := s.call(t, "GET", "/api/v1/national/stats", "", "", &st); code != 200 || st.Totals.Synced != 2 || st.Totals.Finished != 1 {
				t.Errorf("stats = %d %+v", code, st.Totals)
			}
			s.stop(t)
		})
	}
}

// TestServeNationalFlags: the national mode refuses a province's store, a
// malformed accounts file and bad limits before it listens.
func TestServeNationalFlags(t *testing.T) {
	province := t.TempDir()
	db, err := sqlstore.OpenSQLite(context.Background(), province)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(context.Background(), func(tx store.Tx) error {
		return tx.PutAgency(context.Background(), storetest.Agency("000.00.01.H26", "UBND phường Ba Đình", unit.KindCommuneCommittee, "00004"))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	accounts := filepath.Join(t.TempDir(), "accounts.json")
	if err := writeFile(accounts, `{"01": {"username": "hanoi"}}`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"a province's store", []string{"--data", province}, "của một tỉnh"},
		{"an accounts file without password", []string{"--data", t.TempDir(), "--national-accounts", accounts}, "password"},
		{"an accounts file missing", []string{"--data", t.TempDir(), "--national-accounts", filepath.Join(t.TempDir(), "none.json")}, "no such file"},
		{"no request at once", []string{"--data", t.TempDir(), "--national-inflight", "0"}, "at least 1"},
		{"a short read token", []string{"--data", t.TempDir(), "--national-read-token", "short"}, "16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(append([]string{"serve", "--national", "--addr", "127.0.0.1:0"}, tc.args...)...)
			if code == 0 || !strings.Contains(errOut, tc.says) {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", code, errOut, tc.says)
			}
		})
	}
}
