package printform

import (
	"fmt"
	"strconv"
	"strings"
)

// Title returns the title of form number ("01"…"07") as Appendix I lists
// it, and whether there is such a form.
func Title(number string) (string, bool) {
	t, ok := titles[number]
	return t, ok
}

// titles are the forms' titles, as listed in Appendix I.
var titles = map[string]string{
	"01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
	"02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
	"03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
	"04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
	"05": "Thông báo dừng giải quyết hồ sơ",
	"06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
	"07": "Sổ theo dõi hồ sơ",
}

// Render renders form number ("01"…"06") of d. Form 07 takes a Register:
// use RegisterBook.
func Render(number string, d Doc) ([]byte, error) {
	switch number {
	case "01":
		return Receipt(d)
	case "02":
		return SupplementRequest(d)
	case "03":
		return Refusal(d)
	case "04":
		return Apology(d)
	case "05":
		return StopNotice(d)
	case "06":
		return ControlSlip(d)
	case "07":
		return nil, fmt.Errorf("printform: form 07 is a register: use RegisterBook")
	}
	return nil, fmt.Errorf("printform: unknown form %q (want 01 to 06)", number)
}

// renderDoc validates d, lays out the heading, the body and the QR code of
// one of forms 01–06, and returns the PDF.
func renderDoc(form string, d Doc, body func(*writer, Doc)) ([]byte, error) {
	return safely(func() ([]byte, error) {
		if err := checkDoc(form, d); err != nil {
			return nil, err
		}
		w := newWriter("P", titles[form], d.IssuedAt)
		w.heading(d.Agency, d.Number, d.IssuedAt, true, form)
		body(w, d)
		if err := w.qrBlock(d.LookupURL, d.Dossier.Code); err != nil {
			return nil, err
		}
		return w.finish()
	})
}

// office names who receives dossiers: the unit of the agency when set
// ("Bộ phận Một cửa, Ủy ban nhân dân Phường Ba Đình"), else the agency.
func office(a Agency) string {
	if !blank(a.Unit) {
		return oneLine(a.Unit) + ", " + oneLine(a.Name)
	}
	return oneLine(a.Name)
}

// procedure is the requested procedure with its code:
// "Đăng ký khai sinh (mã thủ tục: 1.001193)".
func procedure(ds Dossier) string {
	if blank(ds.ProcedureCode) {
		return oneLine(ds.ProcedureName)
	}
	return oneLine(ds.ProcedureName) + " (mã thủ tục: " + oneLine(ds.ProcedureCode) + ")"
}

// codeLine is the "Mã hồ sơ" line under a title.
func codeLine(ds Dossier) span { return bold("Mã hồ sơ: " + oneLine(ds.Code)) }

// contact prints the applicant's address, telephone and e-mail.
func (w *writer) contact(ds Dossier) {
	w.field("Địa chỉ", ds.ApplicantAddress, "")
	w.para(0, 0, plain("Số điện thoại: "+orDots(ds.ApplicantPhone)+"; Email: "+orDots(ds.ApplicantEmail)))
}

// signerOr is p, or q when p has no name.
func signerOr(p, q Person) Person {
	if blank(p.Name) {
		return q
	}
	return p
}

const (
	hintSign  = "(Ký và ghi rõ họ tên)"
	hintStamp = "(Ký, ghi rõ họ tên và đóng dấu)"
)

