package dossiers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/codelist"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
)

type compiledForm struct {
	updated time.Time
	form    *catalog.Form
}

// form returns the procedure's compiled declaration form, cached until the
// procedure changes.
func (s *Service) form(p *catalog.Procedure) (*catalog.Form, error) {
	s.formMu.Lock()
	c, ok := s.forms[p.Code]
	s.formMu.Unlock()
	if ok && c.updated.Equal(p.UpdatedAt) {
		return c.form, nil
	}
	f, err := catalog.CompileForm(p.FormSchema)
	if err != nil {
		return nil, fmt.Errorf("form of %s: %w", p.Code, err)
	}
	s.formMu.Lock()
	s.forms[p.Code] = compiledForm{updated: p.UpdatedAt, form: f}
	s.formMu.Unlock()
	return f, nil
}

// Upload stores a file for a later submission and returns its record.
func (s *Service) Upload(ctx context.Context, ac identity.Actor, name, contentType string, body io.Reader) (blob.File, error) {
	if ac.Account == nil {
		return blob.File{}, ac.Require(identity.PermDossierSubmit, "")
	}
	if s.files == nil {
		return blob.File{}, errs.New(errs.Unavailable, "file.store", "Kho tệp chưa được cấu hình.", "no file store")
	}
	// Refused before reading the body if the account is over its limits
	// already; checked again with the size in the transaction.
	u, err := s.db.UploadUsage(ctx, ac.Account.ID, s.Now().Add(-time.Hour))
	if err != nil {
		return blob.File{}, fmt.Errorf("upload: %w", err)
	}
	if err := s.uploadLimits(u, 0); err != nil {
		return blob.File{}, err
	}
	sum, size, ctype, err := s.files.Put(body, contentType)
	if err != nil {
		return blob.File{}, fmt.Errorf("upload: %w", err)
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	f := blob.File{ID: hex.EncodeToString(b), SHA256: sum, Size: size, ContentType: ctype, Name: strings.TrimSpace(name), OwnerID: ac.Account.ID, CreatedAt: s.Now()}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		u, err := tx.UploadUsage(ctx, ac.Account.ID, f.CreatedAt.Add(-time.Hour))
		if err != nil {
			return err
		}
		if err := s.uploadLimits(u, size); err != nil {
			return err
		}
		if err := tx.CreateFile(ctx, f); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "file.upload", "file:"+f.ID, map[string]any{"sha256": sum, "size": size, "content_type": ctype})
	})
	if err != nil {
		// Nothing of a refused upload stays in the file store, unless
		// the same content is referenced otherwise.
		if ref, rerr := s.db.FileContentReferenced(ctx, sum); rerr == nil && !ref {
			_ = s.files.Remove(sum)
		}
		var re *accounts.RetryError
		if errors.As(err, &re) {
			return blob.File{}, err
		}
		return blob.File{}, fmt.Errorf("upload: %w", err)
	}
	return f, nil
}

// uploadLimits refuses an upload of size bytes past the account's limits:
// uploads per hour (RateLimited, retry when the oldest of the hour is an
// hour old) and bytes not yet attached to a dossier (Invalid).
func (s *Service) uploadLimits(u store.UploadUsage, size int64) error {
	if u.Count >= s.perHour {
		wait := max(u.Oldest.Add(time.Hour).Sub(s.Now()), time.Second)
		mins := int(math.Ceil(wait.Minutes()))
		e := errs.New(errs.RateLimited, "file.rate_limited",
			fmt.Sprintf("Bạn đã tải lên %d tệp trong một giờ qua, mức tối đa cho phép. Vui lòng thử lại sau %d phút.", u.Count, mins),
			fmt.Sprintf("%d uploads in the last hour", u.Count))
		return &accounts.RetryError{Err: e, After: wait}
	}
	if u.UnattachedBytes+size > s.maxBytes || u.UnattachedBytes >= s.maxBytes {
		return errs.New(errs.Invalid, "file.quota",
			fmt.Sprintf("Các tệp đã tải lên nhưng chưa nộp kèm hồ sơ đã đạt mức tối đa %d MB. Hãy nộp hồ sơ với các tệp đã tải, hoặc chờ các tệp chưa dùng được xoá sau 24 giờ.", s.maxBytes>>20),
			fmt.Sprintf("unattached uploads over %d bytes", s.maxBytes))
	}
	return nil
}

