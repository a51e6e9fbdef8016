// Package sharedata holds the use cases of the shared datasets: audited
// look-ups by purpose, prefill of forms, components replaced by data, the
// quality rules, imports with quarantine and the console's figures. A
// dataset is hosted here or read from elsewhere through a RecordSource.
package sharedata

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

// RecordSource reads a dataset hosted elsewhere (registry/remote).
type RecordSource interface {
	Get(ctx context.Context, key string, a registry.Access) (registry.Record, error)
}

// Service is the shared datasets.
type Service struct {
	*app.Kernel
	db       store.RegistryReader // writes go through Kernel.Store.Update
	prov     *province.Service
	datasets []registry.Dataset
	sources  map[string]RecordSource
}

// New returns the service over the datasets (default registry.Builtin());
// a dataset with Remote set is read through sources[its code].
func New(k *app.Kernel, prov *province.Service, datasets []registry.Dataset, sources map[string]RecordSource) (*Service, error) {
	if len(datasets) == 0 {
		datasets = registry.Builtin()
	}
	for i := range datasets {
		if err := datasets[i].Validate(); err != nil {
			return nil, fmt.Errorf("configure datasets: %w", err)
		}
		if datasets[i].Remote != nil && sources[datasets[i].Code] == nil {
			return nil, fmt.Errorf("configure datasets: remote dataset %s has no connector", datasets[i].Code)
		}
	}
	return &Service{Kernel: k, db: k.Store, prov: prov, datasets: datasets, sources: sources}, nil
}
