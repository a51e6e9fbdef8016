package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/dossier"
)

// TestCounterAccess: only receivers reach the counter's pages.
func TestCounterAccess(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		user, path string
		status     int
	}{
		{"tiepnhanxa", "/quay", 200},
		{"tiepnhan", "/quay?cccd=001090012345", 200},
		{"tiepnhanxa", "/quay/thu-tuc/1.001193", 200},
		{"congdan", "/quay", 403},
		{"chuyenvien", "/quay", 403},
		{"lanhdao", "/quay?cccd=001090012345", 403},
		{"chuyenvien", "/quay/thu-tuc/1.001193?cccd=001090012345", 403},
		{"congdan", "/quay/xong/000.00.50.H01-261123-00001", 403},
		{"", "/quay", 303},
	} {
		t.Run(tc.user+tc.path, func(t *testing.T) {
			b := &browser{t: t, f: f, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
			if tc.user != "" {
				b = f.browser(t, tc.user)
			}
			if st, _ := b.get(tc.path); st != tc.status {
				t.Errorf("status %d, want %d", st, tc.status)
			}
		})
	}
	res, _ := f.browser(t, "chuyenvien").postMultipart("/quay/thu-tuc/1.001193", map[string]string{"applicant.name": "Ai đó", "applicant.citizen_id": "001090012345"}, nil)
	if res.StatusCode != 403 {
		t.Errorf("a specialist's counter submission = %d", res.StatusCode)
	}
}

