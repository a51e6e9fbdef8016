package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/unit"
)

// admBankData is the page of an agency's fee account (VietQR), for the
// system administrator.
type admBankData struct {
	adminPage
	Agency unit.Agency
	Banks  []payment.Bank
	// The form: what is stored, or what was posted when refused.
	BIN, Number, Name string
}

func (s *Server) adminShowBank(w http.ResponseWriter, r *http.Request, data admBankData, status int) {
	data.Banks = payment.Banks
	s.render(w, status, "admin_agency_bank", data)
}

// adminAgencyBank shows the agency's fee account and the form to change it.
func (s *Server) adminAgencyBank(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	a, err := s.app.Province.Agency(r.Context(), r.PathValue("id"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := admBankData{adminPage: adminPage{page: s.base(w, r, "admin.bank.title")}, Agency: a}
	if b := a.Bank; b != nil {
		data.BIN, data.Number, data.Name = b.BIN, b.Number, b.Name
	}
	switch r.URL.Query().Get("da-luu") {
	case "1":
		data.Notice = data.T("admin.bank.saved")
	case "xoa":
		data.Notice = data.T("admin.bank.removed")
	}
	s.adminShowBank(w, r, data, http.StatusOK)
}

// adminSaveAgencyBank sets (op "luu") or removes (op "xoa") the account
// through SetAgencyBank, which validates, stores and audits it.
func (s *Server) adminSaveAgencyBank(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, adminFormLimit)
	if !ok {
		return
	}
	a, err := s.app.Province.Agency(r.Context(), r.PathValue("id"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := admBankData{adminPage: adminPage{page: s.base(w, r, "admin.bank.title")}, Agency: a,
		BIN: r.PostFormValue("bin"), Number: strings.TrimSpace(r.PostFormValue("number")), Name: strings.TrimSpace(r.PostFormValue("name"))}
	var b *unit.BankAccount
	done := "xoa"
	if r.PostFormValue("op") != "xoa" {
		b, done = &unit.BankAccount{BIN: data.BIN, Number: data.Number, Name: data.Name}, "1"
	}
	if _, err := s.app.Province.SetAgencyBank(r.Context(), ac, a.ID, b); err != nil {
		status := s.adminFail(r, &data.adminPage, err)
		s.adminShowBank(w, r, data, status)
		return
	}
	http.Redirect(w, r, "/quan-tri/co-quan/"+url.PathEscape(a.ID)+"/tai-khoan?da-luu="+done, http.StatusSeeOther)
}