// SubmitInput is an application.
type SubmitInput struct {
	ProcedureCode string
	Form          json.RawMessage
	Components    []dossier.ComponentInput
	// CommuneCode chooses the competent commune of a commune-level
	// procedure (default: the applicant's commune).
	CommuneCode string
	// Applicant is set by a counter submitting for a walk-in applicant or a
	// postal dossier; online applicants are their account.
	Applicant *dossier.Applicant
	Channel   dossier.Channel // for counters: in person (default) or post
	// Receive receives a counter's dossier in the same transaction
	// (counter intake of a walk-in applicant): status 2, the clock starts.
	Receive bool
	// Prefilled names the datasets the form was prefilled from. A claim
	// counts (the dataset recorded with the dossier as a database used)
	// only where the server served that prefill to the submitting account
	// for this procedure within sharedata.PrefillWindow; other claims,
	// unknown codes included, are ignored.
	Prefilled []string
	// Delivery is how the applicant receives the result (nil: not chosen).
	Delivery *dossier.Delivery
	// Exemption claims one of the procedure's fee exemptions (nil: none),
	// decided at the counter during reception (DecideExemption); a counter
	// receiving at once (Receive) confirms it then, the paper seen.
	Exemption *ExemptionInput
}

// ExemptionInput is a claimed fee exemption: the code of one of the
// procedure's fee_exemptions and the upload of its proof (required unless
// the official reads it in a shared dataset or, at a counter receiving at
// once, sees the paper).
type ExemptionInput struct {
	Code   string `json:"code" maxLength:"20" doc:"The code of one of the procedure's fee_exemptions"`
	FileID string `json:"file_id,omitempty" maxLength:"64" doc:"The proof uploaded with POST /api/v1/files (required unless the exemption has proof_data, or a counter submits with receive: the paper is seen and the claim confirmed at once)"`
}

func invalidFields(fe []errs.FieldError) error {
	return errs.InvalidFields("dossier.invalid", "Hồ sơ chưa hợp lệ: xem chi tiết từng trường.", "invalid dossier", fe)
}