// TestCounterLookup finds the person by citizen ID: an account with its
// dossiers, no account, or an invalid number with its message.
func TestCounterLookup(t *testing.T) {
	f := newFixture(t)
	if st, _, b := f.submit(t, "congdan", "1.001193", ""); st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	b := f.browser(t, "tiepnhanxa")
	before := f.auditCount(t, "counter.lookup")
	for _, tc := range []struct {
		name, query string
		status      int
		want, not   []string
	}{
		{"empty", "", 200, []string{`name="cccd"`, "autofocus"}, []string{"Chọn thủ tục"}},
		{"too short", "?cccd=12345", 422, []string{"Số định danh cá nhân phải gồm đúng 12 chữ số.", `aria-invalid="true"`}, []string{"Nguyễn Văn An"}},
		{"letters", "?cccd=00109001234a", 422, []string{"phải gồm đúng 12 chữ số"}, nil},
		{"account", "?cccd=001090012345", 200, []string{"Nguyễn Văn An", "Đã xác thực", "1990, Nam", "Ba Đình", "000.00.50.H01-", "Đăng ký khai sinh", `href="/quay/thu-tuc/1.001193?cccd=001090012345"`}, []string{"Chưa có tài khoản"}},
		{"no account", "?cccd=001190099999", 200, []string{"Chưa có tài khoản với số định danh này", "Chọn thủ tục"}, []string{"Nguyễn Văn An"}},
		{"procedure search", "?cccd=001190099999&q=khai+sinh", 200, []string{"Đăng ký khai sinh"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, page := b.get("/quay" + tc.query)
			if st != tc.status {
				t.Fatalf("status %d, want %d", st, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(page, w) {
					t.Errorf("page shows %q", w)
				}
			}
		})
	}
	if n := f.auditCount(t, "counter.lookup") - before; n != 3 {
		t.Errorf("%d look-ups audited, want 3", n)
	}
}

// TestCounterIntake: a receiver fills the generated form prefilled with
// the person's data, scans the components and submits: one walk-in dossier
// received at the counter, with the files; the receipt is ready.
func TestCounterIntake(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "tiepnhanxa")
	st, page := b.get("/quay/thu-tuc/1.001193?cccd=001090012345")
	if st != 200 {
		t.Fatalf("counter form = %d", st)
	}
	for _, want := range []string{`action="/quay/thu-tuc/1.001193"`, `name="applicant.name" value="Nguyễn Văn An"`, `id="f-so_dinh_danh" name="so_dinh_danh" type="text" value="001090012345"`,
		`<option value="00004" selected>`, `type="file"`, "Nộp và tiếp nhận hồ sơ", `<option selected>Nam</option>`,
		`name="tre_em.dan_toc" list="list-ethnicity"`, `<datalist id="list-ethnicity"><option value="Kinh">`, `<datalist id="list-commune-01">`} {
		if !strings.Contains(page, want) {
			t.Errorf("counter form lacks %q", want)
		}
	}
	if strings.Contains(page, "data-draft=") {
		t.Error("the counter's form keeps a draft on a shared workstation")
	}
	fields, files := f.sampleForm(t, "1.001193")
	applicant := map[string]string{"applicant.name": "Nguyễn Văn An", "applicant.citizen_id": "001090012345", "commune_code": "00004", "applicant.phone": "0912345678"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range fields {
			m[k] = v
		}
		for k, v := range applicant {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	noToken := *b
	noToken.csrf = ""
	for _, tc := range []struct {
		name   string
		b      *browser
		form   map[string]string
		status int
		want   string
	}{
		{"no CSRF token", &noToken, with(nil), 403, "hết hạn"},
		{"no name", b, with(map[string]string{"applicant.name": ""}), 422, `id="e-a-name"`},
		{"bad citizen ID", b, with(map[string]string{"applicant.citizen_id": "123"}), 422, "Số định danh cá nhân phải gồm đúng 12 chữ số."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, page := tc.b.postMultipart("/quay/thu-tuc/1.001193", tc.form, files)
			if res.StatusCode != tc.status || !strings.Contains(page, tc.want) {
				t.Fatalf("status %d, want %d with %q", res.StatusCode, tc.status, tc.want)
			}
		})
	}
	res, _ := b.postMultipart("/quay/thu-tuc/1.001193", with(nil), files)
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.HasPrefix(loc, "/quay/xong/000.00.50.H01-") {
		t.Fatalf("counter submission = %d %s", res.StatusCode, loc)
	}
	code := strings.TrimPrefix(loc, "/quay/xong/")
	st, page = b.get(loc)
	if st != 200 || !strings.Contains(page, code) || !strings.Contains(page, `href="/api/v1/dossiers/`+code+`/forms/01"`) || !strings.Contains(page, "In giấy tiếp nhận (mẫu 01)") {
		t.Fatalf("done page = %d", st)
	}
	d := f.stored(t, code)
	if d.Status != dossier.StatusReceived || d.Channel != dossier.ChannelInPerson || d.ReceivingAgency != "000.00.50.H01" || d.ReceivedAt == nil {
		t.Errorf("dossier status %d channel %d counter %q", d.Status, d.Channel, d.ReceivingAgency)
	}
	if d.Applicant.Name != "Nguyễn Văn An" || d.Applicant.CitizenID != "001090012345" || d.Applicant.AccountID == 0 {
		t.Errorf("applicant %+v", d.Applicant)
	}
	// The citizen ID is that of congdan's verified account: the walk-in
	// dossier shows in their "my dossiers", not in another citizen's.
	if _, mine := f.browser(t, "congdan").get("/ho-so"); !strings.Contains(mine, code) {
		t.Error("congdan does not see the dossier handed in at the counter")
	}
	if _, theirs := f.browser(t, "congdan2").get("/ho-so"); strings.Contains(theirs, code) {
		t.Error("congdan2 sees congdan's counter dossier")
	}
	if len(d.Components) != len(files) {
		t.Errorf("%d components, want %d", len(d.Components), len(files))
	}
	if len(d.History) != 2 || d.History[0].Action != dossier.ActSubmit || d.History[1].Action != dossier.ActReceive {
		t.Errorf("history %+v", d.History)
	}
	if _, got := b.getRaw("/ho-so/" + code + "/tep/" + d.Components[0].FileID); got != minimalPDF {
		t.Error("the counter cannot open the scanned file")
	}
	if res, pdf := b.getRaw("/api/v1/dossiers/" + code + "/forms/01"); res.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF") {
		t.Errorf("receipt with the session cookie = %d", res.StatusCode)
	}
	events, err := f.store.PendingOutbox(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, e := range events {
		if strings.HasPrefix(e.Key, code+"/") {
			topics = append(topics, e.Topic)
		}
	}
	if strings.Join(topics, " ") != "dossier.submit dossier.receive" {
		t.Errorf("outbox events %v", topics)
	}
}
