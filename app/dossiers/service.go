// Package dossiers holds the use cases of dossiers: uploads and
// submission from anywhere in the province, the workflow's actions on the
// legal calendar, counter intake, supplements, ratings, the lists (own
// dossiers, inbox, reporting scope) and the printed forms of Circular
// 03/2025. The rules themselves are the dossier domain's.
package dossiers

import (
	"context"
	"sync"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/store"
)

// Config is what dossiers need besides the other services.
type Config struct {
	// Files stores uploads (nil: uploads are refused as unavailable).
	Files *blob.Store
	// Payments collects fees (default: payment.Transfer).
	Payments payment.Provider
	// PaymentSecret is the HMAC key the payment provider signs its
	// callbacks with (empty: every callback is refused).
	PaymentSecret []byte
	// CallbackRefusals holds off a source of badly signed callbacks (nil:
	// the defaults of payment.Refusals).
	CallbackRefusals *payment.Refusals
	// UploadsPerHour is the most uploads an account makes in an hour
	// (default DefaultUploadsPerHour).
	UploadsPerHour int
	// UnattachedBytes is the most bytes of an account's uploads no
	// dossier references yet (default DefaultUnattachedBytes).
	UnattachedBytes int64
	// NationalFiles fetches the papers of the dossiers the national
	// portal hands over (nil: such a dossier with papers is refused as
	// unavailable).
	NationalFiles FileSource
	// Notices queues what each change tells the applicant, in the
	// change's transaction (app/notifications; nil: nothing is told).
	Notices Notices
}

// Notices queues the notifications of a dossier's last change in its
// transaction (notifications.Service is one).
type Notices interface {
	Queue(ctx context.Context, tx store.Tx, d *dossier.Dossier) error
}

// Default upload limits per account, counted in the store (so that all
// nodes agree).
const (
	DefaultUploadsPerHour  = 200
	DefaultUnattachedBytes = 200 << 20
)

// reader is what the service reads of the store outside its transactions
// (which get the whole store.Tx through Kernel.Store.Update).
type reader interface {
	store.DossierReader
	store.AccountReader
}

// Service is the dossiers' use cases.
type Service struct {
	*app.Kernel
	db        reader
	prov      *province.Service
	data      *sharedata.Service
	results   *results.Service
	files     *blob.Store
	payments  payment.Provider
	paySecret []byte
	refusals  *payment.Refusals // badly signed callbacks, per source
	national  FileSource
	notices   Notices
	perHour   int
	maxBytes  int64

	formMu sync.Mutex
	forms  map[string]compiledForm // by procedure code
}

// New returns the service.
func New(k *app.Kernel, prov *province.Service, data *sharedata.Service, res *results.Service, cfg Config) *Service {
	s := &Service{Kernel: k, db: k.Store, prov: prov, data: data, results: res, files: cfg.Files, payments: cfg.Payments, paySecret: cfg.PaymentSecret, refusals: cfg.CallbackRefusals, national: cfg.NationalFiles, notices: cfg.Notices, forms: map[string]compiledForm{}}
	if s.payments == nil {
		s.payments = payment.Transfer{}
	}
	if s.refusals == nil {
		s.refusals = &payment.Refusals{}
	}
	s.perHour, s.maxBytes = cfg.UploadsPerHour, cfg.UnattachedBytes
	if s.perHour <= 0 {
		s.perHour = DefaultUploadsPerHour
	}
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultUnattachedBytes
	}
	return s
}