// Submit files an application: it validates the form and the components
// against the procedure, routes the dossier to the competent agency
// (whatever counter it came in at), numbers it, and stores it with its
// audit entry and outbox event in one transaction.
func (s *Service) Submit(ctx context.Context, ac identity.Actor, in SubmitInput) (dossier.Dossier, error) {
	if ac.Account == nil {
		return dossier.Dossier{}, ac.Require(identity.PermDossierSubmit, "")
	}
	acc := ac.Account
	p, err := s.prov.Procedure(ctx, strings.TrimSpace(in.ProcedureCode))
	if err != nil {
		return dossier.Dossier{}, fmt.Errorf("submit: %w", err)
	}
	if err := offered(&p); err != nil {
		return dossier.Dossier{}, err
	}
	var app dossier.Applicant
	ch, counter := dossier.ChannelOnline, ""
	switch {
	case in.Applicant != nil:
		ag, ok := identity.ActorOf(acc).Holds(identity.RoleReceiver, "")
		if !ok {
			return dossier.Dossier{}, errs.New(errs.Forbidden, "dossier.counter_only", "Chỉ bộ phận một cửa được nộp hồ sơ thay người nộp.", "only a receiver may submit for someone else")
		}
		app, counter = *in.Applicant, ag
		app.AccountID = 0
		ch = dossier.ChannelInPerson
		if in.Channel == dossier.ChannelPost {
			ch = dossier.ChannelPost
		}
		if fe := checkApplicant(&app); len(fe) > 0 {
			return dossier.Dossier{}, invalidFields(fe)
		}
		// A walk-in with a verified account of the same citizen ID follows
		// the dossier from "my dossiers" (supplement, withdraw, rate).
		if app.CitizenID != "" {
			id, err := s.verifiedCitizen(ctx, app.CitizenID)
			if err != nil {
				return dossier.Dossier{}, fmt.Errorf("submit: %w", err)
			}
			app.AccountID = id
		}
	case acc.Kind == identity.KindCitizen || acc.Kind == identity.KindEnterprise || acc.Kind == identity.KindOrganization:
		if p.OnlineLevel == catalog.OnlineNone {
			return dossier.Dossier{}, errs.New(errs.Conflict, "dossier.not_online",
				fmt.Sprintf("Thủ tục %q chưa cung cấp dịch vụ công trực tuyến; xin nộp tại bộ phận một cửa.", p.Name), "procedure not offered online")
		}
		app = dossier.Applicant{AccountID: acc.ID, Type: dossier.ApplicantCitizen, Name: acc.DisplayName, CitizenID: acc.CitizenID,
			CommuneCode: acc.CommuneCode, Phone: acc.Phone, Email: acc.Email, TechID: acc.TechID, VNeID: acc.VNeID}
		switch acc.Kind {
		case identity.KindEnterprise:
			app.Type, app.TaxCode = dossier.ApplicantEnterprise, acc.TaxCode
		case identity.KindOrganization:
			app.Type, app.TaxCode = dossier.ApplicantOrganisation, acc.TaxCode
		}
	default:
		return dossier.Dossier{}, errs.New(errs.Forbidden, "dossier.submit_forbidden", "Tài khoản cán bộ chỉ nộp hồ sơ thay người dân tại bộ phận một cửa (kèm thông tin người nộp).", "officials submit only for an applicant")
	}
	if len(p.Applicants) > 0 && !slices.Contains(p.Applicants, applicantKind(app.Type)) {
		return dossier.Dossier{}, errs.New(errs.Invalid, "dossier.applicant_type", fmt.Sprintf("Thủ tục %q không dành cho đối tượng này.", p.Name), "procedure not for this applicant type")
	}

	form, codes, fe, err := s.checkForm(&p, in.Form)
	if err != nil {
		return dossier.Dossier{}, err
	}
	fe = append(fe, dossier.CheckDelivery(in.Delivery)...)
	if app.Address == "" { // online: the residence the declaration gives (form 01's "Địa chỉ")
		app.Address = catalog.PrefilledAnswer(p.FormSchema, form, "population.address")
	}
	ups := make([]dossier.Component, len(in.Components))
	for i, c := range in.Components {
		ups[i] = dossier.Component{Code: strings.TrimSpace(c.Code), FileID: strings.TrimSpace(c.FileID)}
	}
	// The person whose data and documents may stand in for papers: the
	// verified citizen online, the walk-in at a counter.
	holder := sharedata.Access(ac, registry.PurposeReplace, p.Code, "").Citizen
	if in.Applicant != nil {
		holder = app.CitizenID
	}
	ups, reads, rfe := s.data.ReplaceComponents(ctx, ac, &p, holder, in.Components, ups)
	fe = append(fe, rfe...)
	ups, docReads, dfe := s.data.StoredDocuments(ctx, holder, in.Components, ups)
	fe = append(fe, dfe...)
	fe = append(fe, dossier.CheckComponents(&p, ups)...)
	for i := range ups {
		if ups[i].FileID == "" || ups[i].Data != nil || ups[i].DocumentID != "" {
			continue
		}
		file, err := s.db.File(ctx, ups[i].FileID)
		if err != nil || file.OwnerID != acc.ID {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("components[%d].file_id", i), Key: "unknown", Message: "Không tìm thấy tệp đã tải lên (hãy tải tệp lên trước khi nộp)."})
			continue
		}
		ups[i].SHA256, ups[i].Size, ups[i].ContentType = file.SHA256, file.Size, file.ContentType
	}

	claim, cfe := s.claimExemption(ctx, acc.ID, &p, in, ch, app.Type)
	fe = append(fe, cfe...)

	commune := strings.TrimSpace(in.CommuneCode)
	if commune == "" {
		commune = app.CommuneCode
	}
	competent, stepAgencies, routeErr := s.route(ctx, &p, commune, counter)
	if routeErr != nil {
		if e, ok := errs.As(routeErr); ok && e.Kind == errs.Invalid {
			fe = append(fe, e.Fields...)
		} else {
			return dossier.Dossier{}, fmt.Errorf("submit %s: %w", p.Code, routeErr)
		}
	}
	if len(fe) > 0 {
		return dossier.Dossier{}, invalidFields(fe)
	}

	cal, err := s.receiveCalendar(ctx, in.Receive, counter, competent)
	if err != nil {
		return dossier.Dossier{}, err
	}
	now := s.Now()
	d, err := dossier.New(&p, app, form, ups, ch, counter, competent, stepAgencies, now)
	if err != nil {
		return dossier.Dossier{}, err
	}
	d.NameAgencies(s.agencyName(ctx))
	d.SubmittedBy = acc.ID
	d.Delivery, d.Codes, d.Exemption = in.Delivery, codes, claim
	// The databases used are those the server read for this applicant: the
	// components replaced by data (dossier.New) and a prefill it served to
	// this account for this procedure; what the client claims is only a
	// filter on the latter.
	prefilled, err := s.data.Prefilled(ctx, ac, p.Code, in.Prefilled)
	if err != nil {
		return dossier.Dossier{}, fmt.Errorf("submit %s: %w", p.Code, err)
	}
	for _, code := range prefilled {
		if ds, err := s.data.Dataset(code); err == nil && !slices.Contains(d.Databases, ds.NationalCode) {
			d.Databases = append(d.Databases, ds.NationalCode)
		}
	}
	d.History[0].ActorID, d.History[0].Actor, d.History[0].AgencyID = acc.ID, acc.DisplayName, counter
	codeAgency := counter
	if codeAgency == "" {
		codeAgency = competent
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		seq, err := tx.NextSequence(ctx, codeAgency, dossier.SequenceDay(now))
		if err != nil {
			return err
		}
		d.Code = dossier.Code(codeAgency, now, seq)
		if err := tx.CreateDossier(ctx, d); err != nil {
			return err
		}
		if err := s.dossierChanged(ctx, tx, ac, d, dossier.ActSubmit); err != nil {
			return err
		}
		for _, r := range reads {
			r["dossier"] = d.Code
			if err := s.Record(ctx, tx, ac, "registry.lookup", "dataset:"+r["dataset"].(string), r); err != nil {
				return err
			}
		}
		for _, id := range docReads {
			if err := s.Record(ctx, tx, ac, "wallet.reuse", "document:"+id, map[string]any{"dossier": d.Code}); err != nil {
				return err
			}
		}
		if in.Receive {
			if d.Exemption != nil {
				if err := s.confirmAtCounter(ctx, tx, ac, d, now); err != nil {
					return err
				}
			}
			if err := s.receiveAtCounter(ctx, tx, ac, d, cal, now); err != nil {
				return err
			}
		}
		return s.notice(ctx, tx, d)
	})
	if err != nil {
		return dossier.Dossier{}, fmt.Errorf("submit %s: %w", p.Code, err)
	}
	return *d, nil
}

