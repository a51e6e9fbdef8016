package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/web/respond"
)

// readOnly asks for the read token when one is set.
func (h *Handler) readOnly(next http.HandlerFunc) http.HandlerFunc {
	if h.opts.ReadToken == "" {
		return next
	}
	want := sha256.Sum256([]byte(h.opts.ReadToken))
	return func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="motcua-national"`)
			h.problem(w, r, errs.New(errs.Unauthorized, "national.read_token", "Cần mã truy cập để tra cứu trên Cổng quốc gia.", "read token required"))
			return
		}
		next(w, r)
	}
}

// problem answers an error of the JSON API as an RFC 9457 problem.
func (h *Handler) problem(w http.ResponseWriter, r *http.Request, err error) {
	p := respond.ProblemOf(h.log, r, err)
	p.Headers(w.Header(), false)
	respond.WriteProblem(w, p)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// lookup is GET PathLookup{code}: a dossier synced by any province.
func (h *Handler) lookup(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.Lookup(r.Context(), r.PathValue("code"))
	if err != nil {
		h.problem(w, r, err)
		return
	}
	writeJSON(w, l)
}

// stats is GET PathStats[?from=YYYY-MM-DD&to=YYYY-MM-DD].
func (h *Handler) stats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	st, err := h.svc.Stats(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		h.problem(w, r, err)
		return
	}
	writeJSON(w, st)
}

var page = template.Must(template.New("status").Funcs(template.FuncMap{
	"pct": func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) },
	"when": func(t *time.Time) string {
		if t == nil {
			return "—"
		}
		return t.In(calendar.VN).Format("02/01/2006 15:04:05")
	},
}).Parse(`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="15">
<title>Cổng Dịch vụ công quốc gia — chế độ nhận đồng bộ (mô phỏng)</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%;max-width:72rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}
tfoot td{font-weight:bold}
.note{background:#fff6d6;padding:.5rem 1rem;max-width:70rem}
code{background:#f3f3f3;padding:0 .2rem}
</style>
</head>
<body>
<h1>Cổng Dịch vụ công quốc gia — chế độ nhận đồng bộ (mô phỏng)</h1>
<p class="note">Đây là bản mô phỏng phía nhận của Cổng quốc gia để kiểm thử và trình diễn việc đồng bộ hồ sơ từ các tỉnh; không phải hệ thống thật.{{if .Demo}} Tài khoản mẫu của mỗi tỉnh: <code>tinh-&lt;mã tỉnh&gt;</code> / <code>matkhau-&lt;mã tỉnh&gt;</code> (ví dụ <code>tinh-01</code> / <code>matkhau-01</code>).{{end}}{{if .DemoCatalogue}} Danh mục thủ tục là danh mục mẫu.{{end}}</p>
<table>
<thead><tr><th>Mã</th><th>Tỉnh, thành phố</th><th>Hồ sơ đã đồng bộ</th><th>Đã tiếp nhận</th><th>Đã giải quyết</th><th>Đúng hạn</th><th>Trực tuyến</th><th>Tỷ lệ trực tuyến</th><th>Lần đồng bộ cuối</th></tr></thead>
<tbody>
{{range .Stats.Provinces}}<tr><td>{{.Province}}</td><td>{{.Name}}</td><td>{{.Synced}}</td><td>{{.Received}}</td><td>{{.Finished}}</td><td>{{.OnTime}}</td><td>{{.Online}}</td><td>{{pct .OnlineShare}}%</td><td>{{when .LastSyncAt}}</td></tr>
{{end}}</tbody>
<tfoot>{{with .Stats.Totals}}<tr><td></td><td>{{.Name}}</td><td>{{.Synced}}</td><td>{{.Received}}</td><td>{{.Finished}}</td><td>{{.OnTime}}</td><td>{{.Online}}</td><td>{{pct .OnlineShare}}%</td><td>{{when .LastSyncAt}}</td></tr>{{end}}</tfoot>
</table>
<h2>Điểm kết nối</h2>
<ul>
<li>Kiểu một đầu mối (OpenCPS): <code>POST /dvcqg/adapter/auth</code>, <code>POST /dvcqg/adapter/integration</code></li>
<li>Kiểu ba địa chỉ (xác thực HTTP Basic): <code>POST /dvcqg/them-moi</code>, <code>POST /dvcqg/cap-nhat</code>, <code>POST /dvcqg/dong-bo-tien-trinh</code></li>
<li>Tra cứu: <code>GET /api/v1/national/dossiers/&lt;mã hồ sơ&gt;</code>; thống kê: <code>GET /api/v1/national/stats?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</code></li>
</ul>
</body>
</html>
`))

// statusPage is the page at /: the counts per province.
func (h *Handler) statusPage(w http.ResponseWriter, r *http.Request) {
	st, err := h.svc.Stats(r.Context(), "", "")
	if err != nil {
		h.problem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	if err := page.Execute(w, struct {
		Stats         national.Stats
		Demo          bool
		DemoCatalogue bool
	}{st, h.svc.Accounts().Demo, h.svc.Catalogue().Demo}); err != nil {
		h.log.Warn("status page", "error", err)
	}
}

// anchors is GET PathAnchors{province}[?limit=N]: the province's signed
// audit anchors as received, newest first.
func (h *Handler) anchors(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	as, err := h.svc.Anchors(r.Context(), r.PathValue("province"), limit)
	if err != nil {
		h.problem(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"province": r.PathValue("province"), "anchors": as})
}
