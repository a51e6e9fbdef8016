package province

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// Agencies lists the province's agencies (public information).
func (s *Service) Agencies(ctx context.Context, f unit.AgencyFilter) ([]unit.Agency, error) {
	return s.db.Agencies(ctx, f)
}

// PutAgency creates or updates an agency of the province (administrators).
func (s *Service) PutAgency(ctx context.Context, ac identity.Actor, ag unit.Agency) (unit.Agency, error) {
	if err := ac.Require(identity.PermAgencyManage, ""); err != nil {
		return unit.Agency{}, err
	}
	if ag.ProvinceCode == "" {
		ag.ProvinceCode = s.Province.Code
	}
	if err := ag.Validate(s.Units); err != nil {
		return unit.Agency{}, err
	}
	if ag.ProvinceCode != s.Province.Code {
		return unit.Agency{}, errs.New(errs.Invalid, "agency.other_province", "Cơ quan không thuộc tỉnh, thành phố của hệ thống.", "agency of another province")
	}
	ag.UpdatedAt = s.Now()
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if ag.ParentID != "" {
			if _, err := tx.Agency(ctx, ag.ParentID); err != nil {
				return errs.InvalidFields("agency.invalid", "Cơ quan không hợp lệ.", "invalid agency", []errs.FieldError{{Field: "parent_id", Key: "unknown", Message: "Cơ quan cấp trên không tồn tại."}})
			}
		}
		if err := tx.PutAgency(ctx, ag); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "agency.put", "agency:"+ag.ID, ag)
	})
	if err != nil {
		return unit.Agency{}, fmt.Errorf("put agency %s: %w", ag.ID, err)
	}
	s.forgetAgencyCalendar(ag.ID)
	s.agencies.Clear()
	s.agencyLists.Clear()
	return ag, nil
}

// AgencyRef names an agency.
type AgencyRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AgencyRef returns an agency's ID and name ("" name if unknown).
func (s *Service) AgencyRef(ctx context.Context, id string) AgencyRef {
	if id == "" {
		return AgencyRef{}
	}
	ag, err := s.Agency(ctx, id)
	if err != nil {
		return AgencyRef{ID: id}
	}
	return AgencyRef{ID: id, Name: ag.Name}
}

// SetAgencyBank sets (nil: removes) the account an agency's fees are paid
// to by VietQR transfer, for the system administrator (agency.manage):
// the BIN of a bank of the VietQR list, 6–19 digits, the holder as banks
// print it (payment.CheckAccount). Audited agency.bank with the account
// before and after, in the transaction that stores it.
func (s *Service) SetAgencyBank(ctx context.Context, ac identity.Actor, id string, b *unit.BankAccount) (unit.Agency, error) {
	if err := ac.Require(identity.PermAgencyManage, ""); err != nil {
		return unit.Agency{}, err
	}
	var out unit.Agency
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		ag, err := tx.Agency(ctx, id)
		if err != nil {
			return err
		}
		before := ag.Bank
		if b != nil {
			nb := *b
			nb.Demo = false // an account set by hand is a real one
			ag.Bank = &nb
		} else {
			ag.Bank = nil
		}
		if err := ag.Validate(s.Units); err != nil {
			return err
		}
		ag.UpdatedAt = s.Now()
		if err := tx.PutAgency(ctx, ag); err != nil {
			return err
		}
		out = ag
		return s.Record(ctx, tx, ac, "agency.bank", "agency:"+ag.ID, map[string]any{"before": before, "after": ag.Bank})
	})
	if err != nil {
		return unit.Agency{}, fmt.Errorf("agency %s bank account: %w", id, err)
	}
	s.agencies.Clear()
	s.agencyLists.Clear()
	return out, nil
}
