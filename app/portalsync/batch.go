package portalsync

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/store"
)

// item is one claimed dossier on its way through a pass.
type item struct {
	row      store.PortalSync
	d        dossier.Dossier
	rec      dvcqg.Dossier
	all      []dvcqg.Progress // every entry of the dossier
	progress []dvcqg.Progress // the entries not yet acknowledged
	recorded bool             // the portal took the record
	refused  string           // the portal (or the checks) refused it: why
}

// batch is the claimed dossiers of a pass.
type batch struct {
	s     *Syncer
	src   dvcqg.Source
	items []*item
}

// load reads a claimed dossier and builds what it sends; a dossier whose
// record fails the portal's checks is refused here, unsent.
func (b *batch) load(r store.PortalSync, ds map[string]dossier.Dossier) {
	it := &item{row: r}
	b.items = append(b.items, it)
	d, ok := ds[r.Code]
	if !ok {
		it.refused = "Không tìm thấy hồ sơ " + r.Code + " trong kho dữ liệu của tỉnh."
		return
	}
	it.d = d
	it.rec = dvcqg.FromDossier(&d, b.src)
	if p := it.rec.Validate(); len(p) > 0 {
		it.refused = "Hồ sơ chưa đủ điều kiện đồng bộ: " + p[0].Message
		return
	}
	sent := min(max(r.ProgressSent, 0), len(d.History))
	if r.SyncedVersion > d.Version {
		sent = 0 // the dossier was restored from an older backup: send it all
	}
	it.all = dvcqg.ProgressOf(&d, b.src)
	it.progress = it.all[sent:]
	for i, p := range it.progress {
		if pr := p.Validate(); len(pr) > 0 {
			it.refused = fmt.Sprintf("Bước xử lý thứ %d chưa đủ điều kiện đồng bộ: %s", sent+i+1, pr[0].Message)
			return
		}
	}
}

// sendRecords sends the records: adds of dossiers the portal does not
// have, updates of the others, in batches; it returns an error when the
// portal could not be reached.
func (b *batch) sendRecords(ctx context.Context) error {
	var adds, updates []*item
	for _, it := range b.items {
		switch {
		case it.refused != "":
		case it.row.Known:
			updates = append(updates, it)
		default:
			adds = append(adds, it)
		}
	}
	if err := b.records(ctx, adds, false, true); err != nil {
		return err
	}
	return b.records(ctx, updates, true, true)
}

// records sends items as adds or updates. A batch the portal refuses is
// sent again one by one when split is set; an add it says exists is sent
// as an update, an update of a dossier it lacks as an add (once).
func (b *batch) records(ctx context.Context, items []*item, updating, split bool) error {
	for start := 0; start < len(items); start += b.s.cfg.Batch {
		chunk := items[start:min(start+b.s.cfg.Batch, len(items))]
		recs := make([]dvcqg.Dossier, len(chunk))
		for i, it := range chunk {
			recs[i] = it.rec
		}
		send := b.s.portal.AddDossiers
		if updating {
			send = b.s.portal.UpdateDossiers
		}
		a, err := b.s.timed("dossiers", func() (dvcqgclient.Answer, error) { return send(ctx, recs) })
		if err != nil {
			return fmt.Errorf("%w: %w", errDown, err)
		}
		switch {
		case a.Accepted():
			for _, it := range chunk {
				it.recorded, it.row.Known = true, true
			}
			continue
		case !updating && a.Exists():
			// Some were there already (a retry after a lost answer, a
			// re-sync): the batch is sent as updates.
			for _, it := range chunk {
				it.row.Known = true
			}
			if err := b.records(ctx, chunk, true, split); err != nil {
				return err
			}
			continue
		case updating && a.NotFound() && len(chunk) == 1 && split:
			// The portal lost it (restored from a backup): added again,
			// with every step.
			chunk[0].row.Known = false
			chunk[0].progress = chunk[0].all
			if err := b.records(ctx, chunk, false, false); err != nil {
				return err
			}
			continue
		}
		if split && len(chunk) > 1 {
			for _, it := range chunk {
				if err := b.records(ctx, []*item{it}, updating, true); err != nil {
					return err
				}
			}
			continue
		}
		for _, it := range chunk {
			it.refused = refusal(a)
		}
	}
	return nil
}

