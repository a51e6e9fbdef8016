package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/audit"
)

// lastAgencyPut is the details of the last agency.put audit entry.
func (f *fixture) lastAgencyPut(t *testing.T) (n int, details string) {
	t.Helper()
	es, err := f.store.AuditEntries(context.Background(), audit.Filter{Action: "agency.put", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		return 0, ""
	}
	last := es[0]
	for _, e := range es {
		if e.Seq > last.Seq {
			last = e
		}
	}
	return len(es), string(last.Details)
}

// The province IT administrator sets an agency's signature mode over the
// API, audited; nobody else may; the value is one of the two.
func TestAgencySignatureModeAPI(t *testing.T) {
	f := newFixture(t)
	_, raw := f.do(t, "GET", "/api/v1/agencies/"+baDinh, "", "")
	var ag map[string]any
	if err := json.Unmarshal(raw, &ag); err != nil {
		t.Fatal(err)
	}
	if ag["signature_mode"] != "personal" {
		t.Fatalf("the demo commune signs %v, want personal: %s", ag["signature_mode"], raw)
	}
	with := func(mode string) string {
		ag["signature_mode"] = mode
		b, _ := json.Marshal(ag)
		return string(b)
	}
	n0, _ := f.lastAgencyPut(t)
	f.run(t, []scenario{
		{"anonymous", "PUT", "/api/v1/agencies/" + baDinh, "", with("seal"), 401, nil, nil},
		{"leader of the agency", "PUT", "/api/v1/agencies/" + baDinh, "lanhdao", with("seal"), 403, nil, nil},
		{"clerk", "PUT", "/api/v1/agencies/" + baDinh, "vanthu", with("seal"), 403, nil, nil},
		{"unknown mode", "PUT", "/api/v1/agencies/" + baDinh, "quantri", with("stamp"), 422, []string{"signature_mode", "Cách ký kết quả"}, nil},
		{"still personal", "GET", "/api/v1/agencies/" + baDinh, "", "", 200, []string{`"signature_mode":"personal"`}, nil},
		{"admin sets the seal", "PUT", "/api/v1/agencies/" + baDinh, "quantri", with("seal"), 200, []string{`"signature_mode":"seal"`}, nil},
		{"seal read back", "GET", "/api/v1/agencies/" + baDinh, "", "", 200, []string{`"signature_mode":"seal"`}, nil},
		{"admin sets personal", "PUT", "/api/v1/agencies/" + baDinh, "quantri", with("personal"), 200, []string{`"signature_mode":"personal"`}, nil},
		{"listed", "GET", "/api/v1/agencies?kind=commune_committee", "", "", 200, []string{`"signature_mode":"personal"`}, nil},
	})
	n, details := f.lastAgencyPut(t)
	if n != n0+2 || !strings.Contains(details, `"signature_mode":"personal"`) {
		t.Errorf("%d agency.put entries (was %d), last %s", n, n0, details)
	}
	// Without the field (a client from before modes), the default.
	delete(ag, "signature_mode")
	b, _ := json.Marshal(ag)
	if res, body := f.do(t, "PUT", "/api/v1/agencies/"+baDinh, f.token(t, "quantri"), string(b)); res.StatusCode != 200 || !strings.Contains(string(body), `"signature_mode":"seal"`) {
		t.Errorf("PUT without the mode = %d %s", res.StatusCode, body)
	}
}

// The console's agency page shows the mode in Vietnamese and saves it;
// an invalid value is refused with its message; only the administrator
// reaches it (TestAdminAccess covers the other roles).
func TestAdminAgencySignatureMode(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	_, page := b.get("/quan-tri/co-quan/" + baDinh)
	for _, want := range []string{"Chữ ký trên kết quả", "Chữ ký số của cơ quan (con dấu) kèm họ tên người ký", "Chữ ký số cá nhân của người ký",
		`name="signature_mode" value="personal" checked`} {
		if !strings.Contains(page, want) {
			t.Errorf("agency page lacks %q", want)
		}
	}
	v := adminForm(t, page, "/quan-tri/co-quan/"+baDinh)
	if v.Get("signature_mode") != "personal" || len(v["signature_mode"]) != 1 {
		t.Fatalf("form signature_mode = %q", v["signature_mode"])
	}
	n0, _ := f.lastAgencyPut(t)
	for _, tc := range []struct {
		name, mode string
		status     int
		want       string
	}{
		{"unknown", "stamp", http.StatusUnprocessableEntity, "Cách ký kết quả phải là seal"},
		{"seal", "seal", http.StatusSeeOther, `"signature_mode":"seal"`},
		{"personal", "personal", http.StatusSeeOther, `"signature_mode":"personal"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v.Set("signature_mode", tc.mode)
			res, body := b.post("/quan-tri/co-quan/"+baDinh, v)
			if res.StatusCode != tc.status {
				t.Fatalf("save = %d: %.1500s", res.StatusCode, body)
			}
			if tc.status != http.StatusSeeOther {
				if !strings.Contains(body, tc.want) {
					t.Errorf("page lacks %q", tc.want)
				}
				return
			}
			if _, api := f.do(t, "GET", "/api/v1/agencies/"+baDinh, "", ""); !strings.Contains(string(api), tc.want) {
				t.Errorf("agency after save: %s", api)
			}
			if _, page := b.get("/quan-tri/co-quan/" + baDinh); !strings.Contains(page, `value="`+tc.mode+`" checked`) {
				t.Errorf("page after save does not check %s", tc.mode)
			}
		})
	}
	if n, details := f.lastAgencyPut(t); n != n0+2 || !strings.Contains(details, `"signature_mode":"personal"`) {
		t.Errorf("%d agency.put entries (was %d), last %s", n, n0, details)
	}
	if st, _ := f.browser(t, "lanhdao").get("/quan-tri/co-quan/" + baDinh); st != http.StatusForbidden {
		t.Errorf("leader on the agency page = %d", st)
	}
}

// The public verification page says whose signature a result carries: the
// leader's personal one (name and title) or the agency's seal.
func TestVerifySignatureKind(t *testing.T) {
	f := newFixture(t)
	withPKI(t, f)
	anon := &browser{t: t, f: f, c: &http.Client{}}
	issue := func() string {
		st, d, body := f.submit(t, "congdan", "1.001193", "")
		if st != 201 {
			t.Fatalf("submit = %d %s", st, body)
		}
		if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
			t.Fatalf("receive = %d %s", st, b)
		}
		f.handleToDone(t, d.Code)
		return f.stored(t, d.Code).Result.ID
	}
	personal := issue()
	_, raw := f.do(t, "GET", "/api/v1/agencies/"+baDinh, "", "")
	seal := strings.Replace(string(raw), `"signature_mode":"personal"`, `"signature_mode":"seal"`, 1)
	if res, body := f.do(t, "PUT", "/api/v1/agencies/"+baDinh, f.token(t, "quantri"), seal); res.StatusCode != 200 {
		t.Fatalf("set seal = %d %s", res.StatusCode, body)
	}
	sealed := issue()
	for _, tc := range []struct {
		name, id     string
		want, absent []string
	}{
		{"personal", personal, []string{"Chữ ký số cá nhân của người ký", "Phạm Quốc Hùng, Chủ tịch — Ủy ban nhân dân phường Ba Đình", "Chủ tịch Phạm Quốc Hùng", "HỢP LỆ"},
			[]string{"con dấu", "KHÔNG HỢP LỆ"}},
		{"seal", sealed, []string{"Chữ ký số của cơ quan (con dấu) kèm họ tên người ký", "Ủy ban nhân dân phường Ba Đình — Thành phố Hà Nội", "Chủ tịch Phạm Quốc Hùng", "HỢP LỆ"},
			[]string{"Chữ ký số cá nhân", "KHÔNG HỢP LỆ"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, page := anon.get("/xac-thuc/" + tc.id)
			if st != 200 {
				t.Fatalf("verification page = %d", st)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tc.absent {
				if strings.Contains(page, w) {
					t.Errorf("page shows %q", w)
				}
			}
		})
	}
}