// checkForm cleans a declaration ("{}" when none), resolves its coded
// fields (catalog.Form.Coded: their codes are returned) and checks it
// against the procedure's form: the problems are fields "form" and
// "form.<path>", all of them at once.
func (s *Service) checkForm(p *catalog.Procedure, form json.RawMessage) (json.RawMessage, []codelist.Value, []errs.FieldError, error) {
	if len(form) == 0 {
		form = json.RawMessage("{}")
	}
	f, err := s.form(p)
	if err != nil {
		return nil, nil, nil, err
	}
	var fe []errs.FieldError
	form, cfe := catalog.CleanValues(form)
	form, codes, kfe := f.Coded(form)
	cfe = append(cfe, kfe...)
	coded := map[string]bool{}
	for _, e := range kfe {
		coded[e.Field] = true
	}
	for _, e := range append(cfe, f.Validate(form)...) {
		if e.Key != "code" && coded[e.Field] {
			continue // one message per field: the list's
		}
		e.Field = "form." + strings.TrimPrefix(e.Field, "form")
		e.Field = strings.Replace(e.Field, "form..", "form.", 1)
		if e.Field == "form." {
			e.Field = "form"
		}
		fe = append(fe, e)
	}
	return form, codes, fe, nil
}

// offered refuses a procedure that takes no new dossier: one the national
// catalogue withdrew.
func offered(p *catalog.Procedure) error {
	if p.WithdrawnAt != nil {
		return errs.New(errs.Conflict, "dossier.procedure_withdrawn",
			fmt.Sprintf("Thủ tục %q đã được bãi bỏ trong danh mục thủ tục hành chính quốc gia, không nhận hồ sơ mới.", p.Name), "procedure withdrawn from the national catalogue")
	}
	return nil
}

func applicantKind(t dossier.ApplicantType) string {
	switch t {
	case dossier.ApplicantEnterprise:
		return "enterprise"
	case dossier.ApplicantAgency:
		return "agency"
	case dossier.ApplicantOrganisation:
		return "organisation"
	}
	return "citizen"
}

