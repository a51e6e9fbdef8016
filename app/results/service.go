// Package results holds the use cases of electronic results: the signed
// result document of a finished dossier, its public verification, the
// write-back of results into the shared datasets and the holder's personal
// document store, and the digitized results of the former districts.
package results

import (
	"strings"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/store"
)

// Config is what results need besides the other services.
type Config struct {
	// Files stores results and documents (nil: results cannot be stored).
	Files *blob.Store
	// PKI signs the electronic results (nil: no result is generated when a
	// dossier is done).
	PKI *pki.Authority
	// Personal signs the results of agencies configured to sign with the
	// signer's personal certificate (nil: PKI, which issues the officials'
	// certificates and holds their keys).
	Personal PersonalSigner
	// PublicURL is the address citizens reach the platform at; a result's QR
	// code points to PublicURL/xac-thuc/{id} (default pki.DefaultPublicURL).
	PublicURL string
}

// reader is what the service reads of the store outside its transactions
// (which get the whole store.Tx through Kernel.Store.Update).
type reader interface {
	store.DossierReader
	store.RegistryReader
	store.OutboxReader
	store.CatalogReader
	store.AccountReader
}

// Service is the electronic results.
type Service struct {
	*app.Kernel
	db        reader
	prov      *province.Service
	data      *sharedata.Service
	files     *blob.Store
	pki       *pki.Authority
	personal  PersonalSigner
	publicURL string
}

// New returns the service.
func New(k *app.Kernel, prov *province.Service, data *sharedata.Service, cfg Config) *Service {
	s := &Service{Kernel: k, db: k.Store, prov: prov, data: data, files: cfg.Files, pki: cfg.PKI, publicURL: strings.TrimRight(cfg.PublicURL, "/")}
	if s.publicURL == "" {
		s.publicURL = pki.DefaultPublicURL
	}
	if s.personal = cfg.Personal; s.personal == nil && cfg.PKI != nil {
		s.personal = cfg.PKI
	}
	return s
}
