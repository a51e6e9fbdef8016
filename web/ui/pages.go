package ui

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/web/api"
	"github.com/motcua/motcua/web/auth"
	"github.com/motcua/motcua/web/respond"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// CSRFCookie holds the token that every form of the pages repeats
// (double-submit): a cross-site form cannot read it.
const CSRFCookie = "motcua_csrf"

var pageFuncs = template.FuncMap{
	// The keys of the domain's names, for T (i18n_domain.go).
	"levelKey":   levelKey,
	"onlineKey":  onlineKey,
	"formKey":    componentFormKey,
	"roleKey":    roleKey,
	"actionKey":  actionKey,
	"statusKey":  statusKey,
	"datasetKey": datasetKey,
	"ruleKey":    ruleKey,
	// vi is the Vietnamese text of a key, for what a page shows in
	// Vietnamese to every visitor.
	"vi": func(key string) string { return translate("vi", key) },
	// en is the English text of a key, for what a page shows in English
	// second to every visitor (the error pages).
	"en": func(key string) string { return translate("en", key) },
	// asset is the address of a static file with its digest (static.go).
	"asset":  assets.url,
	"money":  payment.FormatVND,
	"isTrue": func(b *bool) bool { return b != nil && *b },
	"inc":    func(i int) int { return i + 1 },
	// dataValue shows a shared-data value: a commune by its name, a date
	// the Vietnamese way.
	"dataValue": func(field, v string) string {
		if strings.HasSuffix(field, "commune") {
			if c, err := unit.MustLoad().Commune(v); err == nil {
				return c.Name + " (" + v + ")"
			}
		}
		if len(v) == 10 && v[4] == '-' && v[7] == '-' {
			return v[8:] + "/" + v[5:7] + "/" + v[:4]
		}
		return v
	},
	// isoDate writes a YYYY-MM-DD date the Vietnamese way, dd/mm/yyyy.
	"isoDate": func(d string) string {
		if len(d) == 10 && d[4] == '-' && d[7] == '-' {
			return d[8:] + "/" + d[5:7] + "/" + d[:4]
		}
		return d
	},
	// datetime, date and instant write a time.Time or *time.Time in
	// Vietnam time (timefmt.go): "15:04 02/01/2006", "02/01/2006", and
	// "15:04:05 02/01/2006 +07:00".
	"datetime": timeFunc(layoutDatetime),
	"date":     timeFunc(layoutDate),
	"instant":  timeFunc(layoutInstant),
}

// pages are the server-rendered HTML pages, one template set per page.
type pages map[string]*template.Template

func loadPages() (pages, error) {
	p := pages{}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(pageFuncs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		p[name] = t
	}
	return p, nil
}

// page is what every page's layout needs.
type page struct {
	Title    string
	Province string
	User     *identity.Account
	CSRF     string
	Lang     string // "vi" (default) or "en"
	Path     string // the request's path and query, for the language switch
	// Description is the page's meta description (search engines show it
	// under the title): the portal's, or the page's own.
	Description string
	// LoginNext is where the navigation's login link returns to: this
	// page, but not a login or password page itself.
	LoginNext string
	// Admin and Steering open the administrators' console and the
	// leaders' dashboard in the navigation.
	Admin, Steering bool
	// Counter opens counter intake (receivers).
	Counter bool
	// Wallet opens the personal document store (citizens).
	Wallet bool
	// Applicant: the user applies for themselves (not an official), and
	// chooses how they are told of their dossiers.
	Applicant bool
}

