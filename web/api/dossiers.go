package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog/codelist"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
)

// FileOut is an uploaded file.
type FileOut struct {
	ID          string `json:"id"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// SubmitIn is a submission.
type SubmitIn struct {
	ProcedureCode string                   `json:"procedure_code" minLength:"1" maxLength:"40"`
	Form          json.RawMessage          `json:"form,omitempty"`
	Components    []dossier.ComponentInput `json:"components,omitempty" maxItems:"100"`
	CommuneCode   string                   `json:"commune_code,omitempty" maxLength:"5" doc:"Competent commune of a commune-level procedure (default: the applicant's)"`
	Applicant     *dossier.Applicant       `json:"applicant,omitempty" doc:"Counters only: the walk-in applicant"`
	Channel       int                      `json:"channel,omitempty" enum:"0,1,3" doc:"Counters only: 1 in person (default), 3 by post"`
	Prefilled     []string                 `json:"prefilled,omitempty" maxItems:"20" doc:"Datasets the form was prefilled from (GET /api/v1/procedures/{code}/prefill); each counts as a database used only if the server served that prefill to this account for this procedure within 24 hours, other codes are ignored"`
	Delivery      *dossier.Delivery        `json:"delivery,omitempty" doc:"How the applicant receives the result: at the counter, by public post (with the address) or online; printed on the receipt (form 01)"`
	Exemption     *dossiers.ExemptionInput `json:"exemption,omitempty" doc:"A claimed fee exemption: one of the procedure's fee_exemptions, with its proof uploaded (file_id) unless the exemption has proof_data; checked at the counter during reception (POST /api/v1/dossiers/{code}/fee-exemption)"`
}

// ExemptionDecisionIn is the counter's decision on a claimed fee exemption.
type ExemptionDecisionIn struct {
	Decision string `json:"decision" enum:"confirm,refuse" doc:"confirm: the proof was seen, no fee; refuse: the normal fee, told to the applicant with the reason"`
	Reason   string `json:"reason,omitempty" maxLength:"2000" doc:"Required to refuse"`
}

// StepOut is the open step.
type StepOut struct {
	Index        int           `json:"index"`
	Name         string        `json:"name"`
	Role         identity.Role `json:"role"`
	AgencyID     string        `json:"agency_id"`
	DueAt        *time.Time    `json:"due_at"`
	AssigneeID   int64         `json:"assignee_id,omitempty"`
	AssigneeName string        `json:"assignee_name,omitempty"`
}

// DossierOut is a dossier as its applicant and its handlers see it.
type DossierOut struct {
	Code            string                  `json:"code"`
	Status          int                     `json:"status"`
	StatusName      string                  `json:"status_name"`
	ProcedureCode   string                  `json:"procedure_code"`
	ProcedureName   string                  `json:"procedure_name"`
	Channel         int                     `json:"channel"`
	SubmittedAt     time.Time               `json:"submitted_at"`
	ReceivedAt      *time.Time              `json:"received_at"`
	DueAt           *time.Time              `json:"due_at" doc:"Appointment; before receipt, the appointment if received at submission (due_at_estimated)"`
	DueAtEstimated  bool                    `json:"due_at_estimated,omitempty"`
	Overdue         bool                    `json:"overdue"`
	DueSoon         bool                    `json:"due_soon" doc:"The running deadline is less than one working day away"`
	HandlingAgency  province.AgencyRef      `json:"handling_agency"`
	ReceivingAgency province.AgencyRef      `json:"receiving_agency"`
	CompetentAgency province.AgencyRef      `json:"competent_agency"`
	CurrentStep     *StepOut                `json:"current_step,omitempty" doc:"The open step; absent once the last step is done"`
	Applicant       dossier.Applicant       `json:"applicant"`
	Form            json.RawMessage         `json:"form"`
	Components      []dossier.Component     `json:"components"`
	Databases       []string                `json:"databases,omitempty" doc:"National codes of the shared databases used (DSKetNoiCSDL)"`
	Delivery        *dossier.Delivery       `json:"delivery,omitempty" doc:"How the applicant receives the result; absent when not chosen"`
	Codes           []codelist.Value        `json:"codes,omitempty" doc:"Codes of the declaration's coded answers (ethnicity, nationality, places) with their list's ID; the form holds their names"`
	Steps           []dossier.Step          `json:"steps"`
	Payment         *dossier.Payment        `json:"payment,omitempty"`
	Exemption       *dossier.ExemptionClaim `json:"exemption,omitempty" doc:"The fee exemption claimed and the counter's decision (absent: none claimed)"`
	Apologies       []dossier.Apology       `json:"apologies,omitempty"`
	Verification    *dossier.Verification   `json:"verification,omitempty" doc:"The deadline's extension for a verification (absent: none)"`
	Reason          string                  `json:"reason,omitempty"`
	FinishedAt      *time.Time              `json:"finished_at"`
	ReturnedAt      *time.Time              `json:"returned_at"`
	History         []dossier.Event         `json:"history"`
	Rating          *dossier.Rating         `json:"rating,omitempty" doc:"The applicant's rating; absent until they rate"`
	Version         int                     `json:"version"`
	NationalSync    *NationalSyncOut        `json:"national_sync,omitempty" doc:"The dossier's sync with the national portal, for the officials who may read it (GET only); absent when never queued"`
}

// DossierSummary is a dossier as a list shows it: what it is, where it
// stands and whose it is, without the declaration (form, documents,
// history). The declaration is read one dossier at a time
// (GET /api/v1/dossiers/{code}), and each such read is audited.
type DossierSummary struct {
	Code            string             `json:"code"`
	Status          int                `json:"status"`
	StatusName      string             `json:"status_name"`
	ProcedureCode   string             `json:"procedure_code"`
	ProcedureName   string             `json:"procedure_name"`
	Channel         int                `json:"channel"`
	ApplicantName   string             `json:"applicant_name"`
	SubmittedAt     time.Time          `json:"submitted_at"`
	ReceivedAt      *time.Time         `json:"received_at"`
	DueAt           *time.Time         `json:"due_at" doc:"Appointment (none before receipt)"`
	Overdue         bool               `json:"overdue"`
	ReceivingAgency province.AgencyRef `json:"receiving_agency"`
	CompetentAgency province.AgencyRef `json:"competent_agency"`
	CurrentStep     *StepOut           `json:"current_step,omitempty" doc:"The open step; absent once the last step is done"`
	FinishedAt      *time.Time         `json:"finished_at"`
	Version         int                `json:"version"`
}

func (s *Server) dossierSummary(ctx context.Context, d *dossier.Dossier) DossierSummary {
	return DossierSummary{Code: d.Code, Status: int(d.Status), StatusName: d.Status.Name(), ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName,
		Channel: int(d.Channel), ApplicantName: d.Applicant.Name, SubmittedAt: d.SubmittedAt.In(calendar.VN), ReceivedAt: VNTime(d.ReceivedAt), DueAt: VNTime(d.DueAt()),
		Overdue: d.Overdue(s.app.Kernel.Now()), ReceivingAgency: s.app.Province.AgencyRef(ctx, d.ReceivingAgency), CompetentAgency: s.app.Province.AgencyRef(ctx, d.CompetentAgency),
		CurrentStep: stepOut(d), FinishedAt: VNTime(d.FinishedAt), Version: d.Version}
}

func stepOut(d *dossier.Dossier) *StepOut {
	st := d.CurrentStep()
	if st == nil {
		return nil
	}
	so := &StepOut{Index: d.Current, Name: st.Name, Role: st.Role, AgencyID: st.AgencyID, AssigneeID: st.AssigneeID, AssigneeName: st.AssigneeName}
	if !st.Deadline.Due.IsZero() && !st.Deadline.Paused() {
		so.DueAt = VNTime(&st.Deadline.Due)
	}
	return so
}

// VNTime is t in Vietnam time, nil for nil or zero.
func VNTime(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	x := t.In(calendar.VN)
	return &x
}

func (s *Server) dossierOut(ctx context.Context, d *dossier.Dossier) DossierOut {
	return NewDossierOut(ctx, s.app, d)
}

// NewDossierOut is a dossier as the API sends it (and the dossier page
// shows it): times in Vietnam, agencies named, the open step, flags.
func NewDossierOut(ctx context.Context, a *platform.Services, d *dossier.Dossier) DossierOut {
	out := DossierOut{Code: d.Code, Status: int(d.Status), StatusName: d.Status.Name(), ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName,
		Channel: int(d.Channel), SubmittedAt: d.SubmittedAt.In(calendar.VN), ReceivedAt: VNTime(d.ReceivedAt), DueAt: VNTime(d.DueAt()),
		Overdue: d.Overdue(a.Kernel.Now()), DueSoon: a.Dossiers.DueSoon(ctx, d), HandlingAgency: a.Province.AgencyRef(ctx, d.HandlingAgency()), ReceivingAgency: a.Province.AgencyRef(ctx, d.ReceivingAgency),
		CompetentAgency: a.Province.AgencyRef(ctx, d.CompetentAgency), Applicant: d.Applicant, Form: d.Form, Components: d.Components, Databases: d.Databases, Delivery: d.Delivery, Codes: d.Codes, Steps: d.Steps,
		Payment: d.Payment, Apologies: d.Apologies, Verification: d.Verification, Reason: d.Reason, FinishedAt: VNTime(d.FinishedAt), ReturnedAt: VNTime(d.ReturnedAt),
		History: d.History, Version: d.Version, Rating: d.Rating}
	if e := d.Exemption; e != nil {
		c := *e
		c.DecidedAt = VNTime(e.DecidedAt)
		out.Exemption = &c
	}
	if out.DueAt == nil && d.Status == dossier.StatusNew {
		if due, err := a.Dossiers.EstimatedDue(ctx, d); err == nil {
			out.DueAt, out.DueAtEstimated = VNTime(&due), true
		}
	}
	out.CurrentStep = stepOut(d)
	return out
}

// ActionIn is an action on a dossier.
type ActionIn struct {
	Action     string     `json:"action" enum:"receive,refuse,request_supplement,supplement,claim,assign,complete_step,send_back,extend_for_verification,request_payment,pay,withdraw,stop,apologize,return"`
	Note       string     `json:"note,omitempty" maxLength:"2000"`
	ToStep     *int       `json:"to_step,omitempty" doc:"send_back: index of the step to go back to"`
	NewDueAt   *time.Time `json:"new_due_at,omitempty" doc:"apologize: the new appointment (RFC 3339)"`
	AssigneeID int64      `json:"assignee_id,omitempty" doc:"assign: the official's account ID"`
	// Components are the documents handed in with a supplement.
	Components []dossier.ComponentInput `json:"components,omitempty" maxItems:"100" doc:"supplement: uploaded files for the components asked for"`
}

func (s *Server) dossierRoutes() {
	tag := []string{"Hồ sơ"}
	register(s, huma.Operation{OperationID: "upload-file", Method: http.MethodPost, Path: "/api/v1/files", Summary: "Tải lên tệp thành phần hồ sơ (PDF, JPEG, PNG)", Tags: tag,
		Description:   "Kiểu tệp được nhận biết từ nội dung và phải khớp với Content-Type đã khai (application/octet-stream: không khai).",
		DefaultStatus: 201, MaxBodyBytes: 25 << 20, SkipValidateBody: true, RequestBody: uploadBody()}, loggedIn,
		func(ctx context.Context, in *struct {
			ContentType string `header:"Content-Type"`
			Name        string `query:"name" maxLength:"255"`
			RawBody     []byte `contentType:"application/pdf"`
		}) (*bodyOut[FileOut], error) {
			f, err := s.app.Dossiers.Upload(ctx, actorOf(ctx), in.Name, in.ContentType, bytes.NewReader(in.RawBody))
			if err != nil {
				return nil, err
			}
			return body(FileOut{ID: f.ID, SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType}), nil
		})
	register(s, huma.Operation{OperationID: "submit-dossier", Method: http.MethodPost, Path: "/api/v1/dossiers", Summary: "Nộp hồ sơ (trực tuyến, hoặc tại bộ phận một cửa thay người nộp)", Tags: tag,
		DefaultStatus: 201, MaxBodyBytes: 1 << 20}, loggedIn,
		func(ctx context.Context, in *struct{ Body SubmitIn }) (*bodyOut[DossierOut], error) {
			d, err := s.app.Dossiers.Submit(ctx, actorOf(ctx), dossiers.SubmitInput{ProcedureCode: in.Body.ProcedureCode, Form: in.Body.Form, Components: in.Body.Components,
				CommuneCode: in.Body.CommuneCode, Applicant: in.Body.Applicant, Channel: dossier.Channel(in.Body.Channel), Prefilled: in.Body.Prefilled, Delivery: in.Body.Delivery, Exemption: in.Body.Exemption})
			if err != nil {
				return nil, err
			}
			return body(s.dossierOut(ctx, &d)), nil
		})
	register(s, huma.Operation{OperationID: "list-dossiers", Method: http.MethodGet, Path: "/api/v1/dossiers", Summary: "Hồ sơ của tôi, hoặc hồ sơ chờ tôi xử lý (inbox=1), quá hạn trước: bản tóm tắt, không kèm tờ khai",
		Description: "Each item is a summary without the declaration (form, documents, history); read one dossier with GET /api/v1/dossiers/{code}, which is audited per dossier.", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			Inbox  bool `query:"inbox"`
			Status int  `query:"status" minimum:"0" maximum:"10"`
			Limit  int  `query:"limit" minimum:"0" maximum:"200" default:"50"`
			Offset int  `query:"offset" minimum:"0"`
		}) (*listOut[DossierSummary], error) {
			ds, total, err := s.app.Dossiers.Dossiers(ctx, actorOf(ctx), dossiers.DossierQuery{Inbox: in.Inbox, Status: in.Status, Limit: in.Limit, Offset: in.Offset})
			if err != nil {
				return nil, err
			}
			out := make([]DossierSummary, len(ds))
			for i := range ds {
				out[i] = s.dossierSummary(ctx, &ds[i])
			}
			return list(out, total), nil
		})
	register(s, huma.Operation{OperationID: "get-dossier", Method: http.MethodGet, Path: "/api/v1/dossiers/{code}", Summary: "Một hồ sơ (người nộp, cán bộ các cơ quan xử lý)", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"60"`
		}) (*taggedDossier, error) {
			ac := actorOf(ctx)
			d, err := s.app.Dossiers.Dossier(ctx, ac, in.Code)
			if err != nil {
				return nil, err
			}
			out := s.dossierOut(ctx, &d)
			if out.NationalSync, err = s.nationalSyncOf(ctx, ac, &d); err != nil {
				return nil, err
			}
			return &taggedDossier{ETag: etag(&d), Body: out}, nil
		})
	register(s, huma.Operation{OperationID: "act-on-dossier", Method: http.MethodPost, Path: "/api/v1/dossiers/{code}/actions", Summary: "Thao tác trên hồ sơ: tiếp nhận, xử lý, trả kết quả…", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			Code    string `path:"code" maxLength:"60"`
			IfMatch string `header:"If-Match" maxLength:"40" doc:"The ETag of the dossier the action was decided on (GET /api/v1/dossiers/{code}): if the dossier has changed since, the action is refused with 409 (key dossier.stale) and nothing changes. Without it the action applies to the current version."`
			Body    ActionIn
		}) (*taggedDossier, error) {
			ai := dossier.Request{Action: dossier.Action(in.Body.Action), Note: in.Body.Note, ToStep: in.Body.ToStep, AssigneeID: in.Body.AssigneeID, Files: in.Body.Components}
			if in.Body.NewDueAt != nil {
				ai.NewDueAt = *in.Body.NewDueAt
			}
			v, err := ifMatch(in.IfMatch) // no If-Match: no precondition, as before (see version.go)
			if err != nil {
				return nil, err
			}
			ai.Version = v
			d, err := s.app.Dossiers.Act(ctx, actorOf(ctx), in.Code, ai)
			if err != nil {
				return nil, err
			}
			return &taggedDossier{ETag: etag(&d), Body: s.dossierOut(ctx, &d)}, nil
		})
	register(s, huma.Operation{OperationID: "decide-fee-exemption", Method: http.MethodPost, Path: "/api/v1/dossiers/{code}/fee-exemption",
		Summary: "Kiểm tra đề nghị miễn lệ phí khi tiếp nhận: xác nhận (không thu) hoặc không chấp nhận (thu lệ phí thông thường, báo lý do cho người nộp)", Tags: tag,
		Description: "Whoever may receive the dossier, while it waits for reception (status 1), once. Audited fee_exemption.confirmed or fee_exemption.refused and dossier.fee_exemption, in one transaction."}, loggedIn,
		func(ctx context.Context, in *struct {
			Code    string `path:"code" maxLength:"60"`
			IfMatch string `header:"If-Match" maxLength:"40" doc:"The ETag of the dossier the decision was made on: 409 if it has changed since"`
			Body    ExemptionDecisionIn
		}) (*taggedDossier, error) {
			v, err := ifMatch(in.IfMatch)
			if err != nil {
				return nil, err
			}
			d, err := s.app.Dossiers.DecideExemption(ctx, actorOf(ctx), in.Code, dossiers.ExemptionDecision{Confirm: in.Body.Decision == "confirm", Reason: in.Body.Reason, Version: v})
			if err != nil {
				return nil, err
			}
			return &taggedDossier{ETag: etag(&d), Body: s.dossierOut(ctx, &d)}, nil
		})
	type pdfOut struct {
		ContentType        string `header:"Content-Type"`
		ContentDisposition string `header:"Content-Disposition"`
		Body               []byte
	}
	register(s, huma.Operation{OperationID: "dossier-form", Method: http.MethodGet, Path: "/api/v1/dossiers/{code}/forms/{form}", Summary: "Biểu mẫu của hồ sơ theo Thông tư 03/2025 (PDF): 01 giấy tiếp nhận, 02 yêu cầu bổ sung, 03 từ chối, 04 xin lỗi, 05 dừng, 06 phiếu kiểm soát, 07 sổ theo dõi", Tags: tag,
		Responses: map[string]*huma.Response{"200": {Description: "PDF", Content: map[string]*huma.MediaType{"application/pdf": {}}}}}, loggedIn,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"60"`
			Form string `path:"form" enum:"01,02,03,04,05,06,07"`
			Host string `header:"Host"`
		}) (*pdfOut, error) {
			b, err := s.app.Dossiers.Form(ctx, actorOf(ctx), in.Code, in.Form, s.publicURL(in.Host))
			if err != nil {
				return nil, err
			}
			return &pdfOut{ContentType: "application/pdf", ContentDisposition: `inline; filename="` + in.Code + "-mau-" + in.Form + `.pdf"`, Body: b}, nil
		})
	register(s, huma.Operation{OperationID: "agency-register", Method: http.MethodGet, Path: "/api/v1/agencies/{id}/register", Summary: "Sổ theo dõi hồ sơ của cơ quan (mẫu 07, PDF) cho một khoảng ngày", Tags: tag,
		Responses: map[string]*huma.Response{"200": {Description: "PDF", Content: map[string]*huma.MediaType{"application/pdf": {}}}}}, loggedIn,
		// The days are checked by dossiers.RegisterPeriod (no pattern), so
		// that a bad one gets a Vietnamese message naming its field.
		func(ctx context.Context, in *struct {
			ID   string `path:"id" maxLength:"20"`
			From string `query:"from" maxLength:"40" required:"true" doc:"first day (YYYY-MM-DD, years 1900–2199)"`
			To   string `query:"to" maxLength:"40" required:"true" doc:"last day, included (YYYY-MM-DD, no earlier than from, at most 366 days in all)"`
		}) (*pdfOut, error) {
			period, err := dossiers.RegisterPeriod(in.From, in.To)
			if err != nil {
				return nil, err
			}
			b, err := s.app.Dossiers.Register(ctx, actorOf(ctx), in.ID, period)
			if err != nil {
				return nil, err
			}
			return &pdfOut{ContentType: "application/pdf", ContentDisposition: `inline; filename="so-theo-doi-` + in.ID + `.pdf"`, Body: b}, nil
		})
	type rateIn struct {
		Stars   int    `json:"stars" minimum:"1" maximum:"5"`
		Comment string `json:"comment,omitempty" maxLength:"4000"`
	}
	register(s, huma.Operation{OperationID: "rate-dossier", Method: http.MethodPost, Path: "/api/v1/dossiers/{code}/rating", Summary: "Người nộp đánh giá việc giải quyết hồ sơ (1–5 sao) sau khi nhận kết quả", Tags: tag, DefaultStatus: 201}, loggedIn,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"60"`
			Body rateIn
		}) (*bodyOut[dossier.Rating], error) {
			r, err := s.app.Dossiers.Rate(ctx, actorOf(ctx), in.Code, in.Body.Stars, in.Body.Comment, 0)
			if err != nil {
				return nil, err
			}
			return body(r), nil
		})
	register(s, huma.Operation{OperationID: "public-dossier", Method: http.MethodGet, Path: "/api/v1/public/dossiers/{code}", Summary: "Tra cứu tình trạng hồ sơ theo mã (không có dữ liệu cá nhân)", Tags: tag}, public,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"60"`
		}) (*bodyOut[dossiers.PublicStatus], error) {
			p, err := s.app.Dossiers.PublicDossier(ctx, in.Code)
			if err != nil {
				return nil, err
			}
			return body(p), nil
		})
}

// uploadBody declares the file types an upload takes (blob.Allowed, or
// undeclared); huma adds the RawBody's own application/pdf.
func uploadBody() *huma.RequestBody {
	rb := &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{}}
	for _, ct := range []string{"image/jpeg", "image/png", "application/octet-stream"} {
		rb.Content[ct] = &huma.MediaType{Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}
	}
	return rb
}

// publicURL is the base of links printed on forms.
func (s *Server) publicURL(host string) string {
	return PublicBase(s.opts.PublicURL, s.opts.SecureCookies, host)
}

// PublicBase is the base of links printed on forms and shown on pages: the
// configured public URL, else the request's host (https when served so).
func PublicBase(configured string, secure bool, host string) string {
	if configured != "" {
		return strings.TrimRight(configured, "/")
	}
	scheme := "http"
	if secure {
		scheme = "https"
	}
	return scheme + "://" + host
}
