package app

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// Agencies lists the province's agencies (public information).
func (a *App) Agencies(ctx context.Context, f store.AgencyFilter) ([]unit.Agency, error) {
	return a.store.Agencies(ctx, f)
}

// Agency returns one agency.
func (a *App) Agency(ctx context.Context, id string) (unit.Agency, error) {
	return a.store.Agency(ctx, id)
}

// PutAgency creates or updates an agency of the province (administrators).
func (a *App) PutAgency(ctx context.Context, ac Actor, ag unit.Agency) (unit.Agency, error) {
	if err := ac.require(identity.PermAgencyManage, ""); err != nil {
		return unit.Agency{}, err
	}
	if ag.ProvinceCode == "" {
		ag.ProvinceCode = a.province.Code
	}
	if err := ag.Validate(a.units); err != nil {
		return unit.Agency{}, err
	}
	if ag.ProvinceCode != a.province.Code {
		return unit.Agency{}, errs.New(errs.Invalid, "agency.other_province", "Cơ quan không thuộc tỉnh, thành phố của hệ thống.", "agency of another province")
	}
	ag.UpdatedAt = a.now()
	err := a.store.Update(ctx, func(tx store.Tx) error {
		if ag.ParentID != "" {
			if _, err := tx.Agency(ctx, ag.ParentID); err != nil {
				return errs.InvalidFields("agency.invalid", "Cơ quan không hợp lệ.", "invalid agency", []errs.FieldError{{Field: "parent_id", Key: "unknown", Message: "Cơ quan cấp trên không tồn tại."}})
			}
		}
		if err := tx.PutAgency(ctx, ag); err != nil {
			return err
		}
		return a.record(ctx, tx, ac, "agency.put", "agency:"+ag.ID, ag)
	})
	if err != nil {
		return unit.Agency{}, fmt.Errorf("put agency %s: %w", ag.ID, err)
	}
	a.forgetAgencyCalendar(ag.ID)
	a.agencies.clear()
	a.agencyLists.clear()
	return ag, nil
}
