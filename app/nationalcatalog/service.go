// Package nationalcatalog keeps the province's procedure catalogue in step
// with the national one (issue 13): it reads the national catalogue from
// the portal, shows the administrator what differs — new procedures,
// national fields changed, procedures withdrawn — and applies exactly
// that, in one audited transaction. Only the national fields are
// overwritten; the province's declaration forms, workflows, components and
// competent agencies survive a re-sync. A new national procedure comes in
// as a draft (kept apart from the catalogue) that an administrator
// completes and publishes.
package nationalcatalog

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// Source is the national catalogue (dvcqgclient.Client).
type Source interface {
	List(ctx context.Context) ([]dvcqg.ProcedureItem, error)
	// Procedure is one procedure; false when the portal does not know it.
	Procedure(ctx context.Context, code string) (dvcqg.ProcedureRecord, bool, error)
}

// Service is the catalogue's sync with the national one.
type Service struct {
	*app.Kernel
	prov *province.Service
	src  Source
}

// New returns the service; src nil: the national catalogue is not
// configured and reading it is Unavailable.
func New(k *app.Kernel, prov *province.Service, src Source) *Service {
	return &Service{Kernel: k, prov: prov, src: src}
}

// workers is how many procedures are read from the portal at once.
const workers = 4

// maxProcedures bounds the national list read (the national catalogue has
// a few thousand procedures).
const maxProcedures = 20000

// fetch reads the national catalogue: the list, then each procedure.
func (s *Service) fetch(ctx context.Context) ([]dvcqg.NationalFields, error) {
	if s.src == nil {
		return nil, errs.New(errs.Unavailable, "dvcqg.not_configured",
			"Chưa cấu hình kết nối Cổng Dịch vụ công quốc gia (--national-url và tài khoản của tỉnh).", "national portal not configured")
	}
	items, err := s.src.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the national catalogue: %w", err)
	}
	if len(items) > maxProcedures {
		return nil, errs.New(errs.Unavailable, "dvcqg.catalog_too_large", fmt.Sprintf("Danh mục quốc gia có hơn %d thủ tục; không đọc.", maxProcedures), "national catalogue too large")
	}
	seen := map[string]bool{}
	var list []dvcqg.ProcedureItem
	for _, it := range items {
		if it.MaTTHC != "" && !seen[it.MaTTHC] {
			seen[it.MaTTHC] = true
			list = append(list, it)
		}
	}
	out := make([]dvcqg.NationalFields, len(list))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		next  = make(chan int)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rec, ok, err := s.src.Procedure(ctx, list[i].MaTTHC)
				switch {
				case err != nil:
					once.Do(func() { first = fmt.Errorf("read national procedure %s: %w", list[i].MaTTHC, err); cancel() })
				case ok:
					out[i] = rec.Fields(list[i])
				default:
					out[i] = list[i].Fields() // listed but not served: what the list says
				}
			}
		}()
	}
	for i := range list {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, ctx.Err()
}

// Diff reads the national catalogue and compares it with the province's
// (administrators).
func (s *Service) Diff(ctx context.Context, ac identity.Actor) (Diff, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return Diff{}, err
	}
	nat, err := s.fetch(ctx)
	if err != nil {
		return Diff{}, err
	}
	local, err := s.Store.AllProcedures(ctx)
	if err != nil {
		return Diff{}, err
	}
	drafts, err := s.Store.ProcedureDrafts(ctx)
	if err != nil {
		return Diff{}, err
	}
	m, err := s.prov.NationalMapping(ctx)
	if err != nil {
		return Diff{}, err
	}
	d := compute(nat, local, drafts, m)
	d.FetchedAt = s.Now()
	return d, nil
}

// Applied is what an application changed.
type Applied struct {
	Hash            string   `json:"hash"`
	New             []string `json:"new" doc:"Drafts stored, by code"`
	Changed         []string `json:"changed"`
	Withdrawn       []string `json:"withdrawn"`
	PublishedDrafts []string `json:"published_drafts" doc:"Drafts deleted, published since"`
}