func checkApplicant(app *dossier.Applicant) []errs.FieldError {
	var fe []errs.FieldError
	if app.Type == 0 {
		app.Type = dossier.ApplicantCitizen
	}
	if name, err := vntext.CleanName(app.Name); err != nil {
		key, msg, _ := vntext.Problem(err, "Họ tên người nộp hồ sơ")
		if key == "required" {
			msg = "Cần nhập họ tên người nộp hồ sơ."
		}
		fe = append(fe, errs.FieldError{Field: "applicant.name", Key: key, Message: msg})
	} else {
		app.Name = name
	}
	if app.Type == dossier.ApplicantCitizen && !identity.ValidCitizenID(app.CitizenID) {
		fe = append(fe, errs.FieldError{Field: "applicant.citizen_id", Key: "cccd", Message: "Số định danh cá nhân phải gồm đúng 12 chữ số."})
	}
	if app.Type < dossier.ApplicantCitizen || app.Type > dossier.ApplicantOrganisation {
		fe = append(fe, errs.FieldError{Field: "applicant.type", Key: "enum", Message: "Loại đối tượng phải là 1 (công dân), 2 (doanh nghiệp), 3 (cơ quan nhà nước) hoặc 4 (tổ chức khác)."})
	}
	return fe
}

// route finds the competent agency of a procedure for a commune and the
// agency of every step: commune-level procedures go to the People's
// Committee of the commune, province-level ones to the agency of the
// procedure's kind; an interconnected step goes to the agency of its kind
// in the commune, else in the province. The receiving step is the
// counter's, or any counter's for an online dossier.
func (s *Service) route(ctx context.Context, p *catalog.Procedure, commune, counter string) (string, []string, error) {
	kind, sector, _ := strings.Cut(p.AgencyKind, ":")
	if p.Level == catalog.LevelCommune {
		c, err := s.Units.Commune(commune)
		if err != nil || c.ProvinceCode != s.Province.Code {
			return "", nil, errs.InvalidFields("dossier.commune", "Xã, phường không hợp lệ.", "bad commune", []errs.FieldError{{Field: "commune_code", Key: "commune",
				Message: "Cần chọn xã, phường, đặc khu thuộc tỉnh nơi giải quyết thủ tục cấp xã."}})
		}
	} else {
		commune = ""
	}
	find := func(kind unit.AgencyKind, sector, commune string) (string, error) {
		if commune != "" {
			if ags, err := s.prov.AgencyList(ctx, unit.AgencyFilter{Kind: kind, Sector: sector, CommuneCode: commune}); err != nil {
				return "", err
			} else if len(ags) > 0 {
				return ags[0].ID, nil
			}
		}
		ags, err := s.prov.AgencyList(ctx, unit.AgencyFilter{Kind: kind, Sector: sector})
		if err != nil {
			return "", err
		}
		for _, ag := range ags {
			if ag.CommuneCode == "" {
				return ag.ID, nil
			}
		}
		return "", errs.New(errs.Conflict, "dossier.no_agency", fmt.Sprintf("Chưa có cơ quan loại %q để giải quyết thủ tục.", p.AgencyKind), "no agency of kind "+p.AgencyKind)
	}
	var competent string
	var err error
	if commune != "" {
		// A commune-level procedure is decided in the commune (the
		// residence registration by the commune police, not the
		// province's): no fallback to a provincial agency of the kind.
		ags, err := s.prov.AgencyList(ctx, unit.AgencyFilter{Kind: unit.AgencyKind(kind), Sector: sector, CommuneCode: commune})
		if err != nil {
			return "", nil, err
		}
		if len(ags) == 0 {
			return "", nil, errs.New(errs.Conflict, "dossier.no_agency", fmt.Sprintf("Xã, phường đã chọn chưa có cơ quan loại %q để giải quyết thủ tục.", p.AgencyKind), "no agency of kind "+p.AgencyKind+" in commune "+commune)
		}
		competent = ags[0].ID
	} else if competent, err = find(unit.AgencyKind(kind), sector, ""); err != nil {
		return "", nil, err
	}
	steps := make([]string, len(p.Workflow.Steps))
	for i, st := range p.Workflow.Steps {
		switch {
		case i == 0:
			steps[i] = counter
		case st.Agency == "" || st.Agency == "competent":
			steps[i] = competent
		default:
			k, sec, _ := strings.Cut(st.Agency, ":")
			if steps[i], err = find(unit.AgencyKind(k), sec, commune); err != nil {
				return "", nil, err
			}
		}
	}
	return competent, steps, nil
}

