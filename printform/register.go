package printform

import (
	"strconv"
)

// Column layout of form 07 (landscape A4, 267 mm between the margins).
var registerCols = []column{
	{10, "C"}, // STT
	{34, "L"}, // Mã hồ sơ
	{38, "L"}, // Tên thủ tục hành chính
	{30, "L"}, // Tên cá nhân, tổ chức
	{30, "L"}, // Địa chỉ
	{18, "C"}, // Nhận hồ sơ
	{18, "C"}, // Hẹn trả kết quả
	{18, "C"}, // Chuyển cơ quan giải quyết
	{18, "C"}, // Nhận kết quả từ cơ quan giải quyết
	{18, "C"}, // Trả kết quả
	{18, "C"}, // Tình trạng
	{17, "L"}, // Ghi chú
}

// The header of form 07: columns spanning both header rows, and the five
// time columns (5 to 9) under one group title.
var (
	registerSpanning = map[int]string{
		0: "STT", 1: "Mã hồ sơ", 2: "Tên thủ tục hành chính", 3: "Tên cá nhân, tổ chức",
		4: "Địa chỉ", 10: "Tình trạng", 11: "Ghi chú",
	}
	registerGroup = "Thời gian (ngày, giờ)"
	registerTimes = []string{"Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển cơ quan giải quyết",
		"Nhận kết quả từ cơ quan giải quyết", "Trả kết quả"}
)

const (
	registerSize = 7.5 // pt
	registerLine = 3.4 // mm
)

// RegisterBook renders form 07, Sổ theo dõi hồ sơ: the national heading,
// the period, and a landscape table of the dossiers whose header is
// repeated on every page; pages are numbered at the foot.
func RegisterBook(r Register) ([]byte, error) {
	return safely(func() ([]byte, error) {
		if err := checkRegister(r); err != nil {
			return nil, err
		}
		w := newWriter("L", titles["07"], r.IssuedAt)
		w.pdf.setFooter(func() {
			w.pdf.setFont("", 8)
			w.put(w.left, w.pageH-w.bottom+4, w.width(), 4, "Trang "+strconv.Itoa(w.pdf.pageNo()), "C")
		})
		w.heading(r.Agency, "", r.IssuedAt, false, "07")
		w.title(titles["07"], span{"Từ ngày " + dmy(r.From) + " đến ngày " + dmy(r.To), "I"})
		t := &table{w: w, cols: registerCols, size: registerSize, line: registerLine, minRow: 9}
		t.header = func() { registerHeader(t) }
		w.ensure(40)
		t.header()
		for i, row := range r.Rows {
			no := row.No
			if no == 0 {
				no = i + 1
			}
			t.row([]string{
				strconv.Itoa(no), row.Code, row.ProcedureName, row.ApplicantName, row.ApplicantAddress,
				cellTime(row.ReceivedAt), cellTime(row.DueAt), cellTime(row.HandedAt),
				cellTime(row.DoneAt), cellTime(row.ReturnedAt), row.Status, row.Note,
			}, false)
		}
		if len(r.Rows) == 0 {
			t.row([]string{"", "", "Không có hồ sơ trong kỳ."}, false)
		}
		return w.finish()
	})
}

// registerHeader draws the two header rows of form 07 and the row of
// column numbers under them, at the current y.
func registerHeader(t *table) {
	w := t.w
	const pad = 1.2
	w.font("B", registerSize)
	timeLines := 1
	for i, s := range registerTimes {
		timeLines = max(timeLines, len(w.wrap(s, registerCols[5+i].width)))
	}
	h1 := registerLine + 2*pad
	h2 := float64(timeLines)*registerLine + 2*pad
	h3 := registerLine + 1
	y := w.y()
	x := w.left
	groupX, groupW := 0.0, 0.0
	for i, c := range registerCols {
		switch {
		case registerSpanning[i] != "":
			w.box(x, y, c.width, h1+h2, registerSpanning[i])
		default:
			if groupW == 0 {
				groupX = x
			}
			groupW += c.width
			w.box(x, y+h1, c.width, h2, registerTimes[i-5])
		}
		x += c.width
	}
	w.box(groupX, y, groupW, h1, registerGroup)
	w.font("I", registerSize)
	x = w.left
	for i, c := range registerCols {
		w.box(x, y+h1+h2, c.width, h3, "("+strconv.Itoa(i+1)+")")
		x += c.width
	}
	w.setY(y + h1 + h2 + h3)
}

// box draws a bordered cell with s wrapped and centred both ways, in the
// current font, with the register's line height.
func (w *writer) box(x, y, wd, h float64, s string) {
	w.pdf.rect(x, y, wd, h)
	lines := w.wrap(s, wd)
	ty := y + (h-float64(len(lines))*registerLine)/2
	for _, l := range lines {
		w.put(x, ty, wd, registerLine, l, "C")
		ty += registerLine
	}
}
