package portalsync

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// Admin is the sync as the administrators of the national sync oversee it
// (identity.PermNationalSync): how far it has come, what failed and why,
// resyncs, and the mapping of the province's codes to the portal's. Every
// change runs in one transaction with its audit entry.
type Admin struct {
	*app.Kernel
	prov *province.Service
	// Configured: a national portal was configured (serve --national-url),
	// so workers send the queue; otherwise changes wait in it.
	Configured bool
	// Notify, when set, is called after a resync commits (the Syncer's
	// Notify: an idle worker wakes at once).
	Notify func()
}

// NewAdmin returns the administration of the sync; configured says whether
// workers send the queue (a national portal was configured).
func NewAdmin(k *app.Kernel, prov *province.Service, configured bool) *Admin {
	return &Admin{Kernel: k, prov: prov, Configured: configured}
}

// Summary is the sync's state at a glance.
type Summary struct {
	ByState map[string]int // rows by state (store.PortalPending, …), every state present
	Total   int
	// OldestQueued is when the oldest change not yet acknowledged was
	// queued (zero: none waits).
	OldestQueued time.Time
	Configured   bool // workers send the queue (see Admin.Configured)
}

// SyncedShare is the share of the rows synced, in percent (0 without rows).
func (s Summary) SyncedShare() float64 {
	if s.Total == 0 {
		return 0
	}
	return 100 * float64(s.ByState[store.PortalSynced]) / float64(s.Total)
}

// States are the sync states in the order they are shown.
var States = []string{store.PortalFailed, store.PortalPending, store.PortalSynced}

// StateName is a sync state in Vietnamese.
func StateName(state string) string {
	switch state {
	case store.PortalPending:
		return "Chờ đồng bộ"
	case store.PortalSynced:
		return "Đã đồng bộ"
	case store.PortalFailed:
		return "Lỗi"
	}
	return state
}

// MaxList bounds a page of the list; MaxCodes the codes of one resync.
const (
	MaxList  = 200
	MaxCodes = 1000
)

// Status sums the sync state (PermNationalSync).
func (a *Admin) Status(ctx context.Context, ac identity.Actor) (Summary, error) {
	if err := ac.Require(identity.PermNationalSync, ""); err != nil {
		return Summary{}, err
	}
	return a.summary(ctx)
}

func (a *Admin) summary(ctx context.Context) (Summary, error) {
	c, err := a.Store.PortalSyncCounts(ctx)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{ByState: map[string]int{}, OldestQueued: c.OldestQueued, Configured: a.Configured}
	for _, st := range States {
		s.ByState[st] = c.ByState[st]
		s.Total += c.ByState[st]
	}
	return s, nil
}

