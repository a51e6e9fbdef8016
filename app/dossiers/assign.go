package dossiers

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// Assignee is an official a leader may assign the current step to.
type Assignee struct {
	ID   int64
	Name string
}

// Assignees lists the officials holding the current step's role at its
// agency, for a leader of that agency (the only one who may assign).
func (s *Service) Assignees(ctx context.Context, ac identity.Actor, code string) ([]Assignee, error) {
	d, err := s.Dossier(ctx, ac, code)
	if err != nil {
		return nil, err
	}
	step := d.CurrentStep()
	if step == nil || ac.Account == nil || !ac.Account.HasRole(identity.RoleLeader, step.AgencyID) {
		return nil, errs.New(errs.Forbidden, "dossier.assign_forbidden", "Chỉ lãnh đạo của cơ quan thực hiện bước này được phân công.", "only a leader of the step's agency may assign")
	}
	list, _, err := s.db.Accounts(ctx, identity.AccountFilter{AgencyID: step.AgencyID, Kind: identity.KindOfficial, Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("assignees of %s: %w", code, err)
	}
	var out []Assignee
	for _, acc := range list {
		if !acc.Disabled && acc.HasRole(step.Role, step.AgencyID) {
			out = append(out, Assignee{ID: acc.ID, Name: acc.DisplayName})
		}
	}
	return out, nil
}
