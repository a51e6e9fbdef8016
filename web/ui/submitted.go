package ui

import (
	"net/http"
	"net/url"

	"github.com/motcua/motcua/web/api"
)

// submittedPath is the page a citizen lands on after submitting: what was
// submitted, its code, the appointment, and the receipt to print.
func submittedPath(code string) string { return "/ho-so/" + url.PathEscape(code) + "/da-nop" }

// submittedData is the page after a submission.
type submittedData struct {
	page
	D api.DossierOut
	// Received: the dossier was received at once (a counter's), and form
	// 01 (the receipt with the appointment) can be printed; an online
	// dossier gets it when the one-stop counter receives it, and this
	// page, printed, is the proof of submission until then.
	Received bool
}

// submittedPage shows a dossier just submitted to the account that may see
// it: its code, procedure, time of submission, appointment (the estimated
// one before receipt, said so), the agency that decides, and the receipt.
func (s *Server) submittedPage(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	d, err := s.app.Dossiers.Dossier(r.Context(), pageActor(r, acc), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := submittedData{page: s.base(w, r, "submitted.title"), D: api.NewDossierOut(r.Context(), s.app, &d), Received: d.ReceivedAt != nil && formApplies(&d, "01")}
	data.Description = data.Tf("submitted.description", d.Code)
	s.render(w, http.StatusOK, "submitted", data)
}
