package ui

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/web/api"
)

// paymentView is the dossier page's payment section: what to pay, to
// whom, the VietQR code, and the receipt once the bank confirmed.
type paymentView struct {
	dossiers.PaymentInfo
	QR        template.HTML // the VietQR code drawn in SVG ("" without an account or once paid)
	Applicant bool          // the viewer is the applicant (may say the transfer is made)
	Sent      bool          // the applicant just said so: waiting for the bank
}

// paymentRoutes mounts the applicant's notice of a transfer and the
// receipt.
func (s *Server) paymentRoutes() {
	s.mux.HandleFunc("POST /ho-so/{code}/da-chuyen-khoan", s.paymentSent)
	s.mux.HandleFunc("GET /ho-so/{code}/bien-lai", s.paymentReceipt)
}

// paymentSection fills the payment section of a dossier with a payment.
func (s *Server) paymentSection(r *http.Request, acc *identity.Account, d *dossier.Dossier, data *dossierPageData) {
	if d.Payment == nil {
		return
	}
	info, err := s.app.Dossiers.Payment(r.Context(), pageActor(r, acc), d.Code)
	if err != nil {
		s.log.Warn("dossier page: payment", "code", d.Code, "error", err)
		return
	}
	v := &paymentView{PaymentInfo: info, Applicant: acc != nil && d.Applicant.AccountID == acc.ID, Sent: r.URL.Query().Get("chuyen-khoan") == "1"}
	if info.VietQR != "" {
		if _, err := payment.Decode(info.VietQR); err == nil {
			v.QR = drawQR(info.VietQR, data.T("payment.qr_label"))
		}
	}
	data.Payment = v
}

func (s *Server) paymentSent(w http.ResponseWriter, r *http.Request) {
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
	if err := s.app.Dossiers.PaymentSent(r.Context(), pageActor(r, acc), code); err != nil {
		status, msg := s.userMessage(r, err)
		s.showDossier(w, r, acc, code, status, msg)
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(code)+"?chuyen-khoan=1#thanh-toan", http.StatusSeeOther)
}

func (s *Server) paymentReceipt(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	code := r.PathValue("code")
	b, err := s.app.Dossiers.PaymentReceipt(r.Context(), pageActor(r, acc), code, api.PublicBase(s.opts.PublicURL, s.opts.SecureCookies, r.Host))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="bien-lai-`+code+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(b)
}