// List lists rows of the sync state, the failed and oldest first, with
// their total (PermNationalSync); a limit of 0 is 50, at most MaxList. The
// read is audited: the rows name dossiers and the portal's messages about
// them.
func (a *Admin) List(ctx context.Context, ac identity.Actor, f store.PortalSyncFilter) ([]store.PortalSync, int, error) {
	if err := ac.Require(identity.PermNationalSync, ""); err != nil {
		return nil, 0, err
	}
	switch f.State {
	case "", store.PortalPending, store.PortalSynced, store.PortalFailed:
	default:
		return nil, 0, errs.InvalidFields("portal_sync.state", "Trạng thái đồng bộ không hợp lệ.", "invalid sync state",
			[]errs.FieldError{{Field: "state", Key: "invalid", Message: fmt.Sprintf("Trạng thái %q không có (pending, synced, failed).", f.State)}})
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit, f.Offset = min(f.Limit, MaxList), max(f.Offset, 0)
	rows, total, err := a.Store.PortalSyncs(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if err := a.RecordRead(ctx, ac, "portal_sync.list", "portal_sync", map[string]any{"state": f.State, "offset": f.Offset, "listed": len(rows)}); err != nil {
		return nil, 0, err
	}
	return rows, total, nil
}

// Resync queues dossiers to be sent again (PermNationalSync): the dossiers
// codes, or every dossier (all), or, with neither, every row that failed.
// It returns how many rows were queued; codes naming no dossier are
// NotFound when none was queued.
func (a *Admin) Resync(ctx context.Context, ac identity.Actor, codes []string, all bool) (int, error) {
	if err := ac.Require(identity.PermNationalSync, ""); err != nil {
		return 0, err
	}
	codes = cleanCodes(codes)
	if len(codes) > MaxCodes {
		return 0, errs.New(errs.Invalid, "portal_sync.too_many", fmt.Sprintf("Tối đa %d mã hồ sơ mỗi lần.", MaxCodes), "too many codes")
	}
	if all && len(codes) > 0 {
		return 0, errs.New(errs.Invalid, "portal_sync.codes_and_all", "Chọn một trong hai: các mã hồ sơ hoặc tất cả hồ sơ.", "codes and all are exclusive")
	}
	var n int
	err := a.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if n, err = tx.ResyncPortal(ctx, codes, all, a.Now()); err != nil {
			return err
		}
		if n == 0 && len(codes) > 0 {
			return errs.New(errs.NotFound, "portal_sync.no_dossier", "Không có hồ sơ nào mang mã đã nhập.", "no dossier of these codes")
		}
		what := "failed"
		switch {
		case all:
			what = "all"
		case len(codes) > 0:
			what = "codes"
		}
		if n > 0 && a.Notify != nil {
			tx.AfterCommit(a.Notify)
		}
		return a.Record(ctx, tx, ac, "portal_sync.resync", "portal_sync", map[string]any{"which": what, "codes": codes, "queued": n})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// cleanCodes trims the codes and drops the empty and repeated ones.
func cleanCodes(codes []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		if c = strings.TrimSpace(c); c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// Mapping is the province's mapping of its codes to the portal's
// (PermNationalSync).
func (a *Admin) Mapping(ctx context.Context, ac identity.Actor) (dvcqg.Mapping, error) {
	if err := ac.Require(identity.PermNationalSync, ""); err != nil {
		return dvcqg.Mapping{}, err
	}
	return a.prov.NationalMapping(ctx)
}

// SetMapping checks and stores the mapping (PermNationalSync): the
// problems by field (errs.Invalid) when it is not valid; the records sent
// afterwards use it.
func (a *Admin) SetMapping(ctx context.Context, ac identity.Actor, m dvcqg.Mapping) error {
	if err := ac.Require(identity.PermNationalSync, ""); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode the mapping: %w", err)
	}
	return a.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.SetMeta(ctx, province.NationalMappingKey, string(b)); err != nil {
			return err
		}
		return a.Record(ctx, tx, ac, "portal_sync.mapping_set", "setting:"+province.NationalMappingKey, map[string]any{
			"procedures": len(m.Procedures), "fields": len(m.Fields), "statuses": len(m.Statuses), "databases": len(m.Databases),
			"provisional": len(m.Provisional)})
	})
}

// DossierState is a dossier's sync state as the officials who may read d
// see it; false when the dossier was never queued or when ac is not such
// an official (applicants are not shown it). d was read through the
// dossiers' use case, which audited the read.
func (a *Admin) DossierState(ctx context.Context, ac identity.Actor, d *dossier.Dossier) (store.PortalSync, bool, error) {
	if ac.Account == nil || ac.Account.Kind != identity.KindOfficial || ac.Account.Disabled || !dossier.VisibleTo(d, ac) {
		return store.PortalSync{}, false, nil
	}
	s, err := a.Store.PortalSync(ctx, d.Code)
	if errs.KindOf(err) == errs.NotFound {
		return store.PortalSync{}, false, nil
	}
	if err != nil {
		return store.PortalSync{}, false, err
	}
	return s, true, nil
}
