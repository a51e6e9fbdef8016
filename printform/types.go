package printform

import "time"

// Agency is the issuing agency shown in the heading of every form.
type Agency struct {
	ID     string // electronic agency ID, e.g. "000.00.50.H01"
	Name   string // e.g. "Ủy ban nhân dân Phường Ba Đình"
	Parent string // governing body for the heading's first line, e.g. "Ủy ban nhân dân Thành phố Hà Nội" (may be empty)
	Unit   string // the issuing unit inside it, e.g. "Bộ phận Một cửa" (may be empty)
	Place  string // place name for the date line, e.g. "Hà Nội"
}

// Person is a signer or an official named on a form.
type Person struct {
	Name  string
	Title string // e.g. "Chủ tịch", "Công chức tiếp nhận"
}

// Component is one document of the dossier (thành phần hồ sơ).
type Component struct {
	Name     string
	Original bool // bản chính; otherwise bản sao
	Copies   int  // 0 is printed as 01
}

// Handover is one row of form 06: the dossier handed from one unit or
// official to the next.
type Handover struct {
	From, To string    // "Bộ phận Một cửa – Lê Thị Hoa", "Công chức tư pháp – hộ tịch – Trần Minh Đức"
	HandedAt time.Time // when the dossier was handed over
	DueAt    time.Time // step deadline (zero: none)
	DoneAt   time.Time // zero: not yet done
	OnTime   *bool     // nil: not finished
	Note     string
}

// Dossier is the administrative-procedure dossier the form is about.
type Dossier struct {
	Code, ProcedureCode, ProcedureName, Field                                    string
	ApplicantName, ApplicantID, ApplicantAddress, ApplicantPhone, ApplicantEmail string
	Channel                                                                      string // "Trực tuyến", "Trực tiếp", "Qua dịch vụ bưu chính công ích"
	ReceivedAt, DueAt                                                            time.Time
	Components                                                                   []Component
	ResultChannel                                                                string // how the result will be returned, may be empty
	Fee                                                                          int64  // VND, 0 = none
	// FeeNote is line 7's text instead of Fee when the fee is told in
	// words: "Miễn lệ phí (đề nghị: …) – chờ kiểm tra" (catalog.FeeQuote).
	FeeNote string

	// StatutoryTime is the legal processing time, "01 ngày làm việc" (form
	// 01's "Thời gian giải quyết hồ sơ theo quy định"; "" prints dots).
	StatutoryTime string
}

// Doc is the input of forms 01–06.
type Doc struct {
	Agency    Agency
	Dossier   Dossier
	Number    string // document number, e.g. "15/TB-UBND"; empty → "Số: ......"
	IssuedAt  time.Time
	Signer    Person     // who signs: 02, 03 the guiding/receiving official; 04, 05 the head (Title printed above the name)
	Receiver  Person     // the official who received (form 01; falls back to Signer, and 02–03 fall back to it)
	Reason    string     // 02: what to supplement (free text); 03: refusal reason; 04: reason of the delay; 05: reason to stop
	Missing   []string   // 02: list of documents to supplement / complete
	NewDueAt  time.Time  // 04: new appointment
	Handovers []Handover // 06
	LookupURL string     // public look-up URL of the dossier, encoded as QR on forms 01–06
}

// RegisterRow is one row of form 07.
type RegisterRow struct {
	No                                                   int
	Code, ProcedureName, ApplicantName, ApplicantAddress string
	ReceivedAt, DueAt, HandedAt, DoneAt, ReturnedAt      time.Time // zero = blank cell
	Status                                               string    // e.g. "Đúng hạn", "Quá hạn", "Đang xử lý"
	Note                                                 string
}

// Register is the input of form 07, the dossier register for a period.
type Register struct {
	Agency   Agency
	From, To time.Time
	Rows     []RegisterRow
	IssuedAt time.Time
}
