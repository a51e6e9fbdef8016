package portalsync_test

import (
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/dashboard"
	"github.com/motcua/motcua/app/portalsync"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// settle records an outcome for a dossier's row as a worker would: synced
// (its latest version taken) or failed with msg.
func settle(t *testing.T, e *apptest.Env, code, state, msg string) {
	t.Helper()
	err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
		r, err := tx.PortalSync(e.Ctx, code)
		if err != nil {
			return err
		}
		r.State, r.LastError, r.UpdatedAt, r.NextAt = state, msg, e.Now(), e.Now().Add(time.Minute)
		if state == store.PortalSynced {
			r.SyncedVersion, r.SyncedAt, r.Known = r.Version, e.Now(), true
		} else {
			r.Attempts++
		}
		return tx.PutPortalSync(e.Ctx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAdmin: the administrator reads the sync's state and list, resyncs
// what failed (audited), sets a valid mapping (audited) and is refused an
// invalid one; officials and citizens may do none of it; a dossier's
// state is shown to the officials who may read it only.
func TestAdmin(t *testing.T) {
	e := apptest.New(t)
	a := e.App.PortalSync
	d1 := e.Submit(t, apptest.Citizen, "1.001193")
	d2 := e.Submit(t, apptest.Citizen, "1.001193")
	settle(t, e, d1.Code, store.PortalFailed, "Cổng DVCQG từ chối: thiếu MaTTHC")
	settle(t, e, d2.Code, store.PortalSynced, "")
	admin := e.Actor(apptest.Admin)

	for _, tt := range []struct {
		name string
		user string
		want errs.Kind
	}{
		{"administrator", apptest.Admin, apptest.OK},
		{"leader", apptest.Leader, errs.Forbidden},
		{"receiver", apptest.Receiver, errs.Forbidden},
		{"citizen", apptest.Citizen, errs.Forbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ac := e.Actor(tt.user)
			_, err := a.Status(e.Ctx, ac)
			apptest.WantKind(t, err, tt.want)
			_, _, err = a.List(e.Ctx, ac, store.PortalSyncFilter{})
			apptest.WantKind(t, err, tt.want)
			_, err = a.Mapping(e.Ctx, ac)
			apptest.WantKind(t, err, tt.want)
			if tt.want != apptest.OK {
				_, err = a.Resync(e.Ctx, ac, nil, false)
				apptest.WantKind(t, err, tt.want)
				apptest.WantKind(t, a.SetMapping(e.Ctx, ac, dvcqg.Mapping{}), tt.want)
			}
		})
	}
	apptest.WantKind(t, func() error { _, err := e.App.PortalSync.Status(e.Ctx, apptest.Anonymous()); return err }(), errs.Unauthorized)

	sum, err := a.Status(e.Ctx, admin)
	if err != nil || sum.ByState[store.PortalFailed] != 1 || sum.ByState[store.PortalSynced] < 1 || sum.Configured || sum.OldestQueued.IsZero() && sum.ByState[store.PortalPending] > 0 {
		t.Fatalf("status %+v %v", sum, err)
	}
	for _, st := range portalsync.States {
		if _, ok := sum.ByState[st]; !ok {
			t.Errorf("no count of %s", st)
		}
	}
	if d, err := e.App.Dashboard.Dashboard(e.Ctx, e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{}); err != nil ||
		d.PortalRows != sum.Total || d.PortalSynced != sum.ByState[store.PortalSynced] {
		t.Errorf("dashboard's sync %d of %d, status %+v (%v)", d.PortalSynced, d.PortalRows, sum, err)
	}
	rows, total, err := a.List(e.Ctx, admin, store.PortalSyncFilter{Limit: 500})
	if err != nil || total != sum.Total || len(rows) == 0 || rows[0].Code != d1.Code || rows[0].LastError == "" {
		t.Fatalf("list %d of %d, first %+v, %v", len(rows), total, rows, err)
	}
	if _, _, err := a.List(e.Ctx, admin, store.PortalSyncFilter{State: "lost"}); !slices.Equal(apptest.Fields(err), []string{"state"}) {
		t.Errorf("unknown state: %v", err)
	}

	// Resync: the failed rows by default, a code, a code of no dossier.
	for _, tt := range []struct {
		name  string
		codes []string
		all   bool
		n     int
		want  errs.Kind
	}{
		{"the failed rows", nil, false, 1, apptest.OK},
		{"one code, twice", []string{d2.Code, " " + d2.Code}, false, 1, apptest.OK},
		{"no such dossier", []string{"KHONG-CO"}, false, 0, errs.NotFound},
		{"codes and all", []string{d2.Code}, true, 0, errs.Invalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n, err := a.Resync(e.Ctx, admin, tt.codes, tt.all)
			apptest.WantKind(t, err, tt.want)
			if n != tt.n {
				t.Errorf("queued %d, want %d", n, tt.n)
			}
		})
	}
	if r, err := e.Store.PortalSync(e.Ctx, d1.Code); err != nil || r.State != store.PortalPending || r.Attempts != 0 {
		t.Errorf("after resync %+v %v", r, err)
	}
	if es := e.Audit(t, "portal_sync.resync", "portal_sync"); len(es) != 2 {
		t.Errorf("%d resyncs audited, want 2", len(es))
	}

	// The mapping.
	bad := dvcqg.Mapping{Statuses: map[int]int{11: 2}, Provisional: []string{"procedures.X"}}
	if err := a.SetMapping(e.Ctx, admin, bad); errs.KindOf(err) != errs.Invalid || len(apptest.Fields(err)) != 2 {
		t.Fatalf("invalid mapping: %v %v", err, apptest.Fields(err))
	}
	good := dvcqg.Mapping{Procedures: map[string]string{"DEMO-001": "1.000001"}, Databases: map[string]string{"CSDLQGDC": "1"}, Provisional: []string{"databases.CSDLQGDC"}}
	if err := a.SetMapping(e.Ctx, admin, good); err != nil {
		t.Fatal(err)
	}
	if m, err := a.Mapping(e.Ctx, admin); err != nil || m.Procedure("DEMO-001") != "1.000001" || !m.IsProvisional("databases.CSDLQGDC") {
		t.Errorf("stored %+v %v", m, err)
	}
	if es := e.Audit(t, "portal_sync.mapping_set", "setting:"+province.NationalMappingKey); len(es) != 1 {
		t.Errorf("%d mapping changes audited, want 1", len(es))
	}

	// A dossier's state: its officials, not its applicant nor others.
	for _, tt := range []struct {
		user string
		want bool
	}{{apptest.CommuneDesk, true}, {apptest.Citizen, false}, {apptest.Police, false}, {apptest.Citizen2, false}} {
		_, ok, err := a.DossierState(e.Ctx, e.Actor(tt.user), &d2)
		if err != nil || ok != tt.want {
			t.Errorf("%s sees the state: %v, want %v (%v)", tt.user, ok, tt.want, err)
		}
	}
}