// Receipt renders form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
func Receipt(d Doc) ([]byte, error) {
	return renderDoc("01", d, func(w *writer, d Doc) {
		ds := d.Dossier
		w.title(titles["01"], codeLine(ds))
		w.para(0, 0, plain(office(d.Agency)+" tiếp nhận hồ sơ của: "), bold(ds.ApplicantName))
		w.field("Số định danh cá nhân/CCCD", ds.ApplicantID, "")
		w.contact(ds)
		w.field("Nội dung yêu cầu giải quyết", procedure(ds), "B")
		if !blank(ds.Field) {
			w.field("Lĩnh vực", ds.Field, "")
		}
		if !blank(ds.Channel) {
			w.field("Hình thức nộp hồ sơ", ds.Channel, "")
		}
		w.para(0, 0, plain("1. Thành phần hồ sơ nộp gồm:"))
		w.space(1)
		t := &table{w: w, size: 9.5, line: 4.6, minRow: 7, cols: []column{
			{12, "C"}, {98, "L"}, {38, "C"}, {22, "C"},
		}}
		t.header = t.simpleHeader("STT", "Tên giấy tờ", "Hình thức (bản chính/bản sao)", "Số lượng")
		w.ensure(20)
		t.header()
		for i, c := range ds.Components {
			kind := "Bản sao"
			if c.Original {
				kind = "Bản chính"
			}
			t.row([]string{strconv.Itoa(i + 1), c.Name, kind, twoDigits(max(c.Copies, 1))}, false)
		}
		for i := len(ds.Components); i < 3 && len(ds.Components) == 0; i++ {
			t.row([]string{strconv.Itoa(i + 1)}, false) // blank rows to fill by hand
		}
		w.space(2)
		w.para(0, 0, plain("2. Số lượng hồ sơ: 01 (bộ)"))
		w.para(0, 0, plain("3. Thời gian giải quyết hồ sơ theo quy định là: "+orDots(ds.StatutoryTime)))
		w.para(0, 0, plain("4. Thời gian nhận hồ sơ: "+clock(ds.ReceivedAt)))
		w.para(0, 0, plain("5. Thời gian trả kết quả giải quyết hồ sơ: "), bold(clock(ds.DueAt)))
		w.para(0, 0, plain("6. Đăng ký nhận kết quả tại: "+orDots(ds.ResultChannel)))
		switch {
		case ds.FeeNote != "":
			w.para(0, 0, plain("7. Phí, lệ phí: "+ds.FeeNote))
		case ds.Fee > 0:
			w.para(0, 0, plain("7. Phí, lệ phí: "+money(ds.Fee)))
		}
		w.para(0, 0, plain("Vào Sổ theo dõi hồ sơ, Quyển số: "+dots+", Số thứ tự: "+dots))
		receiver := signerOr(d.Receiver, d.Signer)
		w.signatures(
			&signBlock{"Người nộp hồ sơ", hintSign, ds.ApplicantName},
			signBlock{"Người tiếp nhận hồ sơ", hintSign, receiver.Name},
			nil)
	})
}

// SupplementRequest renders form 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
func SupplementRequest(d Doc) ([]byte, error) {
	return renderDoc("02", d, func(w *writer, d Doc) {
		ds := d.Dossier
		w.title(titles["02"], codeLine(ds))
		w.para(0, 0, plain("Hồ sơ của: "), bold(ds.ApplicantName))
		w.contact(ds)
		w.field("Nội dung yêu cầu giải quyết", procedure(ds), "B")
		if !ds.ReceivedAt.IsZero() {
			w.field("Thời gian nhận hồ sơ", clock(ds.ReceivedAt), "")
		}
		w.para(0, 0, plain("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"))
		if !blank(d.Reason) {
			for _, line := range splitLines(d.Reason) {
				w.para(5, 5, plain(line))
			}
		}
		for i, m := range d.Missing {
			w.para(5, 10, plain(strconv.Itoa(i+1)+". "+m))
		}
		signer := signerOr(d.Signer, d.Receiver)
		contact := office(d.Agency)
		if !blank(signer.Name) {
			contact = oneLine(signer.Name) + " – " + contact
		}
		w.space(1)
		w.para(0, 0, plain("Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "+
			contact+" để được hướng dẫn./."))
		w.signatures(nil, signBlock{"Người hướng dẫn", hintSign, signer.Name}, nil)
	})
}

// Refusal renders form 03, Phiếu từ chối tiếp nhận giải quyết hồ sơ.
func Refusal(d Doc) ([]byte, error) {
	return renderDoc("03", d, func(w *writer, d Doc) {
		ds := d.Dossier
		w.title(titles["03"], codeLine(ds))
		w.para(0, 0, plain(office(d.Agency)+" tiếp nhận hồ sơ của: "), bold(ds.ApplicantName))
		w.contact(ds)
		w.field("Nội dung yêu cầu giải quyết", procedure(ds), "B")
		w.para(0, 0, plain("Qua xem xét hồ sơ, căn cứ quy định hiện hành, "+office(d.Agency)+
			" từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"))
		for _, line := range splitLines(d.Reason) {
			w.para(5, 5, plain(line))
		}
		w.para(0, 0, plain("Xin thông báo để Ông/Bà được biết và thực hiện./."))
		signer := signerOr(d.Signer, d.Receiver)
		w.signatures(nil, signBlock{"Người tiếp nhận hồ sơ", hintSign, signer.Name}, nil)
	})
}

// Apology renders form 04, Văn bản xin lỗi và đề nghị gia hạn thời gian
// giải quyết.
func Apology(d Doc) ([]byte, error) {
	return renderDoc("04", d, func(w *writer, d Doc) {
		ds := d.Dossier
		agency := oneLine(d.Agency.Name)
		w.title(titles["04"])
		w.addressee(ds.ApplicantName)
		w.para(8, 0, plain("Ngày "+dmy(ds.ReceivedAt)+", "+office(d.Agency)+" tiếp nhận hồ sơ của Ông/Bà: "),
			bold(ds.ApplicantName))
		w.field("Nội dung yêu cầu giải quyết", procedure(ds), "")
		w.field("Mã hồ sơ", ds.Code, "B")
		w.field("Thời gian hẹn trả kết quả giải quyết hồ sơ", clock(ds.DueAt), "")
		w.para(8, 0, plain("Tuy nhiên đến nay, "+agency+" chưa trả kết quả giải quyết hồ sơ của Ông/Bà "+
			"đúng hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."))
		w.para(8, 0, plain("Lý do: "+oneLine(d.Reason)))
		w.para(8, 0, plain("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. "+agency+
			" xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ; thời gian hẹn trả kết quả mới: "),
			bold(clock(d.NewDueAt)+"."))
		w.para(8, 0, plain("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./."))
		w.signatures(nil, signBlock{orTitle(d.Signer.Title), hintStamp, d.Signer.Name}, receivers())
	})
}

