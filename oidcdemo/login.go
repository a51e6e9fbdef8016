package oidcdemo

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The login page: the provider's own, as VNeID's or the portal's would be.
// It lists the identities as buttons; the form posts identity=<ID> (or
// cancel) with the auth request's ID, which is all that binds it: a test
// posts the same form without a browser.

const pageCSS = `body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
.warn{background:#fff3cd;border:1px solid #e0b400;padding:.6rem .8rem;border-radius:.3rem}
button{display:block;width:100%;text-align:left;margin:.5rem 0;padding:.7rem .9rem;border:1px solid #9aa5b1;border-radius:.3rem;background:#f7f9fb;font:inherit;cursor:pointer}
button:hover,button:focus{background:#e6eef7;outline:2px solid #1f5fa6}
.meta{display:block;color:#4a5560;font-size:.9rem}.low{color:#a33}
button.cancel{background:#fff;text-align:center}
.en{color:#4a5560;font-size:.9rem}`

// pageCSP allows the page's one inline style by its hash, nothing else.
var pageCSP = func() string {
	sum := sha256.Sum256([]byte(pageCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; frame-ancestors 'none'; base-uri 'none'"
}()

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Title}}</title><style>{{.CSS}}</style></head><body>
<h1>Cổng xác thực mô phỏng VNeID / DVCQG — chỉ dùng để thử nghiệm</h1>
<p class="en">Simulated VNeID / DVCQG sign-on — for testing only</p>
<p class="warn">Đây không phải VNeID hay Cổng Dịch vụ công quốc gia thật: mọi tài khoản dưới đây là dữ liệu mẫu.
<span class="en">Not the real VNeID or national portal: every account below is demo data.</span></p>
{{if .Error}}<p class="warn" role="alert">{{.Error}}</p>{{end}}
{{with .Request}}
<p>Ứng dụng <strong>{{.ClientID}}</strong> yêu cầu đăng nhập{{if .Wanted}} ở mức <strong>LoA{{.Wanted}}</strong>{{end}}.
<span class="en">The application {{.ClientID}} asks you to sign in{{if .Wanted}} at level LoA{{.Wanted}}{{end}}.</span></p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="authRequestID" value="{{.ID}}">
<p>Chọn tài khoản để đăng nhập (choose an account):</p>
{{range .Identities}}<button type="submit" name="identity" value="{{.ID}}"><strong>{{.Name}}</strong>
<span class="meta">{{.Kind}} · {{.KeyLabel}}: {{.Key}} · Mức {{.Level}} (LoA{{.Level}}){{if .Low}} <span class="low">— thấp hơn mức yêu cầu (below the level asked)</span>{{end}}</span></button>
{{end}}
<button class="cancel" type="submit" name="cancel" value="1">Hủy đăng nhập (cancel)</button>
</form>
{{end}}
{{if .Message}}<p>{{.Message}}</p>{{end}}
</body></html>`))

type pageIdentity struct {
	ID, Name, Kind, KeyLabel, Key string
	Level                         int
	Low                           bool
}

type pageRequest struct {
	ID, ClientID, Action string
	Wanted               int
	Identities           []pageIdentity
}

type page struct {
	Title, Error, Message string
	CSS                   template.CSS
	Request               *pageRequest
}

var kindNames = map[int]string{
	KindCitizen:      "Công dân (citizen)",
	KindEnterprise:   "Doanh nghiệp (enterprise)",
	KindOrganisation: "Tổ chức (organisation)",
}

var keyLabels = map[string]string{
	ClaimCitizenID: "Số định danh",
	ClaimTaxCode:   "Mã số thuế",
	ClaimTechID:    "TechID",
}

func (p *Provider) render(w http.ResponseWriter, status int, pg page) {
	pg.CSS = template.CSS(pageCSS)
	if pg.Title == "" {
		pg.Title = "Cổng xác thực mô phỏng (demo sign-on)"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, pg)
}

func (p *Provider) loginPage(w http.ResponseWriter, r *http.Request) {
	p.showLogin(w, r, r.URL.Query().Get("authRequestID"), http.StatusOK, "")
}

func (p *Provider) showLogin(w http.ResponseWriter, r *http.Request, id string, status int, msg string) {
	req, err := p.store.AuthRequestByID(r.Context(), id)
	if err != nil {
		p.render(w, http.StatusNotFound, page{Error: "Yêu cầu đăng nhập không tồn tại hoặc đã hết hạn; hãy bắt đầu lại từ ứng dụng. (The sign-in request is unknown or expired: start again from the application.)"})
		return
	}
	a := req.(*authRequest)
	pr := &pageRequest{ID: a.id, ClientID: a.clientID, Action: p.base + pathLogin, Wanted: a.requestedLevel()}
	for _, id := range p.store.identities {
		claim, key := id.Key()
		pr.Identities = append(pr.Identities, pageIdentity{ID: id.ID, Name: id.Name(), Kind: kindNames[id.Kind()],
			KeyLabel: keyLabels[claim], Key: key, Level: id.Level, Low: id.Level < pr.Wanted})
	}
	p.render(w, status, page{Error: msg, Request: pr})
}

// loginSubmit completes the auth request with the identity chosen and
// answers the relying party at once: 302 to its redirect URI with code and
// state (or error=access_denied when cancelled).
func (p *Provider) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	reqID := r.PostForm.Get("authRequestID")
	if r.PostForm.Get("cancel") != "" {
		req, err := p.store.AuthRequestByID(r.Context(), reqID)
		if err != nil {
			p.showLogin(w, r, reqID, http.StatusNotFound, "")
			return
		}
		op.AuthRequestError(w, r, req, oidc.ErrAccessDenied().WithDescription("the user cancelled"), p.op)
		return
	}
	req, err := p.Choose(reqID, r.PostForm.Get("identity"))
	switch {
	case errors.Is(err, errUnknownIdentity):
		p.showLogin(w, r, reqID, http.StatusBadRequest, "Tài khoản không tồn tại (unknown account).")
		return
	case errors.Is(err, errAlreadyDone):
		p.render(w, http.StatusConflict, page{Error: "Yêu cầu đăng nhập này đã hoàn tất; hãy bắt đầu lại từ ứng dụng. (This sign-in is already completed: start again from the application.)"})
		return
	case err != nil:
		p.showLogin(w, r, reqID, http.StatusNotFound, "")
		return
	}
	op.AuthResponse(req, p.op, w, r)
}

var errUnknownIdentity = errors.New("oidcdemo: unknown identity")

// Choose completes the auth request authRequestID (the authRequestID
// parameter of the login page's URL) as the identity identityID, as the
// login page's button does. The relying party's redirect then comes from
// the library's callback: GET Issuer()+"/oauth2/authorize/callback?id="+authRequestID.
// SignIn does the whole round without a browser.
func (p *Provider) Choose(authRequestID, identityID string) (op.AuthRequest, error) {
	id, ok := p.byID[identityID]
	if !ok {
		return nil, errUnknownIdentity
	}
	return p.store.choose(authRequestID, id)
}

func (p *Provider) loggedOut(w http.ResponseWriter, _ *http.Request) {
	p.render(w, http.StatusOK, page{Message: "Bạn đã đăng xuất khỏi cổng xác thực mô phỏng. (You are signed out of the demo sign-on.)"})
}

func (p *Provider) home(w http.ResponseWriter, _ *http.Request) {
	p.render(w, http.StatusOK, page{Message: "Nhà cung cấp định danh mô phỏng (OpenID Connect) cho việc thử nghiệm; cấu hình tại " +
		p.issuer + "/.well-known/openid-configuration. (A simulated OpenID provider for testing.)"})
}
