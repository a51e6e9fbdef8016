package province

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/store"
)

// NationalMappingKey is the setting that holds the province's mapping of
// its codes to the national portal's (dvcqg.Mapping as JSON), which the
// administrators of the national sync keep.
const NationalMappingKey = "dvcqg.mapping"

// NationalMapping is the province's mapping of its codes to the national
// portal's; when none is set every code maps to itself.
func (s *Service) NationalMapping(ctx context.Context) (dvcqg.Mapping, error) {
	return ReadNationalMapping(ctx, s.db)
}

// ReadNationalMapping reads the mapping from r (a transaction, the store).
func ReadNationalMapping(ctx context.Context, r store.CatalogReader) (dvcqg.Mapping, error) {
	var m dvcqg.Mapping
	v, err := r.Meta(ctx, NationalMappingKey)
	if err != nil || v == "" {
		return m, err
	}
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return m, fmt.Errorf("read setting %s: %w", NationalMappingKey, err)
	}
	return m, nil
}
