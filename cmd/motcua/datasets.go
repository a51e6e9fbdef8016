package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/registry/remote"
)

// datasetFile is the JSON of --datasets: datasets added to or replacing
// the built-in ones by code; a "remote" block makes one read through the
// HTTP connector, its durations written like "2s" and its token taken
// from the environment variable named by token_env.
type datasetFile []struct {
	registry.Dataset
	Remote *struct {
		URL        string `json:"url"`
		Header     string `json:"header"`
		TokenEnv   string `json:"token_env"`
		Timeout    string `json:"timeout"`
		Retries    int    `json:"retries"`
		CacheTTL   string `json:"cache_ttl"`
		CacheSize  int    `json:"cache_size"`
		BreakAfter int    `json:"break_after"`
		Cooldown   string `json:"cooldown"`
	} `json:"remote"`
}

// loadDatasets returns the built-in datasets with the file's changes and
// a connector per remote dataset. Without a file: the built-in ones, all
// hosted here.
func loadDatasets(path string) ([]registry.Dataset, map[string]sharedata.RecordSource, error) {
	list := registry.Builtin()
	if path == "" {
		return list, nil, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("datasets: %w", err)
	}
	var file datasetFile
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, nil, fmt.Errorf("datasets %s: %w", path, err)
	}
	sources := map[string]sharedata.RecordSource{}
	for _, entry := range file {
		ds := entry.Dataset
		replaced := false
		for i := range list {
			if list[i].Code == ds.Code {
				if len(ds.Fields) == 0 { // only the connection changes
					ds = list[i]
				}
				list[i], replaced = ds, true
			}
		}
		if !replaced {
			list = append(list, ds)
		}
		if entry.Remote == nil {
			continue
		}
		r := &registry.Remote{URL: entry.Remote.URL, Header: entry.Remote.Header, Retries: entry.Remote.Retries,
			CacheSize: entry.Remote.CacheSize, BreakAfter: entry.Remote.BreakAfter}
		if entry.Remote.TokenEnv != "" {
			r.Token = os.Getenv(entry.Remote.TokenEnv)
		}
		for _, d := range []struct {
			s   string
			dst *time.Duration
		}{{entry.Remote.Timeout, &r.Timeout}, {entry.Remote.CacheTTL, &r.CacheTTL}, {entry.Remote.Cooldown, &r.Cooldown}} {
			if d.s == "" {
				continue
			}
			if *d.dst, err = time.ParseDuration(d.s); err != nil {
				return nil, nil, fmt.Errorf("datasets %s: %s: %w", path, ds.Code, err)
			}
		}
		for i := range list {
			if list[i].Code == ds.Code {
				list[i].Remote = r
				c, err := remote.New(list[i], nil)
				if err != nil {
					return nil, nil, fmt.Errorf("datasets %s: %w", path, err)
				}
				sources[ds.Code] = c
			}
		}
	}
	return list, sources, nil
}
