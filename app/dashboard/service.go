// Package dashboard holds the leaders' dashboard: the dossiers of the
// actor's reporting scope counted by status, agency, commune and period,
// with the longest overdue.
package dashboard

import (
	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/province"
)

// Service is the dashboard.
type Service struct {
	*app.Kernel
	prov *province.Service
}

// New returns the service.
func New(k *app.Kernel, prov *province.Service) *Service { return &Service{Kernel: k, prov: prov} }
