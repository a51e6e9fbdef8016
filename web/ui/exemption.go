package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// The fee exemption claimed with a dossier (issue 15): the claim on the
// dossier page, with the counter's control to confirm or refuse it during
// reception.
func (s *Server) exemptionRoutes() {
	s.mux.HandleFunc("POST /ho-so/{code}/mien-le-phi", s.decideExemption)
}

// exemptionView is the claim as the dossier page shows it.
type exemptionView struct {
	*dossier.ExemptionClaim
	FileURL string // the proof uploaded, "" none
	Decide  bool   // the viewer may confirm or refuse it now
}

// exemptionSection fills the claim of the dossier page, if any.
func (s *Server) exemptionSection(r *http.Request, acc *identity.Account, d *dossier.Dossier, data *dossierPageData) {
	if d.Exemption == nil {
		return
	}
	v := &exemptionView{ExemptionClaim: d.Exemption, Decide: dossier.MayDecideExemption(d, pageActor(r, acc))}
	if f := d.Exemption.File; f != nil && f.FileID != "" {
		v.FileURL = "/ho-so/" + url.PathEscape(d.Code) + "/tep/" + url.PathEscape(f.FileID)
	}
	data.Exemption = v
}

// decideExemption takes the counter's decision (button "xac-nhan" or
// "tu-choi", a reason to refuse) through DecideExemption.
func (s *Server) decideExemption(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	code := r.PathValue("code")
	if !checkCSRF(r) {
		s.showDossier(w, r, acc, code, http.StatusForbidden, translate(lang(r), "error.form_expired"))
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	in := dossiers.ExemptionDecision{Confirm: r.PostFormValue("decision") == "xac-nhan", Reason: strings.TrimSpace(r.PostFormValue("reason")), Version: version}
	if _, err := s.app.Dossiers.DecideExemption(r.Context(), pageActor(r, acc), code, in); err != nil {
		status, msg := s.userMessage(r, err)
		s.showDossier(w, r, acc, code, status, msg)
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(code)+"#mien-le-phi", http.StatusSeeOther)
}

// exemptionChoice shows again the exemption chosen in a refused
// submission, with the fee in words and the claim's problem.
func (d *submitData) exemptionChoice(code, problem string) {
	d.Exemption, d.ExemptionError = code, problem
	fee, note := d.FeeOnline, "exemption.pending"
	if d.Counter != nil { // confirmed by the counter as it receives
		fee, note = d.FeeInPerson, "exemption.at_counter"
	}
	for _, e := range fee.Exemptions {
		if e.Code == code && code != "" {
			d.ExemptionNote = d.Tf(note, e.Name)
		}
	}
}

// uploadExemption reads the submission form's claim: the exemption chosen
// ("mien") and its proof ("mien-tep"), uploaded as ac. It returns nil
// without a choice, and the message of a proof that cannot be stored.
func (s *Server) uploadExemption(r *http.Request, ac identity.Actor) (*dossiers.ExemptionInput, string) {
	code := strings.TrimSpace(r.PostFormValue("mien"))
	if code == "" {
		return nil, ""
	}
	in := &dossiers.ExemptionInput{Code: code}
	file, hdr, err := r.FormFile("mien-tep")
	if err != nil {
		return in, ""
	}
	defer file.Close()
	if hdr.Size == 0 && hdr.Filename == "" {
		return in, ""
	}
	up, err := s.app.Dossiers.Upload(r.Context(), ac, hdr.Filename, hdr.Header.Get("Content-Type"), file)
	if err != nil {
		msg := translate(lang(r), "submit.file_not_stored")
		if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
			msg = e.Message
		}
		return in, msg
	}
	in.FileID = up.ID
	return in, ""
}
