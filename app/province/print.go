package province

import (
	"context"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/printform"
)

// PrintAgency is an agency as the heading of a form shows it.
func (s *Service) PrintAgency(ctx context.Context, id, unit string) printform.Agency {
	pa := printform.Agency{ID: id, Unit: unit, Place: s.Province.ShortName(), Parent: "Ủy ban nhân dân " + s.Province.Name}
	if ag, err := s.Agency(ctx, id); err == nil {
		pa.Name = ag.Name
		if ag.ParentID != "" {
			if parent, err := s.Agency(ctx, ag.ParentID); err == nil {
				pa.Parent = parent.Name
			}
		}
		if pa.Parent == pa.Name {
			pa.Parent = ""
		}
	} else {
		pa.Name = id
	}
	return pa
}

// ActorTitle is the Vietnamese name of the role the account holds at the
// agency.
func (s *Service) ActorTitle(ctx context.Context, accountID int64, agencyID string) (string, error) {
	acc, err := s.db.Account(ctx, accountID)
	if err != nil {
		return "", err
	}
	for _, g := range acc.Grants {
		if g.AgencyID == agencyID {
			return g.Role.Vietnamese(), nil
		}
	}
	return "", errs.New(errs.NotFound, "grant.not_found", "Không có vai trò.", "no grant")
}