// Apply reads the national catalogue again and applies its diff if it is
// still the one whose hash the administrator saw (else Conflict: look
// again), in one transaction with its audit entry: the national fields of
// the changed procedures, the withdrawals, the new procedures' drafts.
func (s *Service) Apply(ctx context.Context, ac identity.Actor, hash string) (Applied, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return Applied{}, err
	}
	nat, err := s.fetch(ctx)
	if err != nil {
		return Applied{}, err
	}
	now := s.Now()
	var out Applied
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		local, err := tx.AllProcedures(ctx)
		if err != nil {
			return err
		}
		drafts, err := tx.ProcedureDrafts(ctx)
		if err != nil {
			return err
		}
		m, err := mappingIn(ctx, tx)
		if err != nil {
			return err
		}
		d := compute(nat, local, drafts, m)
		if d.Hash != hash {
			return errs.New(errs.Conflict, "catalog.national_stale",
				"Danh mục quốc gia hoặc danh mục của tỉnh đã thay đổi kể từ khi xem; xin xem lại các thay đổi rồi áp dụng.", "the catalogues changed since the diff was shown")
		}
		out = Applied{Hash: hash, New: []string{}, Changed: []string{}, Withdrawn: []string{}, PublishedDrafts: d.PublishedDrafts}
		byCode := map[string]catalog.Procedure{}
		for _, p := range local {
			byCode[p.Code] = p
		}
		for _, c := range d.Changed {
			p := byCode[c.Code]
			overwrite(&p, c.Fields, d.national[c.Code])
			p.UpdatedAt = now
			if err := catalog.Validate(&p); err != nil {
				return err
			}
			if err := tx.PutProcedure(ctx, p); err != nil {
				return err
			}
			out.Changed = append(out.Changed, c.Code)
		}
		for _, c := range d.Withdrawn {
			if c.Draft {
				if err := tx.DeleteProcedureDraft(ctx, c.Code); err != nil {
					return err
				}
			} else {
				p := byCode[c.Code]
				at := now
				p.WithdrawnAt, p.UpdatedAt = &at, now
				if err := tx.PutProcedure(ctx, p); err != nil {
					return err
				}
			}
			out.Withdrawn = append(out.Withdrawn, c.Code)
		}
		for _, c := range d.New {
			p := *c.Procedure
			p.UpdatedAt = now
			if err := tx.PutProcedureDraft(ctx, p); err != nil {
				return err
			}
			out.New = append(out.New, c.Code)
		}
		for _, code := range d.PublishedDrafts {
			if err := tx.DeleteProcedureDraft(ctx, code); err != nil {
				return err
			}
		}
		return s.Record(ctx, tx, ac, "catalog.national_sync", "catalog", map[string]any{"hash": hash, "new": out.New, "changed": out.Changed,
			"withdrawn": out.Withdrawn, "published_drafts": out.PublishedDrafts})
	})
	if err != nil {
		return Applied{}, fmt.Errorf("apply the national catalogue: %w", err)
	}
	s.prov.Forget()
	return out, nil
}

// overwrite sets the national fields that changed (a fee keeps the
// province's note); those fields are confirmed, no longer provisional.
func overwrite(p *catalog.Procedure, fields []FieldChange, n dvcqg.NationalFields) {
	for _, f := range fields {
		switch f.Field {
		case FieldName:
			p.Name = n.Name
		case FieldField:
			p.Field = n.Field
		case FieldLevel:
			p.Level = n.Level
		case FieldTime:
			p.ProcessingTime = *n.ProcessingTime
		case FieldFees:
			notes := map[string]string{}
			for _, x := range p.Fees {
				notes[x.Code] = x.Note
			}
			old := catalog.Procedure{Fees: p.Fees}
			p.Fees = slices.Clone(n.Fees)
			for i := range p.Fees {
				p.Fees[i].Note = notes[p.Fees[i].Code]
			}
			p.KeepFeeRules(&old) // the province's channels of a rate stay
		case FieldLegal:
			p.LegalBasis = slices.Clone(n.LegalBasis)
		case FieldWithdrawn:
			p.WithdrawnAt = nil
		}
		p.Provisional = slices.DeleteFunc(p.Provisional, func(x string) bool { return x == f.Field })
	}
}

// mappingIn reads the province's code mapping inside a transaction.
func mappingIn(ctx context.Context, r store.CatalogReader) (dvcqg.Mapping, error) {
	return province.ReadNationalMapping(ctx, r)
}

// Drafts lists the drafts not yet published (administrators).
func (s *Service) Drafts(ctx context.Context, ac identity.Actor) ([]catalog.Procedure, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return nil, err
	}
	all, err := s.Store.ProcedureDrafts(ctx)
	if err != nil {
		return nil, err
	}
	out := []catalog.Procedure{}
	for _, p := range all {
		if _, err := s.Store.Procedure(ctx, p.Code); errs.KindOf(err) == errs.NotFound {
			out = append(out, p)
		} else if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Draft is one draft (administrators).
func (s *Service) Draft(ctx context.Context, ac identity.Actor, code string) (catalog.Procedure, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return catalog.Procedure{}, err
	}
	return s.Store.ProcedureDraft(ctx, code)
}

// fieldsOf lists the fields an Invalid error names.
func fieldsOf(err error) []string {
	e, ok := errs.As(err)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		if f.Field != "" {
			out = append(out, f.Field)
		}
	}
	return out
}
