// Package dashboard holds the leaders' dashboard: the dossiers of the
// actor's reporting scope counted by status, agency, commune and period,
// with the longest overdue.
package dashboard

import (
	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/store"
)

// Service is the dashboard.
type Service struct {
	*app.Kernel
	db   store.DossierReader // the audit of reads goes through Kernel.Store.Update
	prov *province.Service
}

// New returns the service.
func New(k *app.Kernel, prov *province.Service) *Service {
	return &Service{Kernel: k, db: k.Store, prov: prov}
}