// pageRoutes mounts the HTML pages on the mux.
func (s *Server) pageRoutes() error {
	ps, err := loadPages()
	if err != nil {
		return err
	}
	s.pages = ps
	s.mux.HandleFunc("GET /static/{name...}", func(w http.ResponseWriter, r *http.Request) { s.serveStatic(w, r, r.PathValue("name")) })
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { s.serveStatic(w, r, "favicon.ico") })
	s.mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) { s.serveStatic(w, r, "robots.txt") })
	s.mux.HandleFunc("GET /{$}", s.homePage)
	s.mux.HandleFunc("GET /ngon-ngu", s.switchLanguage)
	s.mux.HandleFunc("GET /thu-tuc", s.proceduresPage)
	s.mux.HandleFunc("GET /thu-tuc/{code}", s.procedurePage)
	s.mux.HandleFunc("GET /tra-cuu", s.lookupPage)
	s.mux.HandleFunc("GET /dang-nhap", s.loginPage)
	s.signOnRoutes()
	s.passwordRoutes()
	s.mux.HandleFunc("POST /dang-nhap", s.loginSubmit)
	s.mux.HandleFunc("POST /dang-nhap/ma-xac-thuc", s.loginCode)
	s.mux.HandleFunc("POST /dang-nhap/dang-ky-xac-thuc", s.loginEnrol)
	s.mux.HandleFunc("POST /dang-xuat", s.logoutSubmit)
	s.mux.HandleFunc("GET /thu-tuc/{code}/nop", s.submitPage)
	s.mux.HandleFunc("POST /thu-tuc/{code}/nop", s.submitForm)
	s.mux.HandleFunc("GET /ho-so", s.dossiersPage)
	s.mux.HandleFunc("GET /ho-so/{code}", s.dossierPage)
	s.mux.HandleFunc("GET /ho-so/{code}/da-nop", s.submittedPage)
	s.mux.HandleFunc("POST /ho-so/{code}/thao-tac", s.dossierAction)
	s.mux.HandleFunc("POST /ho-so/{code}/danh-gia", s.rateDossier)
	s.dashboardRoutes()
	s.resultRoutes()
	s.paymentRoutes()
	s.exemptionRoutes()
	s.counterRoutes()
	s.adminRoutes()
	s.walletRoutes()
	s.sessionRoutes()
	s.notificationRoutes()
	return nil
}

// base fills the layout's data: the title (a key of the catalogue, or a
// name shown as is), the signed-in user from the session cookie and the
// CSRF token (set when absent).
func (s *Server) base(w http.ResponseWriter, r *http.Request, title string) page {
	p := page{Title: translate(lang(r), title), Province: s.app.Kernel.Province.Name, CSRF: s.csrfToken(w, r), Lang: lang(r), Path: r.URL.RequestURI()}
	p.Description = p.Tf("meta.description", p.Province)
	if r.Method == http.MethodGet && r.URL.Path != "/" && !strings.HasPrefix(r.URL.Path, "/dang-nhap") && !strings.HasPrefix(r.URL.Path, "/quen-mat-khau") && !strings.HasPrefix(r.URL.Path, "/dat-lai-mat-khau") {
		p.LoginNext = accounts.LocalPath(r.URL.RequestURI())
	}
	if acc := s.account(r); acc != nil {
		p.User = acc
		p.Wallet = acc.Kind == identity.KindCitizen
		p.Applicant = acc.Kind != identity.KindOfficial && acc.Kind != identity.KindService
		for _, g := range acc.Grants {
			switch g.Role {
			case identity.RoleAdmin:
				p.Admin, p.Steering = true, true
			case identity.RoleLeader, identity.RoleViewer:
				p.Steering = true
			case identity.RoleReceiver:
				p.Counter = true
			}
		}
	}
	return p
}

func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(CSRFCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: tok, Path: "/", HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode})
	return tok
}

// checkCSRF compares the form's token with the cookie's.
func checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(CSRFCookie)
	if err != nil || len(c.Value) != 32 {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) == 1
}

