package printform

import (
	"time"
)

// ResultTemplate is the name of the one generic result template: a
// procedure's `result.template` may name it (or be empty); the result's
// title is the procedure's result name.
const ResultTemplate = "ket-qua-chung"

// Field is one labelled value of a result document (a declared field, with
// its title in the procedure's form schema).
type Field struct {
	Label, Value string
}

// Result is the input of a result document: the electronic result of a
// dossier, to be signed by the issuing agency.
type Result struct {
	Agency   Agency
	Dossier  Dossier // Code, ProcedureCode, ProcedureName, ApplicantName, ApplicantID are used
	Title    string  // the procedure's result name, e.g. "Giấy khai sinh"
	Fields   []Field // the key fields of the declaration
	Number   string  // document number; empty → "Số: ......"
	IssuedAt time.Time
	Signer   Person // who signs for the agency (name may be empty: the digital signature is the agency's)
	// VerifyURL is the public verification page of this result, printed as
	// QR code and as text.
	VerifyURL string
}

// ResultDocument renders the result of a dossier with the generic template
// (ResultTemplate): the national heading, the agency, the result's name as
// title, the applicant, the key fields of the declaration, the dossier
// code, the place and date of issue, the signature block, and a QR code of
// VerifyURL with the URL in text.
func ResultDocument(r Result) ([]byte, error) {
	return resultDocument(r, pdfCanvas)
}

// resultDocument is ResultDocument drawn on a canvas that newCanvas makes.
func resultDocument(r Result, newCanvas canvasMaker) ([]byte, error) {
	return safely(func() ([]byte, error) {
		if err := checkResult(r); err != nil {
			return nil, err
		}
		w := newWriterOn(newCanvas(false, nfc(r.Title), r.IssuedAt), "P")
		w.heading(r.Agency, r.Number, r.IssuedAt, true, "")
		ds := r.Dossier
		w.title(r.Title, codeLine(ds))
		w.para(0, 0, plain("Căn cứ hồ sơ đề nghị giải quyết thủ tục hành chính "), bold(procedure(ds)),
			plain(", "+oneLine(r.Agency.Name)+" cấp kết quả giải quyết cho:"))
		w.para(0, 0, plain("Người yêu cầu: "), bold(ds.ApplicantName))
		if !blank(ds.ApplicantID) {
			w.field("Số định danh cá nhân/Mã số thuế", ds.ApplicantID, "")
		}
		if len(r.Fields) > 0 {
			w.space(1)
			w.para(0, 0, bold("Nội dung:"))
			for _, f := range r.Fields {
				w.para(5, 5, plain(oneLine(f.Label)+": "), span{orDots(f.Value), "B"})
			}
		}
		w.space(1)
		w.field("Ngày cấp", dmy(r.IssuedAt), "")
		w.para(0, 0, span{"Văn bản điện tử được ký số bởi " + oneLine(r.Agency.Name) +
			"; tra cứu, xác thực tại: " + oneLine(r.VerifyURL), "I"})
		w.signatures(nil, signBlock{orTitle(r.Signer.Title), "(Đã ký số)", r.Signer.Name}, []string{"Người yêu cầu;", "Lưu: VT, hồ sơ."})
		if err := w.qrBlockCaption(r.VerifyURL, "Xác thực kết quả", ds.Code); err != nil {
			return nil, err
		}
		return w.finish()
	})
}

func checkResult(r Result) error {
	var p problems
	if blank(r.Dossier.Code) {
		p.add("dossier code is empty")
	}
	if r.IssuedAt.IsZero() {
		p.add("issue date (IssuedAt) is zero")
	}
	if blank(r.Agency.Name) {
		p.add("agency name is empty")
	}
	if blank(r.Dossier.ApplicantName) {
		p.add("applicant name is empty")
	}
	if blank(r.Dossier.ProcedureName) {
		p.add("procedure name is empty")
	}
	if blank(r.Title) {
		p.add("result name (Title) is empty")
	}
	if blank(r.VerifyURL) {
		p.add("verification URL is empty")
	}
	return p.err("result")
}
