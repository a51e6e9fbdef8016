package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/national/nationaltest"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

// fuzzHandler is the national mode over a SQLite store, with Hà Nội's
// dossier nationaltest.Code("01", 1) stored and a session of Hà Nội.
func fuzzHandler(f *testing.F) (*Handler, string) {
	db, err := sqlstore.OpenSQLite(context.Background(), f.TempDir(), sqlstore.WithSync(sqlstore.SyncNormal))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	units := unit.MustLoad()
	cat, err := national.DemoCatalogue()
	if err != nil {
		f.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := national.New(national.Config{Store: db, Units: units, Catalogue: cat, Accounts: national.DemoAccounts(units), Log: log})
	if err != nil {
		f.Fatal(err)
	}
	tok, c, err := svc.Login("tinh-01", "matkhau-01")
	if err != nil {
		f.Fatal(err)
	}
	if _, err := svc.AddDossiers(context.Background(), c, []dvcqg.Dossier{nationaltest.Dossier(nationaltest.Code("01", 1), time.Now())}); err != nil {
		f.Fatal(err)
	}
	return New(svc, Options{Logger: log}), tok
}

// answered checks what any body gets: 200, 400 or 413 with a reply of a
// known code, never a panic or a 500.
func answered(t *testing.T, rec *httptest.ResponseRecorder, body string) {
	if !slices.Contains([]int{200, 400, 413}, rec.Code) {
		t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
	}
	var rep dvcqg.Reply
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatalf("not a reply for %q: %s", body, rec.Body)
	}
	if !slices.Contains([]string{"0", "3", "-1", "-2", "-4"}, rep.ErrorCode) || rep.Message == "" {
		t.Fatalf("reply %+v for %q", rep, body)
	}
}

// FuzzIntegration sends any body to the adapter endpoint ("$S" stands for
// a live session).
func FuzzIntegration(f *testing.F) {
	h, tok := fuzzHandler(f)
	code := nationaltest.Code("01", 1)
	d, _ := json.Marshal([]dvcqg.Dossier{nationaltest.Dossier(nationaltest.Code("01", 2), time.Now())})
	p, _ := json.Marshal([]dvcqg.Progress{nationaltest.Progress(code, time.Now(), 1)})
	for _, seed := range []string{
		`{"session":"$S","madonvi":"000.00.01.H01","service":"DongBoHoSoMC","isUpdating":"False","data":` + string(d) + `}`,
		`{"session":"$S","madonvi":"000.00.01.H01","service":"DongBoHoSoMC","isUpdating":"True","data":` + string(d) + `}`,
		`{"session":"$S","madonvi":"000.00.01.H01","service":"CapNhatTienDoHoSoMC","data":` + string(p) + `}`,
		`{"session":"$S","madonvi":"000.00.01.H01","service":"TraCuuHoSo","mahoso":"` + code + `"}`,
		`{"session":"$S","service":"LayThuTuc","maTTHC":"1.001193"}`,
		`{"session":"$S","service":"LayDanhSachTTHC"}`,
		`{"session":"$S","service":"DongBoHoSoMC","isUpdating":1,"data":[{"MaHoSo":1}]}`,
		`{"session":"x"}`, `[]`, `{`, `null`, `"a"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		body = strings.ReplaceAll(body, "$S", tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", PathIntegration, strings.NewReader(body)))
		answered(t, rec, body)
	})
}

// FuzzThreeURL sends any body to the three URLs, with Hà Nội's
// credentials.
func FuzzThreeURL(f *testing.F) {
	h, _ := fuzzHandler(f)
	code := nationaltest.Code("01", 1)
	d, _ := json.Marshal([]dvcqg.Dossier{nationaltest.Dossier(nationaltest.Code("01", 3), time.Now())})
	p, _ := json.Marshal([]dvcqg.Progress{nationaltest.Progress(code, time.Now(), 1)})
	for i, seed := range []string{string(d), string(p), `[{"MaHoSo":"` + code + `","TrangThai":"x"}]`, `[]`, `{}`, `[1,2,`, `[[],[]]`, `["\"],"]`} {
		f.Add(uint8(i), seed)
	}
	paths := []string{PathAdd, PathUpdate, PathProgress}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		req := httptest.NewRequest("POST", paths[int(which)%len(paths)], strings.NewReader(body))
		req.SetBasicAuth("tinh-01", "matkhau-01")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		answered(t, rec, body)
	})
}

// FuzzBatchLen: the count of a valid JSON array's elements is that of
// encoding/json; anything else is not an array.
func FuzzBatchLen(f *testing.F) {
	for _, seed := range []string{`[]`, `[1]`, ` [ 1 , "a,b" , {"x":[1,2]} ] `, `["\"", "\\"]`, `{}`, `"[1,2]"`, `[[],[[]]]`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			return
		}
		var elems []json.RawMessage
		isArray := json.Unmarshal([]byte(s), &elems) == nil && strings.HasPrefix(strings.TrimSpace(s), "[")
		n, ok := batchLen([]byte(s))
		if ok != isArray || (ok && n != len(elems)) {
			t.Fatalf("batchLen(%q) = %d, %v; encoding/json: %d elements, array %v", s, n, ok, len(elems), isArray)
		}
	})
}

// TestBatchLenOverLimit: a batch over the limit is refused before it is
// decoded, naming the count.
func TestBatchLenOverLimit(t *testing.T) {
	b := "[" + strings.Repeat(`{"MaHoSo":"x"},`, 10) + `{}]`
	if err := checkBatchLen([]byte(b), national.MaxProgressThreeURL, "mục tiến độ"); err == nil || !strings.Contains(errs.Message(err), "đã gửi 11") {
		t.Errorf("checkBatchLen of 11 = %v", err)
	}
	if err := checkBatchLen([]byte(b), national.MaxBatch, "mục tiến độ"); err != nil {
		t.Errorf("checkBatchLen of 11 under 100 = %v", err)
	}
}