func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var b strings.Builder
	if err := s.pages[name].ExecuteTemplate(&b, "layout", data); err != nil {
		s.log.Error("render page", "page", name, "error", err)
		http.Error(w, "Lỗi hệ thống khi hiển thị trang.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(respond.UnavailableRetryAfter))
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// errorPage answers an error through the one renderer (respond): the
// error page with the status of its kind, or a problem to a client that
// asks for JSON.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	s.errs.Error(w, r, err)
}

type fieldCount struct {
	Name  string
	Count int
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	all, _, err := s.app.Province.SearchProcedures(r.Context(), catalog.Query{Limit: 1000})
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	counts := map[string]int{}
	for _, p := range all {
		counts[p.Field]++
	}
	var fields []fieldCount
	for f, n := range counts {
		fields = append(fields, fieldCount{f, n})
	}
	slices.SortFunc(fields, func(a, b fieldCount) int { return strings.Compare(a.Name, b.Name) })
	s.render(w, http.StatusOK, "home", struct {
		page
		Fields []fieldCount
	}{s.base(w, r, "home.title"), fields})
}

func (s *Server) proceduresPage(w http.ResponseWriter, r *http.Request) {
	q := catalog.Query{Text: r.URL.Query().Get("q"), Field: r.URL.Query().Get("linh-vuc"), Level: catalog.Level(r.URL.Query().Get("cap")), Limit: 100}
	if q.Level != "" && q.Level != catalog.LevelCommune && q.Level != catalog.LevelProvince {
		q.Level = ""
	}
	res, err := s.app.Province.Search(r.Context(), q)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "procedures", struct {
		page
		Query, Field string
		Items        []catalog.Summary
		Total        int
		Suggestion   string
	}{s.base(w, r, "procedure.title"), q.Text, q.Field, res.Items, res.Total, res.Suggestion})
}

func (s *Server) procedurePage(w http.ResponseWriter, r *http.Request) {
	p, err := s.app.Province.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	pg := s.base(w, r, p.Name)
	pg.Description = pg.Tf("meta.procedure", p.Name, pg.Province)
	s.render(w, http.StatusOK, "procedure", struct {
		page
		Procedure catalog.Procedure
	}{pg, p})
}

func (s *Server) lookupPage(w http.ResponseWriter, r *http.Request) {
	code := strings.TrimSpace(r.URL.Query().Get("ma"))
	data := struct {
		page
		Code, Error string
		Status      *dossiers.PublicStatus
	}{page: s.base(w, r, "lookup.title"), Code: code}
	status := http.StatusOK
	if code != "" {
		st, err := s.app.Dossiers.PublicDossier(r.Context(), code)
		switch {
		case err == nil:
			data.Status = &st
		case errs.KindOf(err) == errs.NotFound:
			data.Error, status = fmt.Sprintf("Không tìm thấy hồ sơ mã %q.", code), http.StatusNotFound
		default:
			s.errorPage(w, r, err)
			return
		}
	}
	s.render(w, status, "lookup", data)
}

type loginData struct {
	page
	Username, Error string
	// SignOn are the national sign-on's providers, Next where their
	// sign-on lands (a local path).
	SignOn []accounts.SignOnProvider
	Next   string
	// Reset: a forgotten password is reset by e-mail here.
	Reset bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "login", s.loginData(w, r, ""))
}

// loginData is the login page's data, with error shown.
func (s *Server) loginData(w http.ResponseWriter, r *http.Request, msg string) loginData {
	_, reset := s.app.Accounts.LocalPasswords()
	return loginData{page: s.base(w, r, "login.title"), Error: msg, SignOn: s.app.Accounts.SignOnProviders(), Next: accounts.LocalPath(r.URL.Query().Get("next")), Reset: reset}
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if !checkCSRF(r) {
		s.loginAgain(w, r, http.StatusForbidden, "", "Phiên làm việc của biểu mẫu đã hết hạn; xin tải lại trang và đăng nhập lại.")
		return
	}
	user := strings.TrimSpace(r.PostFormValue("username"))
	l, err := s.app.Accounts.Login(r.Context(), identity.Actor{IP: auth.ClientIP(r.RemoteAddr), UserAgent: r.UserAgent()}, user, r.PostFormValue("password"))
	if err != nil {
		status, msg := s.userMessage(r, err)
		s.loginAgain(w, r, status, user, msg)
		return
	}
	s.loginNext(w, r, l)
}

