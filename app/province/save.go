package province

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// SaveProcedure is PutProcedure for the administrators' console, with a
// check of the version the administrator edited, inside the same
// transaction: when create is true no procedure of p's code may exist yet;
// otherwise the stored procedure's UpdatedAt must still be version (a zero
// version skips the check), so that an edit cannot silently overwrite
// another administrator's.
func (s *Service) SaveProcedure(ctx context.Context, ac identity.Actor, p catalog.Procedure, create bool, version time.Time) (catalog.Procedure, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return catalog.Procedure{}, err
	}
	if err := catalog.Validate(&p); err != nil {
		return catalog.Procedure{}, err
	}
	p.UpdatedAt = s.Now()
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		old, err := tx.Procedure(ctx, p.Code)
		switch {
		case err == nil && create:
			return errs.InvalidFields("procedure.exists", fmt.Sprintf("Thủ tục %q không hợp lệ.", p.Code), "procedure exists "+p.Code,
				[]errs.FieldError{{Field: "code", Key: "exists", Message: "Mã thủ tục đã có trong danh mục."}})
		case err == nil && !version.IsZero() && !old.UpdatedAt.Equal(version):
			return errs.New(errs.Conflict, "procedure.changed", "Thủ tục vừa được người khác sửa; xin mở lại trang để xem phiên bản mới trước khi sửa tiếp.", "procedure changed since it was opened")
		case err != nil && errs.KindOf(err) != errs.NotFound:
			return err
		case err != nil && !create:
			return err
		}
		if err == nil {
			// The console's form has no withdrawal: an edit keeps it (the
			// national catalogue's sync sets and lifts it).
			p.WithdrawnAt = old.WithdrawnAt
			// Nor fee channels and exemptions: an edit keeps them.
			p.KeepFeeRules(&old)
			if err := catalog.Validate(&p); err != nil {
				return err
			}
		}
		if err := s.checkBundle(ctx, tx, &p, nil); err != nil {
			return err
		}
		if err := tx.PutProcedure(ctx, p); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "procedure.put", "procedure:"+p.Code, map[string]any{"name": p.Name, "create": create})
	})
	if err != nil {
		return catalog.Procedure{}, fmt.Errorf("save procedure %s: %w", p.Code, err)
	}
	s.catalogChanged()
	return p, nil
}
