package dossier

import (
	"fmt"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// VisibleTo reports whether the actor may see the dossier with its
// personal data: the platform, the applicant and the submitter, officials
// of an agency the dossier passes through, and, while an online dossier
// waits to be received, the counters that may take it in (IntakeCounter).
func VisibleTo(d *Dossier, ac identity.Actor) bool {
	if ac.System {
		return true
	}
	acc := ac.Account
	if acc == nil {
		return false
	}
	if acc.ID == d.Applicant.AccountID || acc.ID == d.SubmittedBy {
		return true
	}
	agencies := map[string]bool{d.CompetentAgency: true, d.ReceivingAgency: true}
	for _, s := range d.Steps {
		agencies[s.AgencyID] = true
	}
	for _, g := range acc.Grants {
		// The national portal's role hands dossiers over and reads none.
		if agencies[g.AgencyID] && g.Role != identity.RoleNationalPortal {
			return true
		}
	}
	if atIntake(d) {
		_, ok := IntakeCounter(d, ac)
		return ok
	}
	return false
}

// NotFound is the error of a dossier code that names no dossier (or one the
// caller may not see: the two are not told apart).
func NotFound(code string) error {
	return errs.New(errs.NotFound, "dossier.not_found", fmt.Sprintf("Không có hồ sơ mã %q.", code), "no dossier "+code)
}

// LastEvent is the newest event of the dossier for action a.
func (d *Dossier) LastEvent(a Action) (Event, bool) {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Action == a {
			return d.History[i], true
		}
	}
	return Event{}, false
}
