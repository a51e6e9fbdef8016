package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/web/ui"
)

// countLinks are the dashboard's numbers that lead to lists.
var countLinks = regexp.MustCompile(`<a (?:class="card-value" )?href="(/ho-so\?[^"]+)">([0-9.,]+)</a>`)

// listTotal is the total a list page states.
var listTotal = regexp.MustCompile(`<p id="tong-so">([0-9.,]+) `)

func atoiVN(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.NewReplacer(".", "", ",", "").Replace(s))
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return n
}

// card returns the number of the dashboard's card labelled label.
func card(t *testing.T, page, label string) int {
	t.Helper()
	m := regexp.MustCompile(`<span class="card-label">` + regexp.QuoteMeta(label) + `</span> <a class="card-value" href="[^"]*">([0-9.,]+)</a>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no card %q", label)
	}
	return atoiVN(t, m[1])
}

// TestDashboard: the numbers count the dossiers made through the API, every
// number leads to a list of as many dossiers, a commune's leader sees his
// agency only, a citizen none, and the page speaks English on request.
func TestDashboard(t *testing.T) {
	f := newFixture(t)
	var codes []string
	for _, user := range []string{"congdan", "congdan", "congdan", "congdan2"} {
		st, d, body := f.submit(t, user, "1.001193", "")
		if st != 201 {
			t.Fatalf("submit = %d %s", st, body)
		}
		codes = append(codes, d.Code)
	}
	other := f.get(t, "congdan2", codes[3]).HandlingAgency.ID
	if st, _, b := f.act(t, "tiepnhan", codes[0], `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	if st, _, b := f.act(t, "tiepnhan", codes[3], `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	if st, _, b := f.act(t, "tiepnhan", codes[1], `{"action":"refuse","note":"Thiếu giấy tờ"}`); st != 200 {
		t.Fatalf("refuse = %d %s", st, b)
	}
	// A month later the two received dossiers are overdue.
	f.set(clock.AddDate(0, 1, 0))

	tests := []struct {
		user                                 string
		query                                string
		submitted, online, finished, overdue int
		status                               int
	}{
		{"lanhdaotinh", "", 4, 4, 1, 2, 200},
		{"quantri", "", 4, 4, 1, 2, 200},
		{"lanhdao", "", 3, 3, 1, 1, 200},
		{"lanhdaotinh", "?co-quan=" + other, 1, 1, 0, 1, 200},
		{"lanhdao", "?co-quan=" + other, 0, 0, 0, 0, 403},
		{"lanhdaotinh", "?xa=00004", 3, 3, 1, 1, 200},
		{"lanhdaotinh", "?" + url.Values{"xa": {"Phường Ba Đình"}, "co-quan": {""}}.Encode(), 3, 3, 1, 1, 200}, // the filter form: names
		{"lanhdaotinh", "?" + url.Values{"xa": {"Phường Nowhere"}}.Encode(), 0, 0, 0, 0, 422},
		{"lanhdaotinh", "?tu=2026-12-01&den=2026-12-31", 0, 0, 0, 2, 200},
		{"lanhdaotinh", "?tu=2026-11-01&den=2026-11-30&theo=ngay", 4, 4, 1, 2, 200},
		{"congdan", "", 0, 0, 0, 0, 403},
		{"chuyenvien", "", 0, 0, 0, 0, 403},
	}
	for _, tt := range tests {
		t.Run(tt.user+tt.query, func(t *testing.T) {
			b := f.browser(t, tt.user)
			st, page := b.get("/bang-dieu-khien" + tt.query)
			if st != tt.status {
				t.Fatalf("status %d, want %d", st, tt.status)
			}
			if st != 200 {
				return
			}
			for label, want := range map[string]int{"Hồ sơ nộp trong kỳ": tt.submitted, "Nộp trực tuyến": tt.online,
				"Đã giải quyết xong trong kỳ": tt.finished, "Đang quá hạn": tt.overdue} {
				if got := card(t, page, label); got != want {
					t.Errorf("%s = %d, want %d", label, got, want)
				}
			}
			links := countLinks.FindAllStringSubmatch(page, -1)
			if len(links) < 20 {
				t.Fatalf("only %d numbers link to lists", len(links))
			}
			seen := map[string]bool{}
			for _, m := range links {
				href, want := html.UnescapeString(m[1]), atoiVN(t, m[2])
				if seen[href] {
					continue
				}
				seen[href] = true
				st, list := b.get(href)
				if st != 200 {
					t.Fatalf("%s = %d", href, st)
				}
				lt := listTotal.FindStringSubmatch(list)
				if lt == nil {
					t.Fatalf("%s: no total", href)
				}
				if got := atoiVN(t, lt[1]); got != want {
					t.Errorf("%s lists %d dossiers, the dashboard says %d", href, got, want)
				}
			}
		})
	}

	// The page and its charts are accessible and have no inline style.
	_, page := f.browser(t, "lanhdaotinh").get("/bang-dieu-khien")
	for _, want := range []string{`role="group"`, "<caption>", `<th scope="row">`, "Đăng ký khai sinh", "Nguyễn Văn An", "tỷ lệ đúng hạn chưa có", "tỷ lệ 100 %",
		// The filters suggest names from one datalist each.
		`<input id="d-co-quan" name="co-quan" list="list-agencies" value="" autocomplete="off" placeholder="Toàn tỉnh">`,
		`<option value="Ủy ban nhân dân phường Ba Đình"></option>`, `<input id="d-xa" name="xa" list="list-communes" value=""`, `<option value="Phường Ba Đình"></option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "style=") || strings.Contains(page, "<script") {
		t.Error("the dashboard has inline style or script")
	}
	// The read is audited.
	es, err := f.store.AuditEntries(context.Background(), audit.Filter{Action: "dashboard.read", Limit: 100})
	if err != nil || len(es) == 0 {
		t.Errorf("no dashboard.read audit entry: %v", err)
	}

	// English.
	en := f.browser(t, "lanhdaotinh")
	u, _ := url.Parse(f.srv.URL)
	en.c.Jar.SetCookies(u, []*http.Cookie{{Name: ui.LangCookie, Value: "en", Path: "/"}})
	_, page = en.get("/bang-dieu-khien")
	for _, want := range []string{"Dossiers submitted in the period", "On-time rate", "share 100%", "By commune", `lang="en"`} {
		if !strings.Contains(page, want) {
			t.Errorf("English dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "Hồ sơ nộp trong kỳ") {
		t.Error("English dashboard still has Vietnamese sentences")
	}
	anon := &browser{t: t, f: f, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if st, _ := anon.get("/bang-dieu-khien"); st != http.StatusSeeOther {
		t.Errorf("anonymous dashboard = %d, want a redirect to the login page", st)
	}
}

// TestInboxFilters: the inbox's filters and counts, overdue first, and
// the pages.
func TestInboxFilters(t *testing.T) {
	f := newFixture(t)
	var codes []string
	for range 3 {
		st, d, body := f.submit(t, "congdan", "1.001193", "")
		if st != 201 {
			t.Fatalf("submit = %d %s", st, body)
		}
		codes = append(codes, d.Code)
	}
	for _, c := range codes[:2] {
		if st, _, b := f.act(t, "tiepnhan", c, `{"action":"receive"}`); st != 200 {
			t.Fatalf("receive = %d %s", st, b)
		}
	}
	f.set(clock.AddDate(0, 1, 0))
	b := f.browser(t, "chuyenvien")
	tests := []struct {
		query string
		total int
		has   []string
	}{
		{"", 2, []string{codes[0], codes[1], "Đã quá hạn", "Chỉ hồ sơ quá hạn"}},
		{"?qua-han=1", 2, nil},
		{"?sap-den-han=1", 0, []string{"Không có hồ sơ nào."}},
		{"?trang-thai=2", 2, nil},
		{"?trang-thai=4", 0, nil},
		{"?ma=" + codes[1][len(codes[1])-5:], 1, []string{codes[1]}},
		{"?thu-tuc=1.001193", 2, nil},
		{"?thu-tuc=9.999999", 0, nil},
		{"?kenh=2", 2, nil},
		{"?kenh=1", 0, nil},
	}
	for _, tt := range tests {
		st, page := b.get("/ho-so" + tt.query)
		if st != 200 {
			t.Fatalf("%s = %d", tt.query, st)
		}
		m := listTotal.FindStringSubmatch(page)
		if m == nil || atoiVN(t, m[1]) != tt.total {
			t.Errorf("%s: total %v, want %d", tt.query, m, tt.total)
		}
		for _, h := range tt.has {
			if !strings.Contains(page, h) {
				t.Errorf("%s: page lacks %q", tt.query, h)
			}
		}
	}
	// Counts by status are links filtering on it.
	_, page := b.get("/ho-so")
	if !strings.Contains(page, `href="/ho-so?trang-thai=2">Được tiếp nhận: 2</a>`) {
		t.Errorf("no status count link: %s", page)
	}
	// The receiver at the commune sees the new one; the citizen his own
	// without filters.
	if _, page := f.browser(t, "congdan").get("/ho-so"); !strings.Contains(page, "Hồ sơ của tôi") || strings.Contains(page, `name="qua-han"`) {
		t.Error("the citizen's list should have no inbox filters")
	}
	// A viewer without a handling role gets the list of the province.
	if _, page := f.browser(t, "lanhdaotinh").get("/ho-so"); !strings.Contains(page, "Hồ sơ thuộc phạm vi theo dõi") || atoiVN(t, listTotal.FindStringSubmatch(page)[1]) != 3 {
		t.Error("the viewer's /ho-so should list the province's 3 dossiers")
	}
}

// TestInboxPages: 50 a page, links to the next and previous pages.
func TestInboxPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d, err := f.store.Dossier(ctx, func() string {
		st, d, body := f.submit(t, "congdan", "1.001193", "")
		if st != 201 {
			t.Fatalf("submit = %d %s", st, body)
		}
		return d.Code
	}())
	if err != nil {
		t.Fatal(err)
	}
	// Copies of the dossier under other codes, straight into the store.
	if err := f.store.Update(ctx, func(tx store.Tx) error {
		for i := range 120 {
			c := d
			c.Code = d.Code[:len(d.Code)-5] + strconv.Itoa(90000+i)
			c.SubmittedAt = d.SubmittedAt.Add(time.Duration(i) * time.Minute)
			if err := tx.CreateDossier(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b := f.browser(t, "lanhdaotinh")
	_, p1 := b.get("/ho-so")
	if n := strings.Count(p1, `<td><a href="/ho-so/`); n != 50 || !strings.Contains(p1, "Trang 1 / 3") || !strings.Contains(p1, `rel="next"`) {
		t.Fatalf("page 1: %d rows", n)
	}
	_, p3 := b.get("/ho-so?pham-vi=1&trang=3")
	if n := strings.Count(p3, `<td><a href="/ho-so/`); n != 21 || !strings.Contains(p3, `rel="prev"`) || strings.Contains(p3, `rel="next"`) {
		t.Fatalf("page 3: %d rows", n)
	}
}