// sendProgress sends the entries of the dossiers whose record was taken,
// in order, in batches of what the portal takes at once (entries of
// several dossiers share a batch).
func (b *batch) sendProgress(ctx context.Context) error {
	var items []*item
	for _, it := range b.items {
		if it.recorded && it.refused == "" && len(it.progress) > 0 {
			items = append(items, it)
		}
	}
	return b.progress(ctx, items, true)
}

func (b *batch) progress(ctx context.Context, items []*item, split bool) error {
	size := max(b.s.portal.ProgressBatch(), 1)
	var entries []dvcqg.Progress
	var owners []*item
	flush := func() error {
		if len(entries) == 0 {
			return nil
		}
		defer func() { entries, owners = entries[:0], owners[:0] }()
		a, err := b.s.timed("progress", func() (dvcqgclient.Answer, error) { return b.s.portal.AddProgress(ctx, entries) })
		if err != nil {
			return fmt.Errorf("%w: %w", errDown, err)
		}
		if a.Accepted() {
			return nil
		}
		distinct := uniq(owners)
		if split && len(distinct) > 1 {
			// One dossier's entries spoiled the batch: each dossier again
			// alone, the others' entries are taken (the portal drops those
			// it has).
			for _, it := range distinct {
				if err := b.progress(ctx, []*item{it}, false); err != nil {
					return err
				}
			}
			return nil
		}
		for _, it := range distinct {
			it.refused = refusal(a)
			if a.NotFound() {
				it.row.Known = false // added again at the next attempt
			}
		}
		return nil
	}
	for _, it := range items {
		for _, p := range it.progress {
			entries, owners = append(entries, p), append(owners, it)
			if len(entries) == size {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

func uniq(items []*item) []*item {
	var out []*item
	seen := map[*item]bool{}
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out
}

// refusal is the portal's refusal as an official reads it.
func refusal(a dvcqgclient.Answer) string {
	msg := a.Message
	if msg == "" {
		msg = "(không có thông báo)"
	}
	return fmt.Sprintf("Cổng Dịch vụ công quốc gia từ chối (mã %s): %s", a.Code, msg)
}

// settle records each dossier's outcome in one transaction: synced,
// refused (failed, retried after a growing delay), or, when the portal was
// unreachable (down), back in the queue as it was.
func (b *batch) settle(ctx context.Context, down error) (int, error) {
	now := b.s.cfg.Now()
	synced, refused := 0, 0
	var lags []time.Duration
	rows := make([]store.PortalSync, 0, len(b.items))
	for _, it := range b.items {
		r := it.row
		r.UpdatedAt = now
		switch {
		case it.refused != "":
			r.State, r.LastError = store.PortalFailed, it.refused
			r.Attempts++
			r.NextAt = now.Add(backoff(r.Attempts))
			refused++
		case it.recorded && (down == nil || len(it.progress) == 0):
			r.State, r.LastError, r.Attempts = store.PortalSynced, "", 0
			r.SyncedVersion, r.ProgressSent, r.SyncedAt = it.d.Version, len(it.d.History), now
			r.NextAt = now
			lags = append(lags, now.Sub(r.QueuedAt))
			synced++
		default:
			r.State, r.NextAt = store.PortalPending, now
			r.LastError = message(down)
			if it.recorded {
				// The record was taken, its entries not: the portal
				// keeps the record; the entries go again.
				r.Known = true
			}
		}
		rows = append(rows, r)
	}
	err := b.s.db.Update(context.WithoutCancel(ctx), func(tx store.Tx) error { return tx.PutPortalSyncs(ctx, rows) })
	if err != nil {
		return 0, fmt.Errorf("settle portal sync: %w", err)
	}
	b.s.m.observe(synced, refused, lags)
	if refused > 0 {
		b.s.cfg.Log.Warn("national portal refused dossiers", "refused", refused, "first", firstRefusal(b.items))
	}
	return synced + refused, down
}

func firstRefusal(items []*item) string {
	for _, it := range items {
		if it.refused != "" {
			return it.row.Code + ": " + it.refused
		}
	}
	return ""
}

// backoff is the wait before a refused dossier's attempt n+1: 1 s
// doubling, at most 10 min.
func backoff(attempts int) time.Duration {
	d := minDelay
	for i := 1; i < attempts && d < maxRefusedDelay; i++ {
		d *= 2
	}
	return min(d, maxRefusedDelay)
}

// timed calls the portal and counts the call.
func (s *Syncer) timed(kind string, call func() (dvcqgclient.Answer, error)) (dvcqgclient.Answer, error) {
	start := time.Now()
	a, err := call()
	s.m.call(kind, time.Since(start), err)
	return a, err
}
