package province

import (
	"context"
	"fmt"
	"slices"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/unit"
)

// Scope is what an account may see on the dashboard: the whole province,
// or the dossiers of some agencies.
type Scope struct {
	Whole    bool
	Agencies []string // in the order of the grants
}

// Pick returns the competent agency to filter on: "" for the whole
// province (only with a whole scope), want if it is in the scope, else the
// first agency of the scope.
func (s Scope) Pick(want string) (string, error) {
	switch {
	case want == "" && s.Whole:
		return "", nil
	case want == "":
		return s.Agencies[0], nil
	case s.Whole || slices.Contains(s.Agencies, want):
		return want, nil
	}
	return "", errs.New(errs.Forbidden, "report.scope", "Bạn không có quyền xem số liệu của cơ quan này.", "agency outside the account's reporting scope")
}

// ReportScope is the reporting scope of the actor: leaders, viewers and
// administrators see their agency; at the province's People's Committee
// or the service centre (or as administrators) the whole province.
func (s *Service) ReportScope(ctx context.Context, ac identity.Actor) (Scope, error) {
	var sc Scope
	if err := ac.Require(identity.PermReportRead, ""); err != nil {
		return sc, err
	}
	if ac.System {
		sc.Whole = true
		return sc, nil
	}
	for _, g := range ac.Account.Grants {
		switch g.Role {
		case identity.RoleAdmin:
			sc.Whole = true
		case identity.RoleLeader, identity.RoleViewer:
			ag, err := s.Agency(ctx, g.AgencyID)
			if err != nil {
				return sc, fmt.Errorf("reporting scope: %w", err)
			}
			if ag.Kind == unit.KindProvinceCommittee || ag.Kind == unit.KindServiceCentre {
				sc.Whole = true
			} else if !slices.Contains(sc.Agencies, g.AgencyID) {
				sc.Agencies = append(sc.Agencies, g.AgencyID)
			}
		}
	}
	if !sc.Whole && len(sc.Agencies) == 0 {
		return sc, errs.New(errs.Forbidden, "auth.forbidden", "Tài khoản của bạn không có quyền thực hiện thao tác này.", "permission report.read required")
	}
	return sc, nil
}
