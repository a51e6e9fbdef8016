package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/national"
)

// Style A (OpenCPS): POST PathAuth to log in, then POST PathIntegration
// with the session and a service name.

// Services of the integration endpoint.
const (
	ServiceDossiers   = "DongBoHoSoMC"
	ServiceProgress   = "CapNhatTienDoHoSoMC"
	ServiceLookup     = "TraCuuHoSo"
	ServiceProcedure  = "LayThuTuc"
	ServiceProcedures = "LayDanhSachTTHC"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// auth logs a province in: its session, or 401 with "-2".
func (h *Handler) auth(w http.ResponseWriter, r *http.Request) {
	b, ok := body(w, r)
	if !ok {
		return
	}
	var in loginRequest
	if err := json.Unmarshal(b, &in); err != nil && notJSON(w, b) {
		return
	} else if err != nil || in.Username == "" || in.Password == "" {
		unauthorized(w, false, "Cần tên đăng nhập (username) và mật khẩu (password).")
		return
	}
	tok, _, err := h.svc.Login(in.Username, in.Password)
	if errs.KindOf(err) == errs.Unauthorized {
		unauthorized(w, false, errs.Message(err))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeReply(w, http.StatusOK, dvcqg.Reply{ErrorCode: dvcqg.CodeOK, Message: "Đăng nhập thành công", Session: tok})
}

// integrationRequest is the adapter's envelope. Go matches the names
// without regard to case, as the systems in use vary ("maTTHC").
type integrationRequest struct {
	Session    string          `json:"session"`
	MaDonVi    string          `json:"madonvi"`
	Service    string          `json:"service"`
	IsUpdating json.RawMessage `json:"isUpdating"`
	Data       json.RawMessage `json:"data"`
	MaHoSo     string          `json:"mahoso"`
	MaTTHC     string          `json:"maTTHC"`
}

// agencyCode is the shape of madonvi: an agency's electronic ID
// ("000.00.01.H26") or another system's code.
var agencyCode = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.\-_]{0,59}$`)

func invalid(key, msg string) error { return errs.New(errs.Invalid, key, msg, key) }

// integration serves the adapter's services. Every answer is HTTP 200
// with the protocol's code, but for a body that cannot be read.
func (h *Handler) integration(w http.ResponseWriter, r *http.Request) {
	b, ok := body(w, r)
	if !ok {
		return
	}
	var in integrationRequest
	if err := json.Unmarshal(b, &in); err != nil {
		if notJSON(w, b) {
			return
		}
		h.fail(w, r, invalid("national.envelope_malformed", "Yêu cầu phải là một đối tượng JSON {session, madonvi, service, …} với các giá trị là chuỗi."))
		return
	}
	c, err := h.svc.Session(in.Session)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c.IP = clientIP(r)
	switch {
	case in.MaDonVi == "" && (in.Service == ServiceDossiers || in.Service == ServiceProgress):
		h.fail(w, r, invalid("national.agency_missing", "Thiếu madonvi (mã đơn vị gửi)."))
		return
	case in.MaDonVi != "" && !agencyCode.MatchString(in.MaDonVi):
		h.fail(w, r, invalid("national.agency_invalid", fmt.Sprintf("madonvi %s không hợp lệ.", quoteShort(in.MaDonVi))))
		return
	}
	switch in.Service {
	case ServiceDossiers:
		updating, err := parseFlag(in.IsUpdating)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if missing(in.Data) {
			h.fail(w, r, invalid("national.data_missing", "Thiếu data (mảng hồ sơ)."))
			return
		}
		if err := checkBatchLen(in.Data, national.MaxBatch, "hồ sơ"); err != nil {
			h.fail(w, r, err)
			return
		}
		recs, err := dvcqg.DecodeDossiers(in.Data)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		var o national.Outcome
		if updating {
			o, err = h.svc.UpdateDossiers(r.Context(), c, recs)
		} else {
			o, err = h.svc.AddDossiers(r.Context(), c, recs)
		}
		h.answer(w, r, o, err)
	case ServiceProgress:
		if missing(in.Data) {
			h.fail(w, r, invalid("national.data_missing", "Thiếu data (mảng tiến độ)."))
			return
		}
		if err := checkBatchLen(in.Data, national.MaxBatch, "mục tiến độ"); err != nil {
			h.fail(w, r, err)
			return
		}
		entries, err := dvcqg.DecodeProgress(in.Data)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		o, err := h.svc.AddProgress(r.Context(), c, entries, national.MaxBatch)
		h.answer(w, r, o, err)
	case ServiceLookup:
		if in.MaHoSo == "" {
			h.fail(w, r, invalid("national.code_missing", "Thiếu mahoso (mã hồ sơ cần tra cứu)."))
			return
		}
		l, err := h.svc.Lookup(r.Context(), in.MaHoSo)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.result(w, r, "Tra cứu hồ sơ thành công", map[string]any{"HoSo": l.Record, "QuaTrinhXuLy": l.Progress})
	case ServiceProcedure:
		if in.MaTTHC == "" {
			h.fail(w, r, invalid("national.procedure_missing", "Thiếu maTTHC (mã thủ tục)."))
			return
		}
		p, err := h.svc.Catalogue().Procedure(in.MaTTHC)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.result(w, r, "Lấy thông tin thủ tục thành công"+h.demoNote(), []national.Procedure{p})
	case ServiceProcedures:
		list := h.svc.Catalogue().List()
		h.result(w, r, fmt.Sprintf("Lấy danh sách thủ tục thành công: %d thủ tục%s", len(list), h.demoNote()), list)
	case "":
		h.fail(w, r, invalid("national.service_missing", "Thiếu service (tên dịch vụ)."))
	default:
		h.fail(w, r, invalid("national.service_unknown", fmt.Sprintf("Dịch vụ %s không được hỗ trợ.", quoteShort(in.Service))))
	}
}

// demoNote marks the answers of the demo catalogue.
func (h *Handler) demoNote() string {
	if h.svc.Catalogue().Demo {
		return " (danh mục mẫu, dữ liệu demo)"
	}
	return ""
}

func (h *Handler) answer(w http.ResponseWriter, r *http.Request, o national.Outcome, err error) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ok(w, o)
}

func (h *Handler) result(w http.ResponseWriter, r *http.Request, msg string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		h.fail(w, r, fmt.Errorf("national answer: %w", err))
		return
	}
	writeReply(w, http.StatusOK, dvcqg.Reply{ErrorCode: dvcqg.CodeOK, Message: msg, Result: b})
}

func missing(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// parseFlag reads isUpdating: "True" or "False" as the systems in use
// send it (any case), or a JSON boolean.
func parseFlag(raw json.RawMessage) (bool, error) {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil || v == nil {
		return false, invalid("national.flag_missing", `Thiếu isUpdating ("True" hoặc "False").`)
	}
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, invalid("national.flag_invalid", `isUpdating phải là "True" hoặc "False".`)
}

// quoteShort shows a value received in a message: quoted, at most 40
// characters.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
