package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/unit"
)

// admAgencyKindKey is the key of an agency kind's name.
func admAgencyKindKey(k unit.AgencyKind) string { return keyOr("agency_kind."+string(k), string(k)) }

// admSignatureModes are the ways an agency's results may be signed.
var admSignatureModes = []admOption{{string(unit.SignSeal), "admin.agency.signature.seal"}, {string(unit.SignPersonal), "admin.agency.signature.personal"}}

func admAgencyKindOptions() []admOption {
	out := make([]admOption, len(unit.Kinds))
	for i, k := range unit.Kinds {
		out[i] = admOption{string(k), admAgencyKindKey(k)}
	}
	return out
}

// admAgencyRow is an agency in the list, with its kind (a key) and commune
// named.
type admAgencyRow struct {
	unit.Agency
	KindKey, Commune string
}

func (s *Server) adminCommuneName(code string) string {
	if code == "" {
		return ""
	}
	if c, err := s.app.Kernel.Units.Commune(code); err == nil {
		return c.Name
	}
	return code
}

// adminAgencies lists the province's agencies, by kind and commune (its
// code, or words of its name with or without diacritics).
func (s *Server) adminAgencies(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	kind, commune := r.URL.Query().Get("loai"), strings.TrimSpace(r.URL.Query().Get("xa"))
	if !slices.Contains(unit.Kinds, unit.AgencyKind(kind)) {
		kind = ""
	}
	data := struct {
		adminPage
		Kind, Commune string
		Kinds         []admOption
		Items         []admAgencyRow
	}{adminPage: adminPage{page: s.base(w, r, "admin.section.agencies")}, Kind: kind, Commune: commune, Kinds: admAgencyKindOptions()}
	if r.URL.Query().Get("da-luu") != "" {
		data.Notice = data.T("admin.agency.saved")
	}
	ags, err := s.app.Province.Agencies(r.Context(), unit.AgencyFilter{Kind: unit.AgencyKind(kind)})
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	var communes map[string]bool
	if commune != "" && len(commune) <= 100 {
		communes = map[string]bool{commune: true}
		if cs, err := s.app.Kernel.Units.FindCommunes(s.app.Kernel.Province.Code, commune); err == nil {
			for _, c := range cs {
				communes[c.Code] = true
			}
		}
	}
	for _, a := range ags {
		if communes != nil && !communes[a.CommuneCode] {
			continue
		}
		data.Items = append(data.Items, admAgencyRow{Agency: a, KindKey: admAgencyKindKey(a.Kind), Commune: s.adminCommuneName(a.CommuneCode)})
	}
	s.render(w, http.StatusOK, "admin_agencies", data)
}

// admAgencyForm is the agency form as typed.
type admAgencyForm struct {
	New                                         bool
	ID, Name, Kind, Sector, CommuneCode, Parent string
	Provisional                                 bool
	ReceivesForProvince                         bool
	Periods                                     []admPeriodRow
	Cutoff                                      string
	SignatureMode                               string
	Kinds, Parents, SignatureModes              []admOption
	Commune                                     string
}

type admPeriodRow struct{ Label, Start, End string }

// admPeriodLabel names the i-th period of the office hours: a key for the
// morning and the afternoon, the Vietnamese "Ca n" for the others.
func admPeriodLabel(i int) string {
	switch i {
	case 0:
		return "admin.agency.morning"
	case 1:
		return "admin.agency.afternoon"
	}
	return fmt.Sprintf("Ca %d", i+1)
}

func admAgencyFormOf(a unit.Agency) admAgencyForm {
	f := admAgencyForm{ID: a.ID, Name: a.Name, Kind: string(a.Kind), Sector: a.Sector, CommuneCode: a.CommuneCode, Parent: a.ParentID, Provisional: a.Provisional, ReceivesForProvince: a.ReceivesForProvince,
		SignatureMode: string(a.Signature())}
	h := a.OfficeHours
	if len(h.Periods) == 0 {
		h = calendar.DefaultOfficeHours()
	}
	for i, p := range h.Periods {
		f.Periods = append(f.Periods, admPeriodRow{admPeriodLabel(i), p.Start.String(), p.End.String()})
	}
	for i := len(f.Periods); i < 2; i++ {
		f.Periods = append(f.Periods, admPeriodRow{Label: admPeriodLabel(i)})
	}
	f.Cutoff = h.Cutoff.String()
	return f
}