// loginAgain shows the login page again after a posted step of the
// sign-in failed, with msg, the user name typed and where the sign-in
// lands (the form's next) kept.
func (s *Server) loginAgain(w http.ResponseWriter, r *http.Request, status int, user, msg string) {
	_, reset := s.app.Accounts.LocalPasswords()
	s.render(w, status, "login", loginData{page: s.base(w, r, "login.title"), Username: user, Error: msg, SignOn: s.app.Accounts.SignOnProviders(),
		Next: accounts.LocalPath(r.PostFormValue("next")), Reset: reset})
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if !checkCSRF(r) {
		http.Error(w, "Yêu cầu không hợp lệ.", http.StatusForbidden)
		return
	}
	if c, err := auth.Identify(r.Context(), s.app.Accounts, auth.Request(r)); err == nil && c.Actor.Account != nil {
		if err := s.app.Accounts.Logout(r.Context(), c.Actor, c.Token); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Warn("logout", "error", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: auth.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, s.afterLogout(w, r), http.StatusSeeOther)
}

// actionButton is an action offered on the dossier page.
type actionButton struct{ Value, Label string }

// formLink is a printable form of the dossier.
type formLink struct{ Number, Title string }

// account is the signed-in account of a request (auth.Identify, as for
// the API), nil when anonymous or the session is no longer valid.
func (s *Server) account(r *http.Request) *identity.Account {
	c, err := auth.Identify(r.Context(), s.app.Accounts, auth.Request(r))
	if err != nil {
		return nil
	}
	return c.Actor.Account
}

// signedIn returns the signed-in account, or redirects to the login page
// and returns nil.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) *identity.Account {
	if acc := s.account(r); acc != nil {
		return acc
	}
	http.Redirect(w, r, "/dang-nhap?next="+url.QueryEscape(returnTo(r)), http.StatusSeeOther)
	return nil
}

// returnTo is where the login brings back a visitor asked to log in by r:
// the page asked for, or, for a form posted (which a redirect cannot
// repeat), the page the form was on when it is one of ours.
func returnTo(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return accounts.LocalPath(ref.RequestURI())
	}
	return "/"
}

func handles(acc *identity.Account) bool {
	for _, g := range acc.Grants {
		switch g.Role {
		case identity.RoleReceiver, identity.RoleSpecialist, identity.RoleLeader, identity.RoleClerk:
			return true
		}
	}
	return false
}

// dossierPage shows one dossier with its steps, history, forms and the
// actions its viewer may try.
func (s *Server) dossierPage(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	s.showDossier(w, r, acc, r.PathValue("code"), http.StatusOK, "")
}

func (s *Server) showDossier(w http.ResponseWriter, r *http.Request, acc *identity.Account, code string, status int, msg string) {
	ac := pageActor(r, acc)
	d, err := s.app.Dossiers.Dossier(r.Context(), ac, code)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	out := api.NewDossierOut(r.Context(), s.app, &d)
	data := dossierPageData{page: s.base(w, r, ""), D: out, Error: msg, Reload: status == http.StatusConflict, Stars: []int{1, 2, 3, 4, 5}}
	data.Title = data.Tf("dossier.title", d.Code)
	data.CanRate = acc.ID == d.Applicant.AccountID && d.Status == dossier.StatusReturned && out.Rating == nil
	// The page offers exactly what the engine would accept from this
	// viewer now, as the actor the use case would act as.
	allowed := dossier.Allowed(&d, ac, s.app.Kernel.Now())
	for _, a := range allowed {
		if !ownControl[a] {
			data.Actions = append(data.Actions, actionButton{Value: string(a), Label: upperFirst(data.T(buttonKey(a)))})
		}
	}
	for _, n := range []string{"01", "02", "03", "04", "05", "06", "07"} {
		if formApplies(&d, n) {
			data.Forms = append(data.Forms, formLink{n, data.T(printformKey(n))})
		}
	}
	s.dossierPageExtras(r, acc, &d, &data, allowed)
	s.render(w, status, "dossier", data)
}

