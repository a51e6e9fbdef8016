package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/app/portalsync"
	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/store"
)

// startPortalSync runs the workers that push the dossiers to the national
// portal when --national-url is set (nil otherwise: the changes wait in
// the queue). stop ends them after their pass; call it before the store
// is closed.
func startPortalSync(ctx context.Context, a *platform.Services, db store.Store, pf *portalFlags, publicURL string, log *slog.Logger) (*portalsync.Syncer, func()) {
	if pf.client == nil {
		log.Warn("dossiers not pushed to the national portal (no --national-url): their changes wait in the queue")
		return nil, func() {}
	}
	names := agencyNames{db: db, m: map[string]string{}}
	base := strings.TrimRight(publicURL, "/")
	s := portalsync.New(db, pf.client, portalsync.Config{
		Workers: pf.workers,
		Source: func(ctx context.Context) (dvcqg.Source, error) {
			m, err := a.Province.NationalMapping(ctx)
			if err != nil {
				return dvcqg.Source{}, err
			}
			src := dvcqg.Source{Mapping: m, AgencyName: func(id string) string { return names.name(ctx, id) }}
			if base != "" {
				// The result's page on the public host: its verification,
				// from which the signed PDF is downloaded.
				src.ResultURL = func(d *dossier.Dossier) string { return base + results.VerifyPath + d.Result.ID }
			}
			return src, nil
		},
		Log: log.With("component", "portalsync"),
	})
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(rctx)
	}()
	log.Info("dossiers pushed to the national portal", "url", redact(pf.url), "style", string(pf.client.Style()), "workers", pf.workers)
	return s, func() {
		cancel()
		<-done
	}
}

// agencyNames names agencies by their electronic ID, read once each.
type agencyNames struct {
	db store.Store
	mu sync.Mutex
	m  map[string]string
}

func (n *agencyNames) name(ctx context.Context, id string) string {
	n.mu.Lock()
	v, ok := n.m[id]
	n.mu.Unlock()
	if ok {
		return v
	}
	ag, err := n.db.Agency(ctx, id)
	if err != nil {
		return "" // unknown: the record leaves it out, read again next time
	}
	n.mu.Lock()
	n.m[id] = ag.Name
	n.mu.Unlock()
	return ag.Name
}