// admTime reads a time of day typed as "7:30", "07:30" or "07:30:00".
func admTime(s string) (calendar.TimeOfDay, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 8 && strings.HasSuffix(s, ":00") {
		s = s[:5]
	}
	if len(s) == 4 && s[1] == ':' {
		s = "0" + s
	}
	t, err := calendar.ParseTimeOfDay(s)
	return t, err == nil
}

// admParseAgency reads the agency form; the problems with the office
// hours are named per input, in Vietnamese.
func admParseAgency(r *http.Request, id string, create bool) (unit.Agency, admAgencyForm, []errs.FieldError) {
	get := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := admAgencyForm{New: create, ID: id, Name: get("name"), Kind: get("kind"), Sector: get("sector"), CommuneCode: get("commune_code"),
		Parent: get("parent_id"), Provisional: get("provisional") != "", ReceivesForProvince: get("receives_for_province") != "", Cutoff: get("cutoff"),
		SignatureMode: get("signature_mode")}
	if create {
		f.ID = get("id")
	}
	var fe []errs.FieldError
	bad := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Key: "invalid", Message: msg}) }
	var h calendar.OfficeHours
	for i := range 8 {
		start, end := get(fmt.Sprintf("periods.%d.start", i)), get(fmt.Sprintf("periods.%d.end", i))
		if i >= 2 && start == "" && end == "" && r.PostForm[fmt.Sprintf("periods.%d.start", i)] == nil {
			break
		}
		f.Periods = append(f.Periods, admPeriodRow{admPeriodLabel(i), start, end})
		if start == "" && end == "" {
			continue
		}
		path := fmt.Sprintf("office_hours.periods[%d]", i)
		st, ok1 := admTime(start)
		en, ok2 := admTime(end)
		switch {
		case !ok1 || !ok2:
			bad(path, fmt.Sprintf("%s: giờ phải có dạng HH:MM (ví dụ 07:30), cả giờ bắt đầu và giờ kết thúc.", translate("vi", admPeriodLabel(i))))
		case st >= en:
			bad(path, fmt.Sprintf("%s: giờ bắt đầu phải trước giờ kết thúc.", translate("vi", admPeriodLabel(i))))
		case len(h.Periods) > 0 && st < h.Periods[len(h.Periods)-1].End:
			bad(path, fmt.Sprintf("%s phải bắt đầu sau khi buổi trước kết thúc.", translate("vi", admPeriodLabel(i))))
		default:
			h.Periods = append(h.Periods, calendar.Period{Start: st, End: en})
		}
	}
	if len(h.Periods) == 0 && len(fe) == 0 {
		bad("office_hours.periods[0]", "Cần có ít nhất một buổi làm việc.")
	}
	cutoff, ok := admTime(f.Cutoff)
	switch {
	case f.Cutoff == "":
		cutoff = calendar.EndOfDay
	case !ok:
		bad("office_hours.cutoff", "Giờ cắt nhận hồ sơ phải có dạng HH:MM (ví dụ 15:00).")
	case len(h.Periods) > 0 && cutoff < h.Periods[0].Start:
		bad("office_hours.cutoff", "Giờ cắt nhận hồ sơ không được sớm hơn giờ bắt đầu làm việc.")
	}
	h.Cutoff = cutoff
	a := unit.Agency{ID: f.ID, Name: f.Name, Kind: unit.AgencyKind(f.Kind), Sector: f.Sector, CommuneCode: f.CommuneCode, ParentID: f.Parent,
		Provisional: f.Provisional, ReceivesForProvince: f.ReceivesForProvince, OfficeHours: h, SignatureMode: unit.SignatureMode(f.SignatureMode)}
	if a.Kind != unit.KindDepartment {
		a.Sector = ""
	}
	return a, f, fe
}

type admAgencyData struct {
	adminPage
	Form admAgencyForm
}

func (s *Server) adminAgencyOptions(r *http.Request, except string) []admOption {
	ags, _ := s.app.Province.Agencies(r.Context(), unit.AgencyFilter{})
	var out []admOption
	for _, a := range ags {
		if a.ID != except {
			out = append(out, admOption{a.ID, a.Name})
		}
	}
	return out
}

func (s *Server) adminShowAgency(w http.ResponseWriter, r *http.Request, data admAgencyData, status int) {
	data.Form.Kinds = admAgencyKindOptions()
	data.Form.SignatureModes = admSignatureModes
	data.Form.Parents = s.adminAgencyOptions(r, data.Form.ID)
	data.Form.Commune = s.adminCommuneName(data.Form.CommuneCode)
	s.render(w, status, "admin_agency", data)
}

