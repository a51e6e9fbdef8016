package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/app/portalsync"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// PortalSyncCounts are the rows of the sync by state.
type PortalSyncCounts struct {
	Pending int `json:"pending" doc:"Changes waiting to be sent"`
	Synced  int `json:"synced" doc:"Dossiers whose latest version the portal acknowledged"`
	Failed  int `json:"failed" doc:"Dossiers the portal (or the checks before sending) refused; retried at next_at"`
}

// PortalSyncRow is a dossier's sync state in the list.
type PortalSyncRow struct {
	Code          string     `json:"code"`
	State         string     `json:"state" enum:"pending,synced,failed"`
	StateName     string     `json:"state_name" doc:"The state in Vietnamese"`
	Version       int        `json:"version" doc:"The dossier's latest version queued"`
	SyncedVersion int        `json:"synced_version" doc:"The latest version the portal acknowledged (0: none)"`
	Attempts      int        `json:"attempts" doc:"Failed attempts since the last success"`
	LastError     string     `json:"last_error,omitempty" doc:"Why the last attempt failed, in Vietnamese"`
	QueuedAt      time.Time  `json:"queued_at" doc:"When the oldest change not yet acknowledged was queued"`
	NextAt        *time.Time `json:"next_at" doc:"When the row is next due; null once synced"`
	SyncedAt      *time.Time `json:"synced_at" doc:"The last acknowledgement; null: never"`
}

// PortalSyncOut is the sync's state with a page of its rows.
type PortalSyncOut struct {
	Configured    bool             `json:"configured" doc:"A national portal is configured (serve --national-url); otherwise changes wait in the queue"`
	Counts        PortalSyncCounts `json:"counts"`
	Rows          int              `json:"rows" doc:"Dossiers in the sync (every state)"`
	SyncedPercent float64          `json:"synced_percent" doc:"Share of the rows synced, in percent"`
	OldestQueued  *time.Time       `json:"oldest_queued" doc:"The oldest change not yet acknowledged; null: none waits"`
	Items         []PortalSyncRow  `json:"items" doc:"The rows of the page: failed first, then pending, then synced, oldest first"`
	Total         int              `json:"total" doc:"Rows matching the filter (all pages)"`
}

// ResyncIn names what to send again; {} is every row that failed.
type ResyncIn struct {
	Codes []string `json:"codes,omitempty" maxItems:"1000" doc:"Dossier codes to send again"`
	All   bool     `json:"all,omitempty" doc:"Send every dossier again"`
}

// ResyncOut is how many rows were queued.
type ResyncOut struct {
	Queued int `json:"queued"`
}

// NationalSyncOut is a dossier's sync with the national portal as its
// officials read it.
type NationalSyncOut struct {
	State     string     `json:"state" enum:"pending,synced,failed"`
	SyncedAt  *time.Time `json:"synced_at" doc:"The portal's last acknowledgement; null: never"`
	LastError string     `json:"last_error,omitempty" doc:"Why the last attempt failed, in Vietnamese"`
	Attempts  int        `json:"attempts"`
	NextAt    *time.Time `json:"next_at" doc:"When it is next sent; null once synced"`
}

// NewNationalSyncOut is a row as a dossier shows it.
func NewNationalSyncOut(r store.PortalSync) *NationalSyncOut {
	out := &NationalSyncOut{State: r.State, SyncedAt: VNTime(&r.SyncedAt), LastError: r.LastError, Attempts: r.Attempts}
	if r.State != store.PortalSynced {
		out.NextAt = VNTime(&r.NextAt)
	}
	return out
}

// nationalSyncOf is the sync state of d for the actor, nil when none or
// not the actor's to see.
func (s *Server) nationalSyncOf(ctx context.Context, ac identity.Actor, d *dossier.Dossier) (*NationalSyncOut, error) {
	r, ok, err := s.app.PortalSync.DossierState(ctx, ac, d)
	if err != nil || !ok {
		return nil, err
	}
	return NewNationalSyncOut(r), nil
}

func portalSyncRow(r store.PortalSync) PortalSyncRow {
	out := PortalSyncRow{Code: r.Code, State: r.State, StateName: portalsync.StateName(r.State), Version: r.Version, SyncedVersion: r.SyncedVersion,
		Attempts: r.Attempts, LastError: r.LastError, SyncedAt: VNTime(&r.SyncedAt)}
	if q := VNTime(&r.QueuedAt); q != nil {
		out.QueuedAt = *q
	}
	if r.State != store.PortalSynced {
		out.NextAt = VNTime(&r.NextAt)
	}
	return out
}

