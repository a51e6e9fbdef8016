package dossier

// DataInput asks that a component be replaced by a record of a shared
// dataset: by key, or (Key empty) the record about the applicant.
type DataInput struct {
	Dataset string `json:"dataset"`
	Key     string `json:"key,omitempty"`
}

// ComponentInput names the uploaded file handed in for a component.
type ComponentInput struct {
	Code   string `json:"code"`
	FileID string `json:"file_id,omitempty"`
	// Data replaces the file by a record of a shared dataset (a component
	// marked replaceable); DocumentID reuses a document of the applicant's
	// personal store.
	Data       *DataInput `json:"data,omitempty"`
	DocumentID string     `json:"document_id,omitempty"`
}