// formApplies reports whether form n exists yet for the dossier.
func formApplies(d *dossier.Dossier, n string) bool {
	has := func(a dossier.Action) bool {
		for _, e := range d.History {
			if e.Action == a {
				return true
			}
		}
		return false
	}
	switch n {
	case "01", "06":
		return d.ReceivedAt != nil
	case "02":
		return has(dossier.ActRequestSupplement)
	case "03":
		return has(dossier.ActRefuse)
	case "04":
		return len(d.Apologies) > 0
	case "05":
		return has(dossier.ActStop)
	}
	return false
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// dossierPost runs a form posted from the dossier page: signed in, CSRF
// checked, then do; an error shows the page again with the reason, success
// goes back to the page.
func (s *Server) dossierPost(w http.ResponseWriter, r *http.Request, do func(ac identity.Actor, code string) error) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	code := r.PathValue("code")
	if !checkCSRF(r) {
		s.showDossier(w, r, acc, code, http.StatusForbidden, "Phiên làm việc của biểu mẫu đã hết hạn; xin tải lại trang.")
		return
	}
	if err := do(pageActor(r, acc), code); err != nil {
		status, msg := s.userMessage(r, err)
		s.showDossier(w, r, acc, code, status, msg)
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(code), http.StatusSeeOther)
}

// dossierAction applies the action of the dossier page's form, made from
// the version the form carries; a withdrawal needs its reason and the box
// "Tôi xác nhận rút hồ sơ" ticked.
func (s *Server) dossierAction(w http.ResponseWriter, r *http.Request) {
	s.dossierPost(w, r, func(ac identity.Actor, code string) error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		act := dossier.Action(r.PostFormValue("action"))
		if act == dossier.ActWithdraw {
			if err := withdrawConfirmed(r); err != nil {
				return err
			}
		}
		in := dossier.Request{Action: act, Note: r.PostFormValue("note"), Version: version}
		if err := stepInput(r, &in); err != nil {
			return err
		}
		_, err = s.app.Dossiers.Act(r.Context(), ac, code, in)
		return err
	})
}

// rateDossier records the applicant's rating from the dossier page, made
// from the version the form carries.
func (s *Server) rateDossier(w http.ResponseWriter, r *http.Request) {
	s.dossierPost(w, r, func(ac identity.Actor, code string) error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		stars, _ := strconv.Atoi(r.PostFormValue("stars"))
		_, err = s.app.Dossiers.Rate(r.Context(), ac, code, stars, r.PostFormValue("comment"), version)
		return err
	})
}

// userMessage is the status and the Vietnamese sentence a page shows for a
// use case's error: the error's own message and those of its fields, or a
// generic one (the cause logged) for an internal error.
func (s *Server) userMessage(r *http.Request, err error) (int, string) {
	p := respond.ProblemOf(s.log, r, err)
	return p.Status, p.Message()
}

// pageActor is the signed-in account of a page's request as the use cases
// see it: the account, its address and browser (for the audit).
func pageActor(r *http.Request, acc *identity.Account) identity.Actor {
	return identity.Actor{Account: acc, IP: auth.ClientIP(r.RemoteAddr), UserAgent: r.UserAgent()}
}

// cookieAge is a session cookie's lifetime in seconds: relative, so that
// a browser whose clock differs from the server's keeps it as long.
func (s *Server) cookieAge(expires time.Time) int {
	return max(1, int(expires.Sub(s.app.Kernel.Now()).Seconds()))
}