func (s *Server) portalSyncRoutes() {
	tag := []string{"Cổng Dịch vụ công quốc gia"}
	register(s, huma.Operation{OperationID: "get-national-sync", Method: http.MethodGet, Path: "/api/v1/national/sync",
		Summary: "Tình trạng đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia", Tags: tag,
		Description: "The rows of the sync by state, the share synced, the oldest change waiting, and a page of the rows (failed first) with the portal's " +
			"message of each failure in Vietnamese. The read is audited (portal_sync.list)."}, needs(identity.PermNationalSync),
		func(ctx context.Context, in *struct {
			State  string `query:"state" enum:"pending,synced,failed," doc:"Only the rows in this state"`
			Limit  int    `query:"limit" minimum:"0" maximum:"200" default:"50"`
			Offset int    `query:"offset" minimum:"0"`
		}) (*bodyOut[PortalSyncOut], error) {
			ac := actorOf(ctx)
			sum, err := s.app.PortalSync.Status(ctx, ac)
			if err != nil {
				return nil, err
			}
			rows, total, err := s.app.PortalSync.List(ctx, ac, store.PortalSyncFilter{State: in.State, Limit: in.Limit, Offset: in.Offset})
			if err != nil {
				return nil, err
			}
			out := PortalSyncOut{Configured: sum.Configured, Rows: sum.Total, SyncedPercent: sum.SyncedShare(), OldestQueued: VNTime(&sum.OldestQueued),
				Counts: PortalSyncCounts{Pending: sum.ByState[store.PortalPending], Synced: sum.ByState[store.PortalSynced], Failed: sum.ByState[store.PortalFailed]},
				Items:  make([]PortalSyncRow, len(rows)), Total: total}
			for i, r := range rows {
				out.Items[i] = portalSyncRow(r)
			}
			return body(out), nil
		})
	register(s, huma.Operation{OperationID: "resync-national", Method: http.MethodPost, Path: "/api/v1/national/sync/resync",
		Summary: "Đồng bộ lại hồ sơ lên Cổng Dịch vụ công quốc gia", Tags: tag,
		Description: `Queues dossiers to be sent again at once, their attempts reset: {"codes":[…]} those dossiers, {"all":true} every dossier, ` +
			`{} every row that failed. Audited (portal_sync.resync). 404 when codes name no dossier.`,
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}}, needs(identity.PermNationalSync),
		func(ctx context.Context, in *struct{ Body ResyncIn }) (*bodyOut[ResyncOut], error) {
			n, err := s.app.PortalSync.Resync(ctx, actorOf(ctx), in.Body.Codes, in.Body.All)
			if err != nil {
				return nil, err
			}
			return body(ResyncOut{Queued: n}), nil
		})
	register(s, huma.Operation{OperationID: "get-national-mapping", Method: http.MethodGet, Path: "/api/v1/national/mapping",
		Summary: "Bảng ánh xạ mã của tỉnh sang mã của Cổng Dịch vụ công quốc gia", Tags: tag,
		Description: "Procedures, fields, statuses and shared databases; an absent entry maps a code to itself. provisional names the entries no " +
			"official text confirms yet."}, needs(identity.PermNationalSync),
		func(ctx context.Context, _ *struct{}) (*bodyOut[dvcqg.Mapping], error) {
			m, err := s.app.PortalSync.Mapping(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return body(m), nil
		})
	register(s, huma.Operation{OperationID: "put-national-mapping", Method: http.MethodPut, Path: "/api/v1/national/mapping",
		Summary: "Cập nhật bảng ánh xạ mã với Cổng Dịch vụ công quốc gia", Tags: tag, MaxBodyBytes: 1 << 20,
		Description: "Replaces the whole mapping, checked first: 422 with the problems by field, in Vietnamese (codes of letters, digits, dots and " +
			"dashes; statuses 1–10 to the portal's 0–10, no two sharing one; provisional entries that exist). Audited (portal_sync.mapping_set); " +
			"the records sent afterwards use it.",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity}}, needs(identity.PermNationalSync),
		func(ctx context.Context, in *struct{ Body dvcqg.Mapping }) (*bodyOut[dvcqg.Mapping], error) {
			ac := actorOf(ctx)
			if err := s.app.PortalSync.SetMapping(ctx, ac, in.Body); err != nil {
				return nil, err
			}
			m, err := s.app.PortalSync.Mapping(ctx, ac)
			if err != nil {
				return nil, err
			}
			return body(m), nil
		})
}