// dossierChanged records the audit entry and the outbox event of a change,
// and queues the dossier for the national portal (app/portalsync): every
// change of every dossier, so that none is missed whether or not the sync
// runs now.
func (s *Service) dossierChanged(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier, act dossier.Action) error {
	ev := d.History[len(d.History)-1]
	if err := tx.QueuePortalSync(ctx, d.Code, d.Version, ev.At); err != nil {
		return err
	}
	if err := s.Record(ctx, tx, ac, "dossier."+string(act), "dossier:"+d.Code,
		map[string]any{"from": ev.From, "to": ev.To, "step": ev.Step, "version": d.Version}); err != nil {
		return err
	}
	payload, err := json.Marshal(map[string]any{"code": d.Code, "procedure_code": d.ProcedureCode, "action": act,
		"status": d.Status, "version": d.Version, "at": ev.At, "competent_agency": d.CompetentAgency})
	if err != nil {
		return err
	}
	if err := tx.AppendOutbox(ctx, store.OutboxEvent{At: ev.At, Topic: "dossier." + string(act), Key: fmt.Sprintf("%s/%d", d.Code, d.Version), Payload: payload}); err != nil {
		return err
	}
	if act == dossier.ActSubmit {
		return nil // told once the submission's transaction is done with it (notice)
	}
	return s.notice(ctx, tx, d)
}

// notice queues what the dossier's last change tells its applicant
// (app/notifications), in the change's transaction. A submission calls
// it last, so that a dossier received at the counter at once is told
// with its appointment.
func (s *Service) notice(ctx context.Context, tx store.Tx, d *dossier.Dossier) error {
	if s.notices == nil {
		return nil
	}
	return s.notices.Queue(ctx, tx, d)
}

// Act applies an action to a dossier, in one transaction with its audit
// entry and outbox event.
func (s *Service) Act(ctx context.Context, ac identity.Actor, code string, in dossier.Request) (dossier.Dossier, error) {
	return s.act(ctx, ac, code, in, nil)
}

// act is Act; paid is the provider's confirmation when the action is the
// payment callback's pay.
func (s *Service) act(ctx context.Context, ac identity.Actor, code string, in dossier.Request, paid *payment.Callback) (dossier.Dossier, error) {
	if ac.Account == nil && !ac.System {
		return dossier.Dossier{}, ac.Require(identity.PermDossierHandle, "")
	}
	req := in.Asked()
	if req.Action != dossier.ActSupplement && len(req.Files) > 0 {
		return dossier.Dossier{}, errs.InvalidFields("dossier.invalid", "Chỉ gửi kèm thành phần hồ sơ khi bổ sung hồ sơ.", "components only with a supplement",
			[]errs.FieldError{{Field: "components", Key: "not_allowed", Message: "Chỉ gửi kèm thành phần hồ sơ khi bổ sung hồ sơ."}})
	}
	now := s.Now()
	var pre *results.Signed
	if s.results.PKI() != nil && req.Action == dossier.ActCompleteStep {
		pre = s.results.PrepareResult(ctx, ac, code, req, now)
	}
	var out dossier.Dossier
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := visibleDossier(ctx, tx, ac, code)
		if err != nil {
			return err
		}
		if err := dossier.CheckVersion(&d, req.Version); err != nil {
			return err // Apply checks it too; here before the payment provider is asked anything
		}
		d.NameAgencies(s.agencyName(ctx)) // the engine's messages name the agencies
		cal, err := s.prov.AgencyCalendar(ctx, d.CompetentAgency)
		if err != nil {
			return err
		}
		switch req.Action {
		case dossier.ActAssign:
			if req.AssigneeID != 0 {
				who, err := tx.Account(ctx, req.AssigneeID)
				if err != nil {
					return errs.InvalidFields("dossier.invalid", "Người được phân công không tồn tại.", "unknown assignee", []errs.FieldError{{Field: "assignee_id", Key: "unknown", Message: "Người được phân công không tồn tại."}})
				}
				req.Assignee = &who
			}
		case dossier.ActRequestPayment:
			p, err := tx.Procedure(ctx, d.ProcedureCode)
			if err != nil {
				return err
			}
			fees, err := p.FeesFor(d.FeeCase())
			if err != nil {
				return err
			}
			for _, f := range fees {
				req.Fees = append(req.Fees, dossier.FeeLine{Code: f.Code, Name: f.Name, Amount: f.Amount})
			}
			total := catalog.FeeTotal(fees)
			if total > 0 {
				if req.PaymentReference, err = s.payments.Request(ctx, payment.Order{DossierCode: d.Code, Amount: total}); err != nil {
					return err
				}
				if err := tx.PutPaymentRef(ctx, req.PaymentReference, d.Code, now); err != nil {
					return err
				}
			}
		case dossier.ActSupplement:
			if req.Components, err = s.supplementFiles(ctx, tx, ac, &d, req.Files); err != nil {
				return err
			}
		case dossier.ActPay:
			if d.Payment != nil && d.Status == dossier.StatusPayment {
				if err := paymentMatches(d.Payment, paid); err != nil {
					return err
				}
				req.Receipt, req.Provider = payment.CounterReceipt(d.Payment.Reference), ProviderCounter
				if paid != nil {
					req.Receipt, req.Provider = paid.Transaction, paid.Provider
				}
			}
		}
		before, prev, version := d.Components, d.Status, d.Version
		if err := dossier.Apply(&d, ac, req, dossier.Env{Now: now, Calendar: cal}); err != nil {
			return err
		}
		var pdf []byte // the signed result, stored by ResultIssued
		if d.Status == dossier.StatusDone && prev != dossier.StatusDone && s.results.PKI() != nil {
			if pre != nil && version == pre.Version {
				d.Result, pdf = pre.Result, pre.PDF // made from this very version before the transaction
			} else if pdf, err = s.results.IssueResult(ctx, tx, &d, now); err != nil {
				return err
			}
		}
		if err := tx.UpdateDossier(ctx, &d); err != nil {
			return err
		}
		out = d
		if err := s.dossierChanged(ctx, tx, ac, &d, in.Action); err != nil {
			return err
		}
		if pdf != nil {
			if err := s.results.ResultIssued(ctx, tx, ac, &d, pdf); err != nil {
				return err
			}
		}
		return s.recordSupplementFiles(ctx, tx, ac, &d, before, req.Components)
	})
	if err != nil {
		return dossier.Dossier{}, err
	}
	return out, nil
}

