package httpapi

import (
	"net/http"

	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/national"
)

// Style B (the .NET system): three URLs, each body a JSON array, HTTP
// Basic auth with the province's credentials on every call.

// threeURL checks the Basic credentials (401 when missing or wrong), reads
// the body and runs serve with the caller.
func (h *Handler) threeURL(serve func(w http.ResponseWriter, r *http.Request, c national.Caller, b []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user, pass, given := r.BasicAuth()
		if !given {
			unauthorized(w, true, "Cần xác thực HTTP Basic bằng tài khoản của tỉnh.")
			return
		}
		c, err := h.svc.Basic(user, pass)
		if errs.KindOf(err) == errs.Unauthorized {
			unauthorized(w, true, errs.Message(err))
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		c.IP = clientIP(r)
		b, ok := body(w, r)
		if !ok {
			return
		}
		serve(w, r, c, b)
	}
}

// refuse answers a body that could not be taken: 400 if it is not JSON,
// the error's code otherwise.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, b []byte, err error) {
	if !notJSON(w, b) {
		h.fail(w, r, err)
	}
}

// decodeDossiers reads a body of at most national.MaxBatch records.
func decodeDossiers(b []byte) ([]dvcqg.Dossier, error) {
	if err := checkBatchLen(b, national.MaxBatch, "hồ sơ"); err != nil {
		return nil, err
	}
	return dvcqg.DecodeDossiers(b)
}

// addDossiers is them-moi: "0", or "3 … đã tồn tại" (the client then
// calls cap-nhat).
func (h *Handler) addDossiers(w http.ResponseWriter, r *http.Request, c national.Caller, b []byte) {
	recs, err := decodeDossiers(b)
	if err != nil {
		h.refuse(w, r, b, err)
		return
	}
	o, err := h.svc.AddDossiers(r.Context(), c, recs)
	h.answer(w, r, o, err)
}

// updateDossiers is cap-nhat: "0", or "-4" for a dossier not stored.
func (h *Handler) updateDossiers(w http.ResponseWriter, r *http.Request, c national.Caller, b []byte) {
	recs, err := decodeDossiers(b)
	if err != nil {
		h.refuse(w, r, b, err)
		return
	}
	o, err := h.svc.UpdateDossiers(r.Context(), c, recs)
	h.answer(w, r, o, err)
}

// addProgress is dong-bo-tien-trinh: at most ten entries a call.
func (h *Handler) addProgress(w http.ResponseWriter, r *http.Request, c national.Caller, b []byte) {
	err := checkBatchLen(b, national.MaxProgressThreeURL, "mục tiến độ")
	var entries []dvcqg.Progress
	if err == nil {
		entries, err = dvcqg.DecodeProgress(b)
	}
	if err != nil {
		h.refuse(w, r, b, err)
		return
	}
	o, err := h.svc.AddProgress(r.Context(), c, entries, national.MaxProgressThreeURL)
	h.answer(w, r, o, err)
}

// receiveAnchor is PathAnchor: a province's signed audit anchor (HTTP
// Basic auth like style B), kept in the national log.
func (h *Handler) receiveAnchor(w http.ResponseWriter, r *http.Request, c national.Caller, b []byte) {
	if err := h.svc.ReceiveAnchor(r.Context(), c, b); err != nil {
		h.refuse(w, r, b, err)
		return
	}
	ok(w, national.Outcome{Code: dvcqg.CodeOK, Message: "Nhận neo nhật ký kiểm toán thành công.", Written: 1})
}
