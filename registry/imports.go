package registry

import "time"

// QuarantinedRecord is a record an import refused, kept with the reasons
// so that nothing is silently dropped.
type QuarantinedRecord struct {
	ID      int64             `json:"id"`
	Dataset string            `json:"dataset"`
	Batch   string            `json:"batch"`
	Line    int               `json:"line"`
	Key     string            `json:"key"`
	Data    map[string]string `json:"data"`
	Reasons []string          `json:"reasons"`
	At      time.Time         `json:"at"`
}

// ImportBatch is one run of an import and its counts.
type ImportBatch struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"` // "dataset:<code>", "district-results"
	File        string    `json:"file"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at,omitzero"`
	Total       int       `json:"total"`       // rows read
	Imported    int       `json:"imported"`    // rows stored
	Quarantined int       `json:"quarantined"` // rows refused, with reasons
	WithFile    int       `json:"with_file"`   // rows stored with their scanned file
}