// visibleDossier reads dossier code in tx for ac, who acts on it: not
// found when ac may not see it (its existence is not told).
func visibleDossier(ctx context.Context, tx store.Tx, ac identity.Actor, code string) (dossier.Dossier, error) {
	d, err := tx.Dossier(ctx, code)
	if err != nil {
		return dossier.Dossier{}, err
	}
	if !dossier.VisibleTo(&d, ac) {
		return dossier.Dossier{}, dossier.NotFound(code)
	}
	return d, nil
}

// Dossier returns a dossier to someone entitled to see it; the read is
// audited.
func (s *Service) Dossier(ctx context.Context, ac identity.Actor, code string) (dossier.Dossier, error) {
	d, err := s.db.Dossier(ctx, code)
	if err != nil {
		return d, err
	}
	if !dossier.VisibleTo(&d, ac) {
		if ac.Account == nil {
			return dossier.Dossier{}, ac.Require(identity.PermDossierHandle, "")
		}
		return dossier.Dossier{}, dossier.NotFound(code)
	}
	if err := s.RecordRead(ctx, ac, "dossier.read", "dossier:"+code, nil); err != nil {
		return dossier.Dossier{}, err
	}
	return d, nil
}

// DossierQuery and Dossiers (the lists, with the inbox's filters) are in
// dashboard.go.

// PublicStatus is what anyone may learn of a dossier by its code: no
// personal data.
type PublicStatus struct {
	Code           string             `json:"code"`
	Status         int                `json:"status"`
	StatusName     string             `json:"status_name"`
	ProcedureCode  string             `json:"procedure_code"`
	ProcedureName  string             `json:"procedure_name"`
	SubmittedAt    time.Time          `json:"submitted_at"`
	ReceivedAt     *time.Time         `json:"received_at"`
	DueAt          *time.Time         `json:"due_at"`
	FinishedAt     *time.Time         `json:"finished_at"`
	ReturnedAt     *time.Time         `json:"returned_at"`
	HandlingAgency province.AgencyRef `json:"handling_agency"`
	Overdue        bool               `json:"overdue"`
}

// PublicDossier is the public look-up.
func (s *Service) PublicDossier(ctx context.Context, code string) (PublicStatus, error) {
	d, err := s.db.Dossier(ctx, strings.TrimSpace(code))
	if err != nil {
		return PublicStatus{}, err
	}
	vn := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		x := t.In(calendar.VN)
		return &x
	}
	return PublicStatus{Code: d.Code, Status: int(d.Status), StatusName: d.Status.Name(), ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName,
		SubmittedAt: d.SubmittedAt.In(calendar.VN), ReceivedAt: vn(d.ReceivedAt), DueAt: vn(d.DueAt()), FinishedAt: vn(d.FinishedAt), ReturnedAt: vn(d.ReturnedAt),
		HandlingAgency: s.prov.AgencyRef(ctx, d.HandlingAgency()), Overdue: d.Overdue(s.Now())}, nil
}

