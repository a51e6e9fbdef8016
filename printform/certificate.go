package printform

import "time"

// Certificate is a result document drawn on the legal form of its
// procedure: the layout of one template of the result-template registry
// (app/results, docs/result-documents.md) filled with the dossier's data.
// Unlike Result (the generic template) it prints only the template's
// lines, in the order of the legal form, never the requester's contact
// fields.
type Certificate struct {
	Agency Agency
	// AgencyHeading: the issuing agency is printed on the left of the
	// national heading (decisions, confirmations); civil-status papers
	// carry the national heading alone.
	AgencyHeading bool
	Title         string // e.g. "Giấy khai sinh", printed in upper case
	Number        string // the number in the agency's register series; empty → "Số: ......"
	Book          string // "Quyển số" (register volume), printed when not empty
	DossierCode   string
	IssuedAt      time.Time
	// Preamble: the legal grounds ("Căn cứ …"), one paragraph each, in
	// italics (decisions).
	Preamble []string
	// Intro: a paragraph before the sections, e.g. "QUYẾT ĐỊNH:" or
	// "CHỨNG NHẬN:".
	Intro    string
	Sections []Section
	// SignerHeading is the heading of the signature block, e.g. "Người ký
	// Giấy khai sinh" or "TM. Ủy ban nhân dân" (printed in upper case);
	// the signer's title (chức vụ) is printed under it, then the name.
	SignerHeading string
	Signer        Person
	// Notes: the "Nơi nhận:" list of a decision (nil: none).
	Notes []string
	// Draft marks a preview for the signer: "DỰ THẢO" over the number, no
	// signature note.
	Draft bool
	// Warnings are what the officials must see before signing (data the
	// result needs and does not have), printed in bold under the title of
	// a draft; a signed certificate never carries one.
	Warnings []string
	// VerifyURL is the public verification page of this result, printed as
	// QR code and as text.
	VerifyURL string
}

// Section is one block of a certificate: an optional heading (e.g.
// "Người mẹ") and its lines.
type Section struct {
	Heading string
	Lines   []Line
}

// Line is one printed line of labelled values ("Giới tính: Nam   Dân tộc:
// Kinh   Quốc tịch: Việt Nam" is one line of three items).
type Line []Item

// Item is one labelled value; Bold prints the value in bold; an empty
// Label prints the value alone (a paragraph of text).
type Item struct {
	Label, Value string
	Bold         bool
}

// CertificateDocument renders a certificate: the national heading (with
// the agency on the left when AgencyHeading), the title and number, the
// template's sections, the place and date of issue, the signer block
// (heading, title, name), and a QR code of VerifyURL with the URL in text.
func CertificateDocument(c Certificate) ([]byte, error) {
	return certificateDocument(c, pdfCanvas)
}

func certificateDocument(c Certificate, newCanvas canvasMaker) ([]byte, error) {
	return safely(func() ([]byte, error) {
		if err := checkCertificate(c); err != nil {
			return nil, err
		}
		w := newWriterOn(newCanvas(false, nfc(c.Title), c.IssuedAt), "P")
		number := c.Number
		if c.Draft {
			number = "(dự thảo)"
		}
		if c.AgencyHeading {
			w.heading(c.Agency, number, c.IssuedAt, true, "")
			if c.Draft {
				w.title("Dự thảo")
			}
			w.title(c.Title)
		} else {
			w.nationalHeading()
			if c.Draft {
				w.title("Dự thảo")
			}
			w.title(c.Title)
			no := "Số: " + orNumber(number)
			if !blank(c.Book) {
				no += "        Quyển số: " + oneLine(c.Book)
			}
			w.font("", 10.5)
			w.put(w.left, w.y()-3, w.width(), 5, no, "C")
			w.setY(w.y() + 5)
			w.font("", bodySize)
		}
		for _, m := range c.Warnings {
			w.space(1)
			w.para(0, 0, bold(oneLine(m)))
		}
		for _, p := range c.Preamble {
			w.para(0, 0, span{oneLine(p), "I"})
		}
		if !blank(c.Intro) {
			w.space(1)
			w.font("B", bodySize)
			w.centered(w.left, w.y(), w.width(), bodyLine, oneLine(c.Intro))
			w.setY(w.y() + bodyLine + 1)
			w.font("", bodySize)
		}
		for _, s := range c.Sections {
			if !blank(s.Heading) {
				w.space(1)
				w.para(0, 0, bold(oneLine(s.Heading)))
			}
			for _, l := range s.Lines {
				w.line(l)
			}
		}
		w.space(2)
		if !c.AgencyHeading {
			w.font("I", 10.5)
			w.put(w.left+w.width()/2, w.y(), w.width()/2, 5, dateLine(c.Agency.Place, c.IssuedAt), "C")
			w.setY(w.y() + 5)
			w.font("", bodySize)
		}
		hint := "(Đã ký số)"
		if c.Draft {
			hint = "(Dự thảo trình ký)"
		}
		title := c.Signer.Title
		if !blank(c.SignerHeading) && !blank(title) {
			title = c.SignerHeading + "\n" + title
		} else if blank(title) {
			title = c.SignerHeading
		}
		w.signatures(nil, signBlock{orTitle(title), hint, c.Signer.Name}, c.Notes)
		if !c.Draft {
			w.para(0, 0, span{"Văn bản điện tử được ký số bởi " + oneLine(c.Agency.Name) +
				"; tra cứu, xác thực tại: " + oneLine(c.VerifyURL), "I"})
		}
		if err := w.qrBlockCaption(c.VerifyURL, "Xác thực kết quả", c.DossierCode); err != nil {
			return nil, err
		}
		return w.finish()
	})
}

// line prints one line of labelled values: the items run on as one
// paragraph, separated by wide spaces, and wrap when they do not fit.
func (w *writer) line(l Line) {
	var spans []span
	for i, it := range l {
		if i > 0 {
			spans = append(spans, plain(";  "))
		}
		style := ""
		if it.Bold {
			style = "B"
		}
		if blank(it.Label) {
			spans = append(spans, span{orDots(it.Value), style})
			continue
		}
		spans = append(spans, plain(oneLine(it.Label)+": "), span{orDots(it.Value), style})
	}
	if len(spans) > 0 {
		w.para(0, 0, spans...)
	}
}

// nationalHeading draws the national title and motto centred on the page
// (the civil-status papers: no agency on the left).
func (w *writer) nationalHeading() {
	w.font("B", 11)
	y := w.centered(w.left, w.top, w.width(), 5.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	w.font("B", 11.5)
	motto := "Độc lập - Tự do - Hạnh phúc"
	y = w.centered(w.left, y, w.width(), 6, motto)
	half := w.pdf.stringWidth(nfc(motto)) / 2
	mid := w.left + w.width()/2
	w.pdf.line(mid-half, y+0.3, mid+half, y+0.3)
	w.setY(y + 8)
	w.font("", bodySize)
}

func checkCertificate(c Certificate) error {
	var p problems
	if blank(c.DossierCode) {
		p.add("dossier code is empty")
	}
	if c.IssuedAt.IsZero() {
		p.add("issue date (IssuedAt) is zero")
	}
	if blank(c.Agency.Name) {
		p.add("agency name is empty")
	}
	if blank(c.Title) {
		p.add("title is empty")
	}
	if blank(c.VerifyURL) {
		p.add("verification URL is empty")
	}
	if len(c.Sections) == 0 {
		p.add("no section")
	}
	if len(c.Warnings) > 0 && !c.Draft {
		p.add("warnings on a certificate that is not a draft")
	}
	return p.err("certificate")
}
