package api

import (
	"context"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/nationalcatalog"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/identity"
)

// NationalReceiptOut is the province's answer to a dossier handed over by
// the national portal.
type NationalReceiptOut struct {
	Code            string             `json:"code" doc:"The province's dossier code"`
	NationalCode    string             `json:"national_code" doc:"The portal's code (MaHoSo)"`
	Status          int                `json:"status"`
	StatusName      string             `json:"status_name"`
	ProcedureCode   string             `json:"procedure_code"`
	CompetentAgency province.AgencyRef `json:"competent_agency"`
	Existing        bool               `json:"existing" doc:"The national code was handed over before: this is that dossier, nothing new was made (HTTP 200)"`
}

type nationalReceiptOut struct {
	Status int
	Body   NationalReceiptOut
}

// portalCode is how a dvcqg.Code travels: the portal's systems send "2" or
// 2.
type portalCode string

// Schema documents both forms.
func (portalCode) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{OneOf: []*huma.Schema{{Type: huma.TypeInteger}, {Type: huma.TypeString, Pattern: `^\s*-?[0-9]*\s*$`}},
		Description: "Mã số, dạng chuỗi (\"2\") hoặc số (2)"}
}

// nationalSubmissionIn is the body of a dossier handed over: decoded as
// dossiers.NationalSubmission, documented as the portal's systems send it
// (fields motcua does not read are ignored, not refused).
type nationalSubmissionIn dossiers.NationalSubmission

// Schema is NationalSubmission's with other fields allowed and only the
// fields the record's checks require marked required.
func (nationalSubmissionIn) Schema(r huma.Registry) *huma.Schema {
	t := reflect.TypeFor[dossiers.NationalSubmission]()
	s := r.Schema(t, false, "NationalSubmission")
	s.AdditionalProperties = true
	for _, p := range s.Properties {
		if p.Items != nil && p.Items.Ref != "" {
			if item := r.SchemaFromRef(p.Items.Ref); item != nil {
				item.AdditionalProperties = true
				item.Required = nationalItemRequired[strings.TrimPrefix(p.Items.Ref, "#/components/schemas/")]
			}
		}
	}
	s.Required = []string{"MaHoSo", "MaTTHC", "TenTTHC", "KenhThucHien", "ChuHoSo", "LoaiDoiTuong", "TrangThaiHoSo", "NgayNopHoSo"}
	s.Description = "Hồ sơ đồng bộ (HoSoDongBoDVC) của Cổng Dịch vụ công quốc gia; MaXa và ToKhai là trường bổ sung của motcua (không bắt buộc)."
	return r.Schema(t, true, "NationalSubmission")
}

// nationalItemRequired are the fields of the record's lists that its
// checks (dvcqg.Dossier.Validate) require.
var nationalItemRequired = map[string][]string{
	"DvcqgDocument":   {"TepDinhKemId", "TenTepDinhKem"},
	"DvcqgIdentity":   {"SoDinhDanh"},
	"DvcqgDatabase":   {"MaCSDL"},
	"DvcqgFee":        {"TenPhiLePhi"},
	"DvcqgSupplement": {"HoSoBoSungId", "NgayBoSung"},
	"DvcqgResult":     {"TenGiayTo"},
}

func (s *Server) nationalRoutes() {
	tag := []string{"Cổng Dịch vụ công quốc gia"}
	register(s, huma.Operation{OperationID: "receive-national-dossier", Method: http.MethodPost, Path: "/api/v1/national/inbound/dossiers",
		Summary: "Nhận hồ sơ nộp trên Cổng Dịch vụ công quốc gia cho thủ tục của tỉnh", Tags: tag, DefaultStatus: http.StatusCreated,
		MaxBodyBytes: dossiers.MaxNationalSubmission, SkipValidateBody: true,
		Description: "The body is the portal's dossier record (HoSoDongBoDVC, as in dvcqg/PROTOCOL.md) with two optional fields of motcua: MaXa (the commune " +
			"deciding a commune-level procedure) and ToKhai (the declaration, checked against the province's form when given). The record must be new " +
			"(TrangThaiHoSo 1), online (KenhThucHien 2) and for one of the province's procedures; every TaiLieuNop is fetched from an allowed host and " +
			"checked like an upload. 201: the dossier made, at status 1 in the inbox of its competent agency's counter; 200: the national code was " +
			"handed over before (idempotent); 422: the record's problems by field, in Vietnamese; 503: a file host did not answer in time (nothing kept).",
		Responses: map[string]*huma.Response{"200": {Description: "Handed over before: the existing dossier",
			Content: map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Ref: "#/components/schemas/NationalReceiptOut"}}}}},
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity, http.StatusServiceUnavailable}}, needs(identity.PermNationalInbound),
		func(ctx context.Context, in *struct{ Body nationalSubmissionIn }) (*nationalReceiptOut, error) {
			r, err := s.app.Dossiers.ReceiveNational(ctx, actorOf(ctx), dossiers.NationalSubmission(in.Body))
			if err != nil {
				return nil, err
			}
			d := r.Dossier
			out := &nationalReceiptOut{Status: http.StatusCreated, Body: NationalReceiptOut{Code: d.Code, NationalCode: d.NationalCode, Status: int(d.Status),
				StatusName: d.Status.Name(), ProcedureCode: d.ProcedureCode, CompetentAgency: s.app.Province.AgencyRef(ctx, d.CompetentAgency), Existing: r.Existing}}
			if r.Existing {
				out.Status = http.StatusOK
			}
			return out, nil
		})
}

