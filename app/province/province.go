// Package province holds the use cases of the province's set-up: the
// procedure catalogue, the agencies with their office hours, the yearly
// working calendar and who may report on what. Every other capability
// reads them through this service, which keeps them in short memos.
package province

import (
	"context"
	"sync"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// reader is what the service reads of the store outside its transactions
// (which get the whole store.Tx through Kernel.Store.Update).
type reader interface {
	store.CatalogReader
	store.AccountReader
}

// Service is the province's set-up.
type Service struct {
	*app.Kernel
	db reader

	procs       *app.Memo[string, catalog.Procedure]
	index       searchIndex
	agencies    *app.Memo[string, unit.Agency]
	agencyLists *app.Memo[unit.AgencyFilter, []unit.Agency]

	calMu      sync.RWMutex
	cal        *calendar.Calendar            // province default hours + loaded schedules
	agencyCals map[string]*calendar.Calendar // by agency, with its office hours
}

// New returns the service with the store's holiday schedules loaded.
func New(ctx context.Context, k *app.Kernel) (*Service, error) {
	s := &Service{Kernel: k, db: k.Store,
		procs:       app.NewMemo[string, catalog.Procedure](15 * time.Second),
		agencies:    app.NewMemo[string, unit.Agency](time.Minute),
		agencyLists: app.NewMemo[unit.AgencyFilter, []unit.Agency](time.Minute)}
	if err := s.reloadCalendar(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Forget drops what the service keeps in memory of the store (the demo
// loader calls it after writing agencies and procedures directly).
func (s *Service) Forget() {
	s.catalogChanged()
	s.agencies.Clear()
	s.agencyLists.Clear()
	s.calMu.Lock()
	s.agencyCals = map[string]*calendar.Calendar{}
	s.calMu.Unlock()
}

// Procedure returns one procedure of the public catalogue (through the memo).
func (s *Service) Procedure(ctx context.Context, code string) (catalog.Procedure, error) {
	return s.procs.Get(code, s.Now(), func() (catalog.Procedure, error) { return s.db.Procedure(ctx, code) })
}

// Agency returns one agency (through the memo).
func (s *Service) Agency(ctx context.Context, id string) (unit.Agency, error) {
	return s.agencies.Get(id, s.Now(), func() (unit.Agency, error) { return s.db.Agency(ctx, id) })
}

// AgencyList lists agencies through the memo.
func (s *Service) AgencyList(ctx context.Context, f unit.AgencyFilter) ([]unit.Agency, error) {
	return s.agencyLists.Get(f, s.Now(), func() ([]unit.Agency, error) { return s.db.Agencies(ctx, f) })
}