// StopNotice renders form 05, Thông báo dừng giải quyết hồ sơ. Its wording
// is this package's own (there is no such form in Circular 01/2018).
func StopNotice(d Doc) ([]byte, error) {
	return renderDoc("05", d, func(w *writer, d Doc) {
		ds := d.Dossier
		agency := oneLine(d.Agency.Name)
		w.title(titles["05"])
		w.addressee(ds.ApplicantName)
		w.para(8, 0, plain("Ngày "+dmy(ds.ReceivedAt)+", "+office(d.Agency)+" tiếp nhận hồ sơ của Ông/Bà: "),
			bold(ds.ApplicantName))
		w.field("Nội dung yêu cầu giải quyết", procedure(ds), "")
		w.field("Mã hồ sơ", ds.Code, "B")
		w.para(8, 0, plain(agency+" thông báo dừng giải quyết hồ sơ nêu trên."))
		w.para(8, 0, plain("Lý do: "+oneLine(d.Reason)))
		w.para(8, 0, plain("Xin thông báo để Ông/Bà được biết./."))
		w.signatures(nil, signBlock{orTitle(d.Signer.Title), hintStamp, d.Signer.Name}, receivers())
	})
}

// ControlSlip renders form 06, Phiếu kiểm soát quá trình giải quyết hồ sơ:
// one row per hand-over, with its time, the step's deadline and completion,
// and whether it was early, on time or late (see handoverResult).
func ControlSlip(d Doc) ([]byte, error) {
	return renderDoc("06", d, func(w *writer, d Doc) {
		ds := d.Dossier
		w.title(titles["06"], codeLine(ds),
			span{"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)", "I"})
		w.para(0, 0, plain("Người nộp hồ sơ: "), bold(ds.ApplicantName))
		w.field("Nội dung yêu cầu giải quyết", procedure(ds), "")
		w.field("Cơ quan (bộ phận) giải quyết hồ sơ", d.Agency.Name, "")
		w.field("Thời gian nhận hồ sơ", clock(ds.ReceivedAt), "")
		w.field("Thời gian hẹn trả kết quả", clock(ds.DueAt), "")
		w.space(2)
		t := &table{w: w, size: 8.5, line: 4.2, minRow: 14, cols: []column{
			{52, "L"}, {60, "L"}, {30, "C"}, {28, "L"},
		}}
		t.header = t.simpleHeader("TÊN CƠ QUAN/ĐƠN VỊ", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
			"KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/Đúng hạn/Quá hạn)", "GHI CHÚ")
		w.ensure(30)
		t.header()
		for i, h := range d.Handovers {
			when := clock(h.HandedAt)
			if !h.DueAt.IsZero() {
				when += "\nHạn xử lý: " + shortClock(h.DueAt)
			}
			if !h.DoneAt.IsZero() {
				when += "\nHoàn thành: " + shortClock(h.DoneAt)
			}
			t.row([]string{
				fmt.Sprintf("%d. Giao: %s\nNhận: %s", i+1, oneLine(h.From), oneLine(h.To)),
				when, handoverResult(h), h.Note,
			}, false)
		}
		for i := len(d.Handovers); i < 3 && len(d.Handovers) == 0; i++ {
			t.row([]string{fmt.Sprintf("%d. Giao:\nNhận:", i+1)}, false) // blank rows to fill by hand
		}
	})
}

// addressee prints the centred "Kính gửi:" line of forms 04 and 05.
func (w *writer) addressee(name string) {
	w.font("", bodySize)
	y := w.centered(w.left, w.y(), w.width(), bodyLine, "Kính gửi: "+oneLine(name))
	w.setY(y + 3)
}

// orTitle is the signer's title, or the generic head of the agency.
func orTitle(t string) string {
	if blank(t) {
		return "Thủ trưởng cơ quan"
	}
	return t
}

// receivers is the "Nơi nhận" list of forms 04 and 05.
func receivers() []string { return []string{"Như trên;", "Lưu: VT, hồ sơ."} }

// splitLines splits free text into its non-blank lines, each on one line.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(nfc(s), "\n") {
		if !blank(l) {
			out = append(out, oneLine(l))
		}
	}
	return out
}