// EstimatedDue is the appointment a dossier not yet received would get if
// it were received when it was submitted.
func (s *Service) EstimatedDue(ctx context.Context, d *dossier.Dossier) (time.Time, error) {
	cal, err := s.prov.AgencyCalendar(ctx, d.CompetentAgency)
	if err != nil {
		return time.Time{}, err
	}
	return cal.Restart(d.SubmittedAt, d.ProcessingTime.Days, d.ProcessingTime.Hours).Due, nil
}

// DueSoonWithin is how close a running deadline must be for a dossier to be
// flagged as due soon: one working day of default office hours.
const DueSoonWithin = 8 * time.Hour

// DueSoon reports whether a dossier's running deadline is within
// DueSoonWithin of working time.
func (s *Service) DueSoon(ctx context.Context, d *dossier.Dossier) bool {
	cal, err := s.prov.AgencyCalendar(ctx, d.CompetentAgency)
	if err != nil {
		return false
	}
	return d.DueSoon(cal, s.Now(), DueSoonWithin)
}

// Rate records the applicant's rating (1–5 stars, an optional comment of at
// most 1,000 characters) of a dossier whose result was returned, once;
// version is the dossier's version the rating was made from (0 = not
// given), as for an action.
func (s *Service) Rate(ctx context.Context, ac identity.Actor, code string, stars int, comment string, version int) (dossier.Rating, error) {
	if ac.Account == nil {
		return dossier.Rating{}, ac.Require(identity.PermDossierSubmit, "")
	}
	comment = strings.TrimSpace(comment)
	var fe []errs.FieldError
	if stars < 1 || stars > 5 {
		fe = append(fe, errs.FieldError{Field: "stars", Key: "range", Message: "Số sao phải từ 1 đến 5."})
	}
	if len([]rune(comment)) > 1000 {
		fe = append(fe, errs.FieldError{Field: "comment", Key: "max_length", Message: "Nhận xét không quá 1.000 ký tự."})
	}
	if len(fe) > 0 {
		return dossier.Rating{}, errs.InvalidFields("rating.invalid", "Đánh giá chưa hợp lệ.", "invalid rating", fe)
	}
	r := dossier.Rating{DossierCode: code, AccountID: ac.Account.ID, Stars: stars, Comment: comment, At: s.Now()}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := tx.Dossier(ctx, code)
		if err != nil {
			return err
		}
		if d.Applicant.AccountID != ac.Account.ID {
			return dossier.NotFound(code)
		}
		if err := dossier.CheckVersion(&d, version); err != nil {
			return err
		}
		if d.Status != dossier.StatusReturned {
			return errs.New(errs.Conflict, "rating.too_early", "Chỉ đánh giá được sau khi đã nhận kết quả.", "the result is not returned yet")
		}
		if err := tx.CreateRating(ctx, r); err != nil {
			return err
		}
		if err := s.Record(ctx, tx, ac, "dossier.rate", "dossier:"+code, map[string]any{"stars": stars}); err != nil {
			return err
		}
		payload, _ := json.Marshal(map[string]any{"code": code, "stars": stars, "at": r.At})
		return tx.AppendOutbox(ctx, store.OutboxEvent{At: r.At, Topic: "dossier.rated", Key: code + "/rating", Payload: payload})
	})
	if err != nil {
		return dossier.Rating{}, fmt.Errorf("rate %s: %w", code, err)
	}
	return r, nil
}

// verifiedCitizen is the account of the one enabled, identity-verified
// citizen with this citizen ID, or 0.
func (s *Service) verifiedCitizen(ctx context.Context, citizenID string) (int64, error) {
	list, _, err := s.db.Accounts(ctx, identity.AccountFilter{Text: citizenID, Kind: identity.KindCitizen, Limit: 5})
	if err != nil {
		return 0, fmt.Errorf("find account of citizen ID: %w", err)
	}
	var id int64
	for _, acc := range list {
		if acc.CitizenID == citizenID && acc.IdentityVerified && !acc.Disabled {
			if id != 0 {
				return 0, nil // ambiguous: link none
			}
			id = acc.ID
		}
	}
	return id, nil
}

// agencyName names an agency by its code for the dossier's steps ("" when
// unknown: the messages then give the code).
func (s *Service) agencyName(ctx context.Context) func(id string) string {
	return func(id string) string { return s.prov.AgencyRef(ctx, id).Name }
}