func (s *Server) adminNewAgency(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	f := admAgencyFormOf(unit.Agency{Kind: unit.KindCommuneCommittee})
	f.New, f.Provisional = true, true
	s.adminShowAgency(w, r, admAgencyData{adminPage: adminPage{page: s.base(w, r, "admin.agency.add")}, Form: f}, http.StatusOK)
}

func (s *Server) adminAgency(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	a, err := s.app.Province.Agency(r.Context(), r.PathValue("id"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := admAgencyData{adminPage: adminPage{page: s.base(w, r, "admin.agency.edit")}, Form: admAgencyFormOf(a)}
	if r.URL.Query().Get("da-luu") != "" {
		data.Notice = data.T("admin.agency.saved")
	}
	s.adminShowAgency(w, r, data, http.StatusOK)
}

// adminSaveAgency saves the agency form through PutAgency.
func (s *Server) adminSaveAgency(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, adminFormLimit)
	if !ok {
		return
	}
	id := r.PathValue("id")
	create := id == ""
	title := "admin.agency.edit"
	if create {
		title = "admin.agency.add"
	} else if _, err := s.app.Province.Agency(r.Context(), id); err != nil {
		s.errorPage(w, r, err)
		return
	}
	a, f, fe := admParseAgency(r, id, create)
	data := admAgencyData{adminPage: adminPage{page: s.base(w, r, title)}, Form: f}
	if create {
		if _, err := s.app.Province.Agency(r.Context(), a.ID); err == nil {
			fe = append(fe, errs.FieldError{Field: "id", Key: "exists", Message: "Đã có cơ quan mang mã định danh này."})
		}
	}
	if len(fe) > 0 {
		data.Error = data.T("admin.agency.not_saved")
		data.addFields(fe)
		s.adminShowAgency(w, r, data, http.StatusUnprocessableEntity)
		return
	}
	if old, err := s.app.Province.Agency(r.Context(), a.ID); err == nil && !create {
		a.Bank = old.Bank // the form has no fee account: an edit keeps it (edited on its own page, /quan-tri/co-quan/{id}/tai-khoan)
	}
	saved, err := s.app.Province.PutAgency(r.Context(), ac, a)
	if err != nil {
		status := s.adminFail(r, &data.adminPage, err)
		s.adminShowAgency(w, r, data, status)
		return
	}
	http.Redirect(w, r, "/quan-tri/co-quan/"+url.PathEscape(saved.ID)+"?da-luu=1", http.StatusSeeOther)
}

// admAccountRow is an account in the list, with its roles named.
type admAccountRow struct {
	identity.Account
	Roles []string
}

var admKinds = admCodes("account_kind", "official", "citizen", "enterprise")

// admKindKey is the key of an account kind's name (the kind itself when
// unknown).
func admKindKey(k identity.Kind) string {
	for _, o := range admKinds {
		if o.Value == string(k) {
			return o.Label
		}
	}
	return string(k)
}

// adminAccounts finds accounts by name, username or citizen ID, kind and
// agency (the read is audited by the use case).
func (s *Server) adminAccounts(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 0)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := identity.AccountFilter{Text: strings.TrimSpace(q.Get("q")), AgencyID: q.Get("co-quan"), Kind: identity.Kind(q.Get("loai")), Limit: 100}
	if !slices.ContainsFunc(admKinds, func(o admOption) bool { return o.Value == string(f.Kind) }) {
		f.Kind = ""
	}
	if r := []rune(f.Text); len(r) > 100 {
		f.Text = string(r[:100])
	}
	data := struct {
		adminPage
		Query, Kind, Agency string
		Kinds, Agencies     []admOption
		Items               []admAccountRow
		Total               int
	}{adminPage: adminPage{page: s.base(w, r, "admin.section.accounts")}, Query: f.Text, Kind: string(f.Kind), Agency: f.AgencyID, Kinds: admKinds, Agencies: s.adminAgencyOptions(r, "")}
	list, total, err := s.app.Accounts.Accounts(r.Context(), ac, f)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	names := s.adminAgencyNames(r)
	for _, a := range list {
		row := admAccountRow{Account: a}
		for _, g := range a.Grants {
			row.Roles = append(row.Roles, data.T(roleKey(g.Role))+" — "+names[g.AgencyID])
		}
		data.Items = append(data.Items, row)
	}
	data.Total = total
	s.render(w, http.StatusOK, "admin_accounts", data)
}

