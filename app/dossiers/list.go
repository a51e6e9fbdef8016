package dossiers

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
)

// DossierQuery is a list request: the caller's own dossiers (applicants),
// the inbox (Inbox: waiting for the caller's roles), or the dossiers of the
// caller's reporting scope (Scope: leaders, viewers, administrators), with
// the filters of the inbox and of the dashboard's click-through.
type DossierQuery struct {
	Inbox  bool
	Scope  bool
	Status int
	// Overdue keeps the dossiers whose running deadline has passed;
	// DueSoon those due within DueSoonWithin of working time.
	Overdue, DueSoon bool
	ProcedureCode    string
	Code             string // part of the dossier's code
	Channel          int
	Agency           string // competent agency (Scope: within the caller's scope)
	CommuneCode      string
	// Submitted and finished in [From, To).
	SubmittedFrom, SubmittedTo time.Time
	FinishedFrom, FinishedTo   time.Time
	Timeliness                 dossier.Timeliness
	Limit, Offset              int
}

// DossierList is a page of a list with its total and the count of each
// status under the same filters.
type DossierList struct {
	Items    []dossier.Dossier
	Total    int
	ByStatus map[int]int
}

// Dossiers lists the caller's own dossiers (applicants), with Inbox those
// waiting for the caller's roles at their agencies (overdue first), with
// Scope those of the caller's reporting scope.
func (s *Service) Dossiers(ctx context.Context, ac identity.Actor, q DossierQuery) ([]dossier.Dossier, int, error) {
	l, err := s.list(ctx, ac, q, false)
	return l.Items, l.Total, err
}

// DossierList is Dossiers with the counts by status.
func (s *Service) DossierList(ctx context.Context, ac identity.Actor, q DossierQuery) (DossierList, error) {
	return s.list(ctx, ac, q, true)
}

func (s *Service) list(ctx context.Context, ac identity.Actor, q DossierQuery, counts bool) (DossierList, error) {
	var out DossierList
	if ac.Account == nil {
		return out, ac.Require(identity.PermDossierHandle, "")
	}
	now := s.Now()
	f := dossier.Filter{Status: q.Status, Limit: q.Limit, Offset: q.Offset, ProcedureCode: q.ProcedureCode, Code: q.Code,
		Channel: q.Channel, CompetentAgency: q.Agency, CommuneCode: q.CommuneCode, SubmittedFrom: q.SubmittedFrom, SubmittedTo: q.SubmittedTo,
		FinishedFrom: q.FinishedFrom, FinishedTo: q.FinishedTo, Timeliness: q.Timeliness, Overdue: q.Overdue, Now: now}
	if q.DueSoon {
		f.DueBy = s.prov.Calendar().AddWorkingTime(now, DueSoonWithin)
	}
	action, object := "dossier.list", fmt.Sprintf("account:%d", ac.Account.ID)
	switch {
	case q.Inbox:
		f.Inbox = append([]identity.Grant{}, ac.Account.Grants...)
		action = "dossier.inbox"
	case q.Scope:
		sc, err := s.prov.ReportScope(ctx, ac)
		if err != nil {
			return out, err
		}
		agency, err := sc.Pick(q.Agency)
		if err != nil {
			return out, err
		}
		f.CompetentAgency = agency
		if agency != "" {
			object = "agency:" + agency
		} else {
			object = "province:" + s.Province.Code
		}
	default:
		f.ApplicantID = ac.Account.ID
		action = ""
	}
	list, total, err := s.db.Dossiers(ctx, f)
	if err != nil {
		return out, err
	}
	out.Items, out.Total = list, total
	if counts {
		if out.ByStatus, err = s.db.DossierStatusCounts(ctx, f); err != nil {
			return out, err
		}
	}
	if action != "" && len(list) > 0 {
		// The read names every dossier it returned: who saw whose
		// declaration is answerable dossier by dossier.
		codes := make([]string, len(list))
		for i := range list {
			codes[i] = list[i].Code
		}
		if err := s.RecordRead(ctx, ac, action, object, map[string]any{"count": len(list), "dossiers": codes}); err != nil {
			return DossierList{}, err
		}
	}
	return out, nil
}
