package province

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// SearchProcedures searches the public catalogue (Search without its
// suggestion).
func (s *Service) SearchProcedures(ctx context.Context, q catalog.Query) ([]catalog.Summary, int, error) {
	r, err := s.Search(ctx, q)
	return r.Items, r.Total, err
}

// PutProcedure validates and stores one procedure (administrators).
func (s *Service) PutProcedure(ctx context.Context, ac identity.Actor, p catalog.Procedure) (catalog.Procedure, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return catalog.Procedure{}, err
	}
	if err := catalog.Validate(&p); err != nil {
		return catalog.Procedure{}, err
	}
	p.UpdatedAt = s.Now()
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := s.checkBundle(ctx, tx, &p, nil); err != nil {
			return err
		}
		if err := tx.PutProcedure(ctx, p); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "procedure.put", "procedure:"+p.Code, map[string]any{"name": p.Name})
	})
	if err != nil {
		return catalog.Procedure{}, fmt.Errorf("put procedure %s: %w", p.Code, err)
	}
	s.catalogChanged()
	return p, nil
}

// checkBundle checks that an interconnected procedure's parts exist in the
// store or in the batch being imported.
func (s *Service) checkBundle(ctx context.Context, r store.CatalogReader, p *catalog.Procedure, batch map[string]bool) error {
	var fe []errs.FieldError
	for i, code := range p.Bundle {
		if batch[code] {
			continue
		}
		if _, err := r.Procedure(ctx, code); err != nil {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("bundle[%d]", i), Key: "unknown_procedure", Message: fmt.Sprintf("Thủ tục liên thông %q chưa có trong danh mục.", code)})
		}
	}
	if len(fe) > 0 {
		return errs.InvalidFields("procedure.invalid", fmt.Sprintf("Thủ tục %q không hợp lệ.", p.Code), "invalid procedure "+p.Code, fe)
	}
	return nil
}

// ImportCatalog stores every procedure of a parsed catalogue file in one
// transaction: all or nothing (administrators).
func (s *Service) ImportCatalog(ctx context.Context, ac identity.Actor, ps []catalog.Procedure) (int, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return 0, err
	}
	batch := map[string]bool{}
	for i := range ps {
		if err := catalog.Validate(&ps[i]); err != nil {
			return 0, err
		}
		batch[ps[i].Code] = true
	}
	now := s.Now()
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		codes := make([]string, len(ps))
		for i := range ps {
			if err := s.checkBundle(ctx, tx, &ps[i], batch); err != nil {
				return err
			}
			ps[i].UpdatedAt = now
			if err := tx.PutProcedure(ctx, ps[i]); err != nil {
				return err
			}
			codes[i] = ps[i].Code
		}
		return s.Record(ctx, tx, ac, "catalog.import", "catalog", map[string]any{"count": len(ps), "codes": codes})
	})
	if err != nil {
		return 0, fmt.Errorf("import catalogue: %w", err)
	}
	s.catalogChanged()
	return len(ps), nil
}

// ExportCatalog returns the whole catalogue.
func (s *Service) ExportCatalog(ctx context.Context) ([]catalog.Procedure, error) {
	return s.db.AllProcedures(ctx)
}

// DeleteProcedure removes a procedure (administrators).
func (s *Service) DeleteProcedure(ctx context.Context, ac identity.Actor, code string) error {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return err
	}
	defer s.catalogChanged()
	return s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteProcedure(ctx, code); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "procedure.delete", "procedure:"+code, nil)
	})
}
