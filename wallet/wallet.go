// Package wallet is the personal document store ("kho quản lý dữ liệu điện
// tử của tổ chức, cá nhân"): every result a citizen was issued and every
// paper of theirs that was digitized, reusable in a new dossier in one
// click and shareable through a verification link.
package wallet

import (
	"strings"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// Kind is where a document came from.
type Kind string

// The kinds of document.
const (
	KindResult    Kind = "result"    // an electronic result issued by the platform
	KindDigitized Kind = "digitized" // a paper result digitized (e.g. the district level's)
	KindUpload    Kind = "upload"    // a paper the citizen handed in, kept for reuse
)

// KindName is a kind's Vietnamese name.
func KindName(k Kind) string {
	switch k {
	case KindResult:
		return "Kết quả điện tử"
	case KindDigitized:
		return "Kết quả số hóa"
	case KindUpload:
		return "Giấy tờ đã nộp"
	}
	return string(k)
}

// Document is one document of a person's store. ID is unguessable: it is
// the address of the document's page and of its share link.
type Document struct {
	ID     string `json:"id"`
	Owner  string `json:"owner"` // the holder's citizen ID
	Kind   Kind   `json:"kind"`
	Title  string `json:"title"`            // e.g. "Giấy khai sinh"
	Number string `json:"number,omitempty"` // số, ký hiệu
	Issuer string `json:"issuer"`           // issuing agency's name
	// IssuedOn is the date of issue (Vietnam), YYYY-MM-DD.
	IssuedOn      string `json:"issued_on"`
	ProcedureCode string `json:"procedure_code,omitempty"`
	DossierCode   string `json:"dossier_code,omitempty"`
	ResultID      string `json:"result_id,omitempty"` // a signed result's verification ID
	// FileID is the content-addressed file (SHA-256), "" for a record
	// without a scan.
	FileID      string `json:"file_id,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size,omitempty"`
	// CommuneCode is the commune (since 1/7/2025) the document belongs to;
	// OldUnit the pre-2025 unit code it was issued under, if any.
	CommuneCode string    `json:"commune_code,omitempty"`
	OldUnit     string    `json:"old_unit,omitempty"`
	Source      string    `json:"source"` // "platform", "import:<file>"
	Shared      bool      `json:"shared"` // the share link works
	CreatedAt   time.Time `json:"created_at"`
}

// Validate checks a document before it is stored.
func (d *Document) Validate() error {
	var fe []errs.FieldError
	add := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Key: "invalid", Message: msg}) }
	d.Title = strings.TrimSpace(d.Title)
	if len(d.ID) < 16 {
		add("id", "Mã giấy tờ không hợp lệ.")
	}
	if !identity.ValidCitizenID(d.Owner) {
		add("owner", "Chủ giấy tờ phải có số định danh cá nhân 12 chữ số.")
	}
	switch d.Kind {
	case KindResult, KindDigitized, KindUpload:
	default:
		add("kind", "Loại giấy tờ không hợp lệ.")
	}
	if d.Title == "" {
		add("title", "Thiếu tên giấy tờ.")
	}
	if _, err := time.Parse(time.DateOnly, d.IssuedOn); err != nil {
		add("issued_on", "Ngày cấp không hợp lệ (YYYY-MM-DD).")
	}
	if len(fe) > 0 {
		return errs.InvalidFields("wallet.invalid", "Giấy tờ không hợp lệ.", "invalid document", fe)
	}
	return nil
}