func (s *Server) adminAgencyNames(r *http.Request) map[string]string {
	m := map[string]string{}
	ags, _ := s.app.Province.Agencies(r.Context(), unit.AgencyFilter{})
	for _, a := range ags {
		m[a.ID] = a.Name
	}
	return m
}

func admRoles() []admOption {
	out := make([]admOption, len(identity.Roles))
	for i, r := range identity.Roles {
		out[i] = admOption{string(r), roleKey(r)}
	}
	return out
}

// admAccountForm is the new official's form as typed.
type admAccountForm struct {
	Username, DisplayName, CitizenID, Email, Phone, Role, Agency string
	Roles, Agencies                                              []admOption
}

func (s *Server) adminShowNewAccount(w http.ResponseWriter, r *http.Request, p adminPage, f admAccountForm, status int) {
	f.Roles, f.Agencies = admRoles(), s.adminAgencyOptions(r, "")
	s.render(w, status, "admin_account_new", struct {
		adminPage
		Form admAccountForm
	}{p, f})
}

func (s *Server) adminNewAccount(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	s.adminShowNewAccount(w, r, adminPage{page: s.base(w, r, "admin.account.new")}, admAccountForm{Role: string(identity.RoleSpecialist)}, http.StatusOK)
}

// adminCreateAccount creates an official's account, with a first role
// when one is chosen.
func (s *Server) adminCreateAccount(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 64<<10)
	if !ok {
		return
	}
	get := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := admAccountForm{Username: get("username"), DisplayName: get("display_name"), CitizenID: get("citizen_id"), Email: get("email"), Phone: get("phone"), Role: get("role"), Agency: get("agency_id")}
	p := adminPage{page: s.base(w, r, "admin.account.new")}
	in := accounts.NewAccount{Account: identity.Account{Username: f.Username, DisplayName: f.DisplayName, Kind: identity.KindOfficial, CitizenID: f.CitizenID, Email: f.Email, Phone: f.Phone, Grants: []identity.Grant{}}, Password: r.PostFormValue("password")}
	// The form has no identity_verified: a script posting it is refused by
	// CreateAccount (an administrator does not verify identities) rather
	// than silently ignored.
	switch get("identity_verified") {
	case "", "0", "false", "off":
	default:
		in.IdentityVerified = true
	}
	if f.Agency != "" {
		if _, err := s.app.Province.Agency(r.Context(), f.Agency); err != nil {
			p.Error = p.T("admin.account.not_created")
			p.addFields([]errs.FieldError{{Field: "grants[0].agency_id", Key: "unknown", Message: "Cơ quan không tồn tại."}})
			s.adminShowNewAccount(w, r, p, f, http.StatusUnprocessableEntity)
			return
		}
		in.Grants = []identity.Grant{{Role: identity.Role(f.Role), AgencyID: f.Agency}}
	}
	acc, err := s.app.Accounts.CreateAccount(r.Context(), ac, in)
	if err != nil {
		status := s.adminFail(r, &p, err)
		s.adminShowNewAccount(w, r, p, f, status)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/tai-khoan/%d?da-tao=1", acc.ID), http.StatusSeeOther)
}

type admGrantRow struct {
	Role, RoleKey, AgencyID, AgencyName string
}

func (s *Server) adminShowAccount(w http.ResponseWriter, r *http.Request, ac identity.Actor, p adminPage, status int) {
	id, ok := s.accountID(w, r)
	if !ok {
		return
	}
	acc, err := s.app.Accounts.Account(r.Context(), ac, id)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	names := s.adminAgencyNames(r)
	data := struct {
		adminPage
		Account         identity.Account
		KindKey         string
		Grants          []admGrantRow
		Roles, Agencies []admOption
		Self            bool
		Factor          accounts.SecondFactor
	}{adminPage: p, Account: acc, KindKey: admKindKey(acc.Kind), Roles: admRoles(), Agencies: s.adminAgencyOptions(r, ""), Self: ac.Account.ID == acc.ID}
	if data.Factor, err = s.app.Accounts.SecondFactorOf(r.Context(), ac, id); err != nil {
		s.errorPage(w, r, err)
		return
	}
	for _, g := range acc.Grants {
		data.Grants = append(data.Grants, admGrantRow{string(g.Role), roleKey(g.Role), g.AgencyID, names[g.AgencyID]})
	}
	s.render(w, status, "admin_account", data)
}

