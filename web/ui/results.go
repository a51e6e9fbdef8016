package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"time"

	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/web/limit"
)

// maxVerifyUpload bounds the PDF posted to the verification page.
const maxVerifyUpload = 20 << 20

// resultRoutes mounts the electronic results: the signed PDF of a dossier,
// the public verification page and upload, and the CA and its CRL (DER).
func (s *Server) resultRoutes() {
	s.mux.HandleFunc("GET /ho-so/{code}/ket-qua", s.resultDownload)
	s.mux.HandleFunc("GET /ho-so/{code}/du-thao", s.resultDraft)
	s.mux.HandleFunc("POST /ho-so/{code}/ghi-lai-du-lieu", s.retryWriteBack)
	s.mux.HandleFunc("GET /xac-thuc", s.verifyPage)
	s.mux.HandleFunc("GET /xac-thuc/{id}", s.verifyPage)
	// Anyone may post a PDF to be verified, and reading a hostile one is
	// the costliest thing an anonymous request can ask: one at once per
	// two cores (at least one), so officials keep the rest of the machine
	// (motcua-bench storm, 2 cores: officials' p99 291 ms against 617 ms
	// with one per core); the next is answered 503 at once.
	busy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, errs.New(errs.Unavailable, "verify.busy", "Máy chủ đang kiểm tra nhiều tệp; vui lòng thử lại sau ít giây.", "verification slots full"))
	})
	s.mux.Handle("POST /xac-thuc", limit.NewGate(max(1, runtime.GOMAXPROCS(0)/2), 5*time.Second, busy).Wrap(http.HandlerFunc(s.verifyUpload)))
	s.mux.HandleFunc("GET "+pki.CAPath, s.caCert)
	s.mux.HandleFunc("GET "+pki.CRLPath, s.caCRL)
}

func (s *Server) resultDownload(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	res, b, err := s.app.Results.ResultPDF(r.Context(), pageActor(r, acc), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ket-qua-%s.pdf"`, res.ID[len(res.ID)-8:]))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(b)
}

// resultDraft shows the leader the result as it will be issued, before
// the "ký" step (not signed, no number).
func (s *Server) resultDraft(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	b, err := s.app.Results.DraftPDF(r.Context(), pageActor(r, acc), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="du-thao-ket-qua.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(b)
}

// retryWriteBack writes a result's quarantined shared records again.
func (s *Server) retryWriteBack(w http.ResponseWriter, r *http.Request) {
	s.dossierPost(w, r, func(ac identity.Actor, code string) error {
		_, err := s.app.Results.RetryWriteBack(r.Context(), ac, code)
		return err
	})
}

func (s *Server) caCert(w http.ResponseWriter, r *http.Request) {
	p := s.app.Results.PKI()
	if p == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/pkix-cert")
	_, _ = w.Write(p.CA().Raw)
}

func (s *Server) caCRL(w http.ResponseWriter, r *http.Request) {
	p := s.app.Results.PKI()
	if p == nil {
		http.NotFound(w, r)
		return
	}
	crl, err := p.CRL(s.app.Kernel.Now())
	if err != nil {
		s.log.Error("CRL", "error", err)
		http.Error(w, "Lỗi hệ thống.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/pkix-crl")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(crl.Raw)
}

// checkRow is one check of the verification page.
type checkRow struct {
	Title, Message string
	OK             bool
}

type verifyData struct {
	page
	Error       string
	Checked     bool
	Valid       bool
	NoSignature string
	Checks      []checkRow
	Signer      string
	Personal    bool // a personal signature, not the agency's seal
	SigningTime *time.Time
	Stored      *results.ResultFacts
	Matches     bool
}

func (s *Server) verification(d *verifyData, v results.Verification) {
	d.Checked, d.Valid, d.Stored, d.Matches = true, v.Valid(), v.Result, v.Matches
	if v.Err != nil {
		d.NoSignature = v.Err.Error()
		return
	}
	for _, c := range v.Report.Checks() {
		d.Checks = append(d.Checks, checkRow{Title: d.T(checkKey(c)), Message: c.Message, OK: c.OK})
	}
	d.Signer, d.Personal = v.Report.SignerName, v.Report.Personal
	if v.Report.SignerTitle != "" {
		d.Signer += ", " + v.Report.SignerTitle
	}
	if v.Report.SignerOrganization != "" {
		d.Signer += " — " + v.Report.SignerOrganization
	}
	if v.Report.SignerSerial != "" {
		d.Signer += " (" + v.Report.SignerSerial + ")"
	}
	if !v.Report.SigningTime.IsZero() {
		t := v.Report.SigningTime
		d.SigningTime = &t
	}
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	data := verifyData{page: s.base(w, r, "verify.title")}
	if id := r.PathValue("id"); id != "" {
		v, err := s.app.Results.VerifyResult(r.Context(), id)
		if err != nil {
			s.verifyError(w, r, data, err)
			return
		}
		s.verification(&data, v)
	}
	s.render(w, http.StatusOK, "verify", data)
}

func (s *Server) verifyError(w http.ResponseWriter, r *http.Request, data verifyData, err error) {
	status, msg := s.userMessage(r, err)
	data.Error = msg
	s.render(w, status, "verify", data)
}

func (s *Server) verifyUpload(w http.ResponseWriter, r *http.Request) {
	data := verifyData{page: s.base(w, r, "verify.title")}
	r.Body = http.MaxBytesReader(w, r.Body, maxVerifyUpload+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.verifyError(w, r, data, errs.New(errs.Invalid, "verify.too_large", "Tệp quá lớn: tối đa 20 MB.", "file too large"))
			return
		}
		s.verifyError(w, r, data, errs.New(errs.Invalid, "verify.form", "Biểu mẫu tải tệp không hợp lệ.", "bad multipart form"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	if !checkCSRF(r) {
		s.verifyError(w, r, data, errs.New(errs.Forbidden, "csrf", "Phiên làm việc của biểu mẫu đã hết hạn; xin tải lại trang.", "bad CSRF token"))
		return
	}
	f, hdr, err := r.FormFile("tep")
	if err != nil {
		s.verifyError(w, r, data, errs.New(errs.Invalid, "verify.no_file", "Chưa chọn tệp PDF để xác thực.", "no file"))
		return
	}
	defer f.Close()
	if hdr.Size > maxVerifyUpload {
		s.verifyError(w, r, data, errs.New(errs.Invalid, "verify.too_large", "Tệp quá lớn: tối đa 20 MB.", "file too large"))
		return
	}
	// Read in one buffer of the file's size: io.ReadAll's growing buffers
	// allocated and cleared twice the file (motcua-bench storm).
	b := make([]byte, hdr.Size)
	if _, err := io.ReadFull(f, b); err != nil {
		s.verifyError(w, r, data, fmt.Errorf("read upload: %w", err))
		return
	}
	v, err := s.app.Results.VerifyUpload(r.Context(), b)
	if err != nil {
		s.verifyError(w, r, data, err)
		return
	}
	s.verification(&data, v)
	s.render(w, http.StatusOK, "verify", data)
}
