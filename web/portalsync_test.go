package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

// settleSync records an outcome of a dossier's sync as a worker would:
// the row queued by the dossier's change claimed, then failed with msg or
// synced.
func (f *fixture) settleSync(t *testing.T, code, state, msg string) {
	t.Helper()
	ctx := context.Background()
	now := f.now()
	err := f.store.Update(ctx, func(tx store.Tx) error {
		r, err := tx.PortalSync(ctx, code)
		if err != nil {
			return err
		}
		// Claim it (the worker's lease), whatever else is due.
		if _, err := tx.ClaimPortalSync(ctx, now, time.Minute, 1000); err != nil {
			return err
		}
		r.State, r.LastError, r.UpdatedAt, r.NextAt = state, msg, now, now.Add(2*time.Minute)
		if state == store.PortalSynced {
			r.SyncedVersion, r.SyncedAt, r.Known, r.Attempts = r.Version, now, true, 0
		} else {
			r.Attempts++
		}
		return tx.PutPortalSync(ctx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// syncRow is a dossier's sync state as stored.
func (f *fixture) syncRow(t *testing.T, code string) store.PortalSync {
	t.Helper()
	r, err := f.store.PortalSync(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const refusal = "Cổng DVCQG từ chối hồ sơ: MaTTHC không tồn tại"

// TestPortalSyncAPI: the administrator reads the sync's state and rows
// (failed first, the portal's message in Vietnamese), resyncs the failed
// rows, and edits the mapping (refused with its problems in Vietnamese,
// then stored and audited); officials and citizens may do none of it. A
// dossier's read shows its sync to its officials only.
func TestPortalSyncAPI(t *testing.T) {
	f := newFixture(t)
	st, d1, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	_, d2, _ := f.submit(t, "congdan", "1.001193", "")
	f.settleSync(t, d1.Code, store.PortalFailed, refusal)

	const sync, resync, mapping = "/api/v1/national/sync", "/api/v1/national/sync/resync", "/api/v1/national/mapping"
	f.run(t, []scenario{
		{"the administrator reads the sync", "GET", sync, "quantri", "", 200,
			[]string{`"configured":false`, `"failed":1`, `"items":[{"code":"` + d1.Code + `","state":"failed","state_name":"Lỗi"`, refusal, "+07:00"}, nil},
		{"only the failed", "GET", sync + "?state=failed", "quantri", "", 200, []string{`"total":1`, d1.Code}, []string{d2.Code}},
		{"the pending", "GET", sync + "?state=pending&limit=200", "quantri", "", 200, []string{d2.Code, "Chờ đồng bộ"}, []string{`"code":"` + d1.Code}},
		{"a limit too large", "GET", sync + "?limit=500", "quantri", "", 422, nil, nil},
		{"an unknown state", "GET", sync + "?state=lost", "quantri", "", 422, nil, nil},
		{"a receiver", "GET", sync, "tiepnhan", "", 403, []string{"không có quyền"}, []string{d1.Code}},
		{"a leader", "GET", sync, "lanhdao", "", 403, nil, nil},
		{"a citizen", "GET", sync, "congdan", "", 403, nil, nil},
		{"anonymous", "GET", sync, "", "", 401, nil, nil},
		{"a receiver resyncs", "POST", resync, "tiepnhan", `{}`, 403, nil, nil},
		{"a receiver reads the mapping", "GET", mapping, "tiepnhan", "", 403, nil, nil},
		{"a receiver sets the mapping", "PUT", mapping, "tiepnhan", `{}`, 403, nil, nil},
		{"the dossier's official sees its sync", "GET", "/api/v1/dossiers/" + d1.Code, "tiepnhanxa", "", 200,
			[]string{`"national_sync":{"state":"failed","synced_at":null,"last_error":"` + refusal + `","attempts":1,"next_at":"2026-11-23T16:02:00+07:00"}`}, nil},
		{"its applicant does not", "GET", "/api/v1/dossiers/" + d1.Code, "congdan", "", 200, nil, []string{"national_sync"}},
		{"another citizen reads nothing", "GET", "/api/v1/dossiers/" + d1.Code, "congdan2", "", 404, nil, []string{"national_sync", refusal}},
		{"the failed rows resynced", "POST", resync, "quantri", `{}`, 200, []string{`"queued":1`}, nil},
		{"a code of no dossier", "POST", resync, "quantri", `{"codes":["KHONG-CO"]}`, 404, []string{"Không có hồ sơ nào"}, nil},
		{"one dossier", "POST", resync, "quantri", `{"codes":["` + d2.Code + `"]}`, 200, []string{`"queued":1`}, nil},
		{"codes and all", "POST", resync, "quantri", `{"codes":["` + d2.Code + `"],"all":true}`, 422, []string{"Chọn một trong hai"}, nil},
		{"the mapping, empty", "GET", mapping, "quantri", "", 200, []string{`{`}, []string{`"procedures"`}},
		{"an invalid mapping", "PUT", mapping, "quantri", `{"statuses":{"11":2},"procedures":{"DEMO-001":"mã sai"},"provisional":["databases.X"]}`, 422,
			[]string{"Bảng ánh xạ mã với Cổng Dịch vụ công quốc gia không hợp lệ.", `"statuses.11"`, "Trạng thái 11 không tồn tại (1–10).", `"procedures.DEMO-001"`, `"provisional[0]"`}, nil},
		{"an unknown entry", "PUT", mapping, "quantri", `{"thutuc":{}}`, 422, nil, nil},
		{"a valid mapping", "PUT", mapping, "quantri", `{"procedures":{"DEMO-001":"1.000001"},"databases":{"CSDLQGDC":"1"},"provisional":["databases.CSDLQGDC"]}`, 200,
			[]string{`"procedures":{"DEMO-001":"1.000001"}`, `"provisional":["databases.CSDLQGDC"]`}, nil},
		{"the mapping stored", "GET", mapping, "quantri", "", 200, []string{`"DEMO-001":"1.000001"`}, nil},
	})
	if r := f.syncRow(t, d1.Code); r.State != store.PortalPending || r.Attempts != 0 {
		t.Errorf("after the resync %+v", r)
	}
	for action, want := range map[string]int{"portal_sync.resync": 2, "portal_sync.mapping_set": 1} {
		if n := f.auditCount(t, action); n != want {
			t.Errorf("%d %s audited, want %d", n, action, want)
		}
	}
	if n := f.auditCount(t, "portal_sync.list"); n < 3 {
		t.Errorf("%d reads of the list audited", n)
	}
}

// TestPortalSyncPage: the administrator finds the sync from the console,
// reads the counts, the share synced and the rows failed first, resyncs
// the failed and one dossier, and edits the mapping; others are refused.
// The dossier page tells its officials the dossier's sync; the dashboard
// the province's rate.
func TestPortalSyncPage(t *testing.T) {
	f := newFixture(t)
	_, d1, _ := f.submit(t, "congdan", "1.001193", "")
	_, d2, _ := f.submit(t, "congdan", "1.001193", "")
	f.settleSync(t, d1.Code, store.PortalFailed, refusal)

	b := f.browser(t, "quantri")
	if _, page := b.get("/quan-tri"); !strings.Contains(page, `href="/quan-tri/dong-bo"`) || !strings.Contains(page, "Đồng bộ hồ sơ lên Cổng DVCQG") {
		t.Fatal("the console does not link the sync")
	}
	st, page := b.get("/quan-tri/dong-bo")
	if st != 200 {
		t.Fatalf("sync page = %d %.1000s", st, page)
	}
	for _, want := range []string{"Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia", "Chưa cấu hình kết nối Cổng DVCQG (--national-url): các thay đổi được giữ trong hàng đợi.",
		"Lỗi: <strong>1</strong>", `<a href="/ho-so/` + d1.Code + `">`, refusal, "16:02 23/11/2026", "Chờ đồng bộ", "Thay đổi cũ nhất chưa được Cổng nhận đã chờ",
		"Đồng bộ lại các hồ sơ lỗi", "Bảng ánh xạ mã", `&#34;procedures&#34;: {}`} {
		if !strings.Contains(page, want) {
			t.Errorf("the sync page lacks %q", want)
		}
	}
	if i, j := strings.Index(page, d1.Code), strings.Index(page, d2.Code); i < 0 || j < 0 || i > j {
		t.Errorf("the failed row is not first (%d, %d)", i, j)
	}

	// Resync the failed, then one dossier, then a code of none.
	res, _ := b.post("/quan-tri/dong-bo/dong-bo-lai", adminForm(t, page, "/quan-tri/dong-bo/dong-bo-lai"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resync = %d", res.StatusCode)
	}
	if _, page := b.get(res.Header.Get("Location")); !strings.Contains(page, "Đã đưa 1 hồ sơ vào hàng đợi đồng bộ.") || strings.Contains(page, "Lỗi: <strong>1</strong>") {
		t.Errorf("after the resync %.3000s", page)
	}
	if r := f.syncRow(t, d1.Code); r.State != store.PortalPending {
		t.Errorf("row %+v", r)
	}
	if res, _ := b.post("/quan-tri/dong-bo/dong-bo-lai", url.Values{"ma": {d2.Code}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("resync one = %d", res.StatusCode)
	}
	if res, page := b.post("/quan-tri/dong-bo/dong-bo-lai", url.Values{"ma": {"KHONG-CO"}}); res.StatusCode != http.StatusNotFound || !strings.Contains(page, "Không có hồ sơ nào mang mã đã nhập.") || !strings.Contains(page, `value="KHONG-CO"`) {
		t.Errorf("resync of no dossier = %d", res.StatusCode)
	}
	if res, _ := b.post("/quan-tri/dong-bo/dong-bo-lai", url.Values{"csrf": {"sai"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a forged form = %d", res.StatusCode)
	}

	// The mapping: not JSON, invalid, valid.
	for _, tt := range []struct {
		name, text string
		status     int
		want       []string
	}{
		{"not JSON", `{"procedures":`, 422, []string{"Bảng ánh xạ phải là một đối tượng JSON"}},
		{"an unknown entry", `{"thu_tuc":{}}`, 422, []string{"Bảng ánh xạ phải là một đối tượng JSON"}},
		{"invalid", `{"statuses":{"11":2}}`, 422, []string{"Bảng ánh xạ mã với Cổng Dịch vụ công quốc gia không hợp lệ.", "Trạng thái 11 không tồn tại (1–10).", `{&#34;statuses&#34;:{&#34;11&#34;:2}}`}},
		{"valid", `{"databases":{"CSDLQGDC":"1"},"provisional":["databases.CSDLQGDC"]}`, 303, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, page := b.post("/quan-tri/dong-bo/anh-xa", url.Values{"mapping": {tt.text}})
			if res.StatusCode != tt.status {
				t.Fatalf("= %d, want %d", res.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("lacks %q", w)
				}
			}
		})
	}
	if _, page := b.get("/quan-tri/dong-bo?da-luu=1"); !strings.Contains(page, "Đã lưu bảng ánh xạ") || !strings.Contains(page, "<li><code>databases.CSDLQGDC</code></li>") {
		t.Error("the saved mapping's provisional entries are not listed")
	}
	if n := f.auditCount(t, "portal_sync.mapping_set"); n != 1 {
		t.Errorf("%d mapping changes audited", n)
	}

	// Others.
	for _, user := range []string{"tiepnhan", "lanhdaotinh", "congdan"} {
		ob := f.browser(t, user)
		if st, _ := ob.get("/quan-tri/dong-bo"); st != http.StatusForbidden {
			t.Errorf("%s opens the sync page: %d", user, st)
		}
		if res, _ := ob.post("/quan-tri/dong-bo/dong-bo-lai", url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s resyncs: %d", user, res.StatusCode)
		}
	}

	// The dossier page: its official sees the sync, its applicant not.
	f.settleSync(t, d1.Code, store.PortalSynced, "")
	f.settleSync(t, d2.Code, store.PortalFailed, refusal)
	for _, tt := range []struct {
		user, code string
		want       []string
		absent     bool
	}{
		{"tiepnhanxa", d1.Code, []string{"Đồng bộ Cổng DVCQG", "Đã đồng bộ lúc 16:00 23/11/2026 (+07:00)"}, false},
		{"tiepnhanxa", d2.Code, []string{"Lỗi: " + refusal + " (thử lại lúc 16:02 23/11/2026)"}, false},
		{"congdan", d1.Code, nil, true},
	} {
		_, page := f.browser(t, tt.user).get("/ho-so/" + tt.code)
		page = html.UnescapeString(page)
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s's page of %s lacks %q: %v", tt.user, tt.code, w, f.syncRow(t, tt.code))
			}
		}
		if tt.absent && strings.Contains(page, "Đồng bộ Cổng DVCQG") {
			t.Errorf("%s sees the sync of %s", tt.user, tt.code)
		}
	}

	// The dashboard: the province's rate.
	c, err := f.store.PortalSyncCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all := c.ByState[store.PortalPending] + c.ByState[store.PortalSynced] + c.ByState[store.PortalFailed]
	share := strings.Replace(strconv.FormatFloat(registry.Percent(c.ByState[store.PortalSynced], all), 'f', -1, 64), ".", ",", 1) + " %"
	if _, page := f.browser(t, "lanhdaotinh").get("/bang-dieu-khien"); !strings.Contains(page, "Tỉ lệ hồ sơ đã đồng bộ lên Cổng DVCQG: "+share) {
		t.Errorf("the dashboard lacks the rate %s", share)
	}
}