func (s *Server) adminAccount(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 0)
	if !ok {
		return
	}
	p := adminPage{page: s.base(w, r, "admin.account.title")}
	switch {
	case r.URL.Query().Get("da-tao") != "":
		p.Notice = p.T("admin.account.created")
	case r.URL.Query().Get("da-luu") != "":
		p.Notice = p.T("admin.account.saved")
	case r.URL.Query().Get("da-ket-thuc-phien") != "":
		p.Notice = p.T("admin.account.sessions_ended")
	}
	s.adminShowAccount(w, r, ac, p, http.StatusOK)
}

// adminGrants grants a role at an agency ("them") or revokes one ("bo")
// through SetGrants.
func (s *Server) adminGrants(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 16<<10)
	if !ok {
		return
	}
	p := adminPage{page: s.base(w, r, "admin.account.title")}
	id, ok := s.accountID(w, r)
	if !ok {
		return
	}
	acc, err := s.app.Accounts.Account(r.Context(), ac, id)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	g := identity.Grant{Role: identity.Role(r.PostFormValue("role")), AgencyID: r.PostFormValue("agency_id")}
	grants := slices.Clone(acc.Grants)
	switch r.PostFormValue("op") {
	case "them":
		if _, err := s.app.Province.Agency(r.Context(), g.AgencyID); err != nil {
			p.Error = p.T("admin.account.agency_unknown")
			s.adminShowAccount(w, r, ac, p, http.StatusUnprocessableEntity)
			return
		}
		if slices.Contains(grants, g) {
			p.Error = p.T("admin.account.role_held")
			s.adminShowAccount(w, r, ac, p, http.StatusConflict)
			return
		}
		grants = append(grants, g)
	case "bo":
		if id == ac.Account.ID && g.Role == identity.RoleAdmin {
			p.Error = p.T("admin.account.own_admin_role")
			s.adminShowAccount(w, r, ac, p, http.StatusConflict)
			return
		}
		grants = slices.DeleteFunc(grants, func(x identity.Grant) bool { return x == g })
	default:
		p.Error = p.T("admin.account.invalid_operation")
		s.adminShowAccount(w, r, ac, p, http.StatusBadRequest)
		return
	}
	if grants == nil {
		grants = []identity.Grant{}
	}
	if _, err := s.app.Accounts.SetGrants(r.Context(), ac, id, grants); err != nil {
		status := s.adminFail(r, &p, err)
		s.adminShowAccount(w, r, ac, p, status)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/tai-khoan/%d?da-luu=1", id), http.StatusSeeOther)
}

// adminDisable disables or enables an account through SetDisabled; an
// administrator cannot disable their own account.
func (s *Server) adminDisable(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 16<<10)
	if !ok {
		return
	}
	p := adminPage{page: s.base(w, r, "admin.account.title")}
	id, ok := s.accountID(w, r)
	if !ok {
		return
	}
	disable := r.PostFormValue("disabled") == "1"
	if disable && id == ac.Account.ID {
		p.Error = p.T("admin.account.own_disable")
		s.adminShowAccount(w, r, ac, p, http.StatusConflict)
		return
	}
	if err := s.app.Accounts.SetDisabled(r.Context(), ac, id, disable); err != nil {
		status := s.adminFail(r, &p, err)
		if status == http.StatusNotFound {
			s.errorPage(w, r, err)
			return
		}
		s.adminShowAccount(w, r, ac, p, status)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/tai-khoan/%d?da-luu=1", id), http.StatusSeeOther)
}

// adminResetFactor resets an account's second factor through
// ResetSecondFactor (a lost phone): its sessions end, its next login
// enrols anew if its roles require a factor.
func (s *Server) adminResetFactor(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 16<<10)
	if !ok {
		return
	}
	p := adminPage{page: s.base(w, r, "admin.account.title")}
	id, ok := s.accountID(w, r)
	if !ok {
		return
	}
	if err := s.app.Accounts.ResetSecondFactor(r.Context(), ac, id); err != nil {
		status := s.adminFail(r, &p, err)
		if status == http.StatusNotFound {
			s.errorPage(w, r, err)
			return
		}
		s.adminShowAccount(w, r, ac, p, status)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/tai-khoan/%d?da-luu=1", id), http.StatusSeeOther)
}

// accountID is the account of the console page's path, or a "no such
// account" page.
func (s *Server) accountID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.errorPage(w, r, errs.New(errs.NotFound, "account.not_found", "Không có tài khoản này.", "no such account"))
		return 0, false
	}
	return id, true
}