// ApplyIn names the diff to apply by its hash.
type ApplyIn struct {
	Hash string `json:"hash" minLength:"64" maxLength:"64" pattern:"^[0-9a-f]{64}$" doc:"The hash of the diff shown (POST /api/v1/catalog/national/diff)"`
}

func (s *Server) nationalCatalogRoutes() {
	tag := []string{"Thủ tục hành chính"}
	register(s, huma.Operation{OperationID: "diff-national-catalog", Method: http.MethodPost, Path: "/api/v1/catalog/national/diff",
		Summary: "So sánh danh mục thủ tục quốc gia với danh mục của tỉnh", Tags: tag,
		Description: "Reads the national catalogue from the portal (LayDanhSachTTHC, then LayThuTuc per procedure) and lists what applying it would change: " +
			"new procedures (as drafts to complete), changed national fields (name, field, level, processing time, fees, legal basis), procedures " +
			"withdrawn or in force again. Nothing is changed. 503 when the portal is not configured or does not answer."}, needs(identity.PermCatalogManage),
		func(ctx context.Context, _ *struct{}) (*bodyOut[nationalcatalog.Diff], error) {
			d, err := s.app.NationalCatalog.Diff(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return body(d), nil
		})
	register(s, huma.Operation{OperationID: "apply-national-catalog", Method: http.MethodPost, Path: "/api/v1/catalog/national/apply",
		Summary: "Áp dụng các thay đổi của danh mục thủ tục quốc gia đã xem", Tags: tag,
		Description: "Reads the national catalogue again and applies its diff if its hash is still the one given (409 otherwise: show the diff again), in one " +
			"audited transaction. Only national fields are overwritten; the province's forms, workflows, components and agencies stay.",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusConflict, http.StatusServiceUnavailable}}, needs(identity.PermCatalogManage),
		func(ctx context.Context, in *struct{ Body ApplyIn }) (*bodyOut[nationalcatalog.Applied], error) {
			a, err := s.app.NationalCatalog.Apply(ctx, actorOf(ctx), in.Body.Hash)
			if err != nil {
				return nil, err
			}
			return body(a), nil
		})
	register(s, huma.Operation{OperationID: "list-procedure-drafts", Method: http.MethodGet, Path: "/api/v1/catalog/drafts",
		Summary: "Thủ tục mới của danh mục quốc gia chờ tỉnh hoàn thiện (bản nháp)", Tags: tag,
		Description: "A draft is not a procedure of the catalogue: complete it (form, workflow, competent agency, online level) and create it with PUT /api/v1/procedures/{code}."},
		needs(identity.PermCatalogManage),
		func(ctx context.Context, _ *struct{}) (*listOut[catalog.Procedure], error) {
			ds, err := s.app.NationalCatalog.Drafts(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return list(ds, len(ds)), nil
		})
	register(s, huma.Operation{OperationID: "get-procedure-draft", Method: http.MethodGet, Path: "/api/v1/catalog/drafts/{code}", Summary: "Một bản nháp thủ tục", Tags: tag},
		needs(identity.PermCatalogManage),
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"40"`
		}) (*bodyOut[catalog.Procedure], error) {
			p, err := s.app.NationalCatalog.Draft(ctx, actorOf(ctx), in.Code)
			if err != nil {
				return nil, err
			}
			return body(p), nil
		})
}
