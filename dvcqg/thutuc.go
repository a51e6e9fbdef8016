package dvcqg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/vntext"
)

// The national procedure catalogue as the portal's adapter answers it
// (dvcqg/PROTOCOL.md): LayDanhSachTTHC lists the procedures, LayThuTuc
// gives one. The list's fields are PROTOCOL.md's; the record's are those
// the systems in use read from LayThuTuc (OpenCPS's syncServiceInfo, the
// .NET system's AddThuTucCommand, ../shared/INTEROP.md section a), each
// optional: no official schema was found, so every value is read whether
// the portal writes it as a string or a number, and what cannot be read
// is left out rather than guessed.

// Text is a value the portal writes as a string or a number; it is read
// as the string ("2", "0.5").
type Text string

// UnmarshalJSON reads "x", 2, 0.5, null.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(strings.TrimSpace(s))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("giá trị %.40s không phải chuỗi hay số", b)
		}
		*t = Text(n.String())
	}
	return nil
}

// Level is one level of government that carries a procedure out
// (CAPTHUCHIEN): a code, a name ("Cấp Xã"), or both.
type Level struct {
	Code Text `json:"CAPTHUCHIEN,omitempty"`
	Name Text `json:"TENCAP,omitempty"`
}

// Levels is CAPTHUCHIEN, which the list writes as one value and the
// record as a list of levels.
type Levels []Level

// UnmarshalJSON reads a list of levels, one level object, or one value
// ("Cấp Tỉnh", 2).
func (l *Levels) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*l = nil
		return nil
	case len(b) > 0 && b[0] == '[':
		var list []Level
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*l = list
		return nil
	case len(b) > 0 && b[0] == '{':
		var one Level
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = Levels{one}
		return nil
	}
	var v Text
	if err := v.UnmarshalJSON(b); err != nil {
		return err
	}
	if _, err := strconv.Atoi(string(v)); err == nil {
		*l = Levels{{Code: v}}
	} else if v != "" {
		*l = Levels{{Name: v}}
	}
	return nil
}

// Level is the catalogue's level of these levels: commune or province when
// the names say so and agree, "" otherwise (none named, both, or a level
// the province does not have, such as a ministry or the former district).
// Central reports whether every level named is central (a ministry, the
// national level): such a procedure is not the province's.
func (l Levels) Level() (level catalog.Level, central bool) {
	central = len(l) > 0
	for _, x := range l {
		n := vntext.Fold(string(x.Name))
		var this catalog.Level
		switch {
		case strings.Contains(n, "xa"):
			this = catalog.LevelCommune
		case strings.Contains(n, "tinh"):
			this = catalog.LevelProvince
		}
		if !strings.Contains(n, "bo") && !strings.Contains(n, "trung uong") && !strings.Contains(n, "quoc gia") {
			central = false
		}
		switch {
		case this == "":
		case level == "":
			level = this
		case level != this:
			return "", false
		}
	}
	return level, central
}

// ProcedureItem is one procedure of the list (LayDanhSachTTHC).
type ProcedureItem struct {
	MaTTHC      string `json:"MATTHC"`
	TenTTHC     string `json:"TENTTHC"`
	MaLinhVuc   Text   `json:"MALINHVUC,omitempty"`
	TenLinhVuc  string `json:"TENLINHVUC,omitempty"`
	CapThucHien Levels `json:"CAPTHUCHIEN,omitempty"`
	// TrangThai is 1 for a procedure in force (OpenCPS publishes only
	// those); absent, the procedure is taken to be in force.
	TrangThai Text `json:"TRANGTHAI,omitempty"`
}

// FieldRef is a field of a procedure (LINHVUCTHUCHIEN).
type FieldRef struct {
	MaLinhVuc  Text   `json:"MALINHVUC"`
	TenLinhVuc string `json:"TENLINHVUC"`
}

// Way is how a procedure is done on one channel (CACHTHUCTHUCHIEN): KENH 1
// in person, 2 online, 3 by post, with its time limits and fees.
type Way struct {
	Kenh     Text        `json:"KENH"`
	ThoiGian []TimeLimit `json:"THOIGIAN,omitempty"`
}

// TimeLimit is a processing time and its fees (THOIGIAN).
type TimeLimit struct {
	ThoiGianGiaiQuyet Text        `json:"THOIGIANGIAIQUYET"`
	DonViTinh         string      `json:"DONVITINH"` // "Ngày làm việc", "Ngày", "Giờ làm việc", "Tháng"…
	MoTa              string      `json:"MOTA,omitempty"`
	PhiLePhi          []FeeRecord `json:"PHILEPHI,omitempty"`
}

// FeeRecord is a fee or charge of a time limit (PHILEPHI).
type FeeRecord struct {
	MaPhiLePhi Text   `json:"MAPHILEPHI"`
	SoTien     Text   `json:"SOTIEN"`
	DonVi      string `json:"DONVI,omitempty"` // "Đồng"
	MoTa       string `json:"MOTA,omitempty"`
}

// LegalRef is a legal document the procedure rests on (CANCUPHAPLY).
type LegalRef struct {
	SoVanBan    string `json:"SOVANBAN"`
	TenVanBan   string `json:"TENVANBAN"`
	CoQuan      string `json:"COQUANBANHANH,omitempty"`
	NgayBanHanh string `json:"NGAYBANHANH,omitempty"`
}

// ComponentCase is the papers of one case of a procedure (THANHPHANHOSO).
type ComponentCase struct {
	TruongHop string  `json:"TRUONGHOP,omitempty"`
	GiayTo    []Paper `json:"GIAYTO,omitempty"`
}

// Paper is one paper of a case (GIAYTO).
type Paper struct {
	MaGiayTo   Text   `json:"MAGIAYTO"`
	TenGiayTo  string `json:"TENGIAYTO"`
	SoBanChinh Text   `json:"SOBANCHINH,omitempty"`
	SoBanSao   Text   `json:"SOBANSAO,omitempty"`
	TenMauDon  string `json:"TENMAUDON,omitempty"`
	URL        string `json:"URL,omitempty"`
}

// ResultRef is a result of a procedure (KETQUATHUCHIEN).
type ResultRef struct {
	MaKetQua  Text   `json:"MAKETQUA"`
	TenKetQua string `json:"TENKETQUA"`
}

// ProcedureRecord is one procedure as LayThuTuc answers it.
type ProcedureRecord struct {
	MaTTHC      string          `json:"MATTHC"`
	TenTTHC     string          `json:"TENTTHC"`
	LinhVuc     []FieldRef      `json:"LINHVUCTHUCHIEN,omitempty"`
	CapThucHien Levels          `json:"CAPTHUCHIEN,omitempty"`
	CachThuc    []Way           `json:"CACHTHUCTHUCHIEN,omitempty"`
	CanCu       []LegalRef      `json:"CANCUPHAPLY,omitempty"`
	ThanhPhan   []ComponentCase `json:"THANHPHANHOSO,omitempty"`
	KetQua      []ResultRef     `json:"KETQUATHUCHIEN,omitempty"`
	TrangThai   Text            `json:"TRANGTHAI,omitempty"`
}

// NationalFields is what the national catalogue says of a procedure, in
// the catalogue's terms. Only what the answer carries and reads without
// guessing is set: "" or nil means "not said", never "empty".
type NationalFields struct {
	Code, Name, Field string
	Level             catalog.Level     // "" when not said or ambiguous
	Central           bool              // only central levels named: not the province's
	ProcessingTime    *catalog.Duration // in working days or hours
	Fees              []catalog.Fee     // nil: not said; empty: none
	LegalBasis        []string
	Components        []catalog.Component // the papers (for a new procedure's draft)
	Result            string
	InForce           bool
}

// Fields is what the list says of a procedure.
func (i ProcedureItem) Fields() NationalFields {
	f := NationalFields{Code: strings.TrimSpace(i.MaTTHC), Name: clean(i.TenTTHC), Field: clean(i.TenLinhVuc), InForce: inForce(i.TrangThai)}
	f.Level, f.Central = i.CapThucHien.Level()
	return f
}

// Fields is what the record says of a procedure, completed by its list
// item (the record's own values first).
func (r ProcedureRecord) Fields(item ProcedureItem) NationalFields {
	f := item.Fields()
	if name := clean(r.TenTTHC); name != "" {
		f.Name = name
	}
	for _, lv := range r.LinhVuc {
		if n := clean(lv.TenLinhVuc); n != "" {
			f.Field = n
			break
		}
	}
	if len(r.CapThucHien) > 0 {
		f.Level, f.Central = r.CapThucHien.Level()
	}
	f.InForce = f.InForce && inForce(r.TrangThai)
	if tl, ok := r.timeLimit(); ok {
		if d, ok := duration(tl); ok {
			f.ProcessingTime = &d
		}
		f.Fees = fees(tl.PhiLePhi)
	}
	for _, c := range r.CanCu {
		if s := legal(c); s != "" && !slices.Contains(f.LegalBasis, s) {
			f.LegalBasis = append(f.LegalBasis, s)
		}
	}
	f.Components = components(r.ThanhPhan)
	for _, k := range r.KetQua {
		if n := clean(k.TenKetQua); n != "" {
			f.Result = n
			break
		}
	}
	return f
}

func inForce(t Text) bool { return t == "" || t == "1" }

func clean(s string) string { return strings.Join(strings.Fields(vntext.NFC(s)), " ") }

// timeLimit is the time limit of the in-person channel (the one every
// procedure has), else of the first channel that states one.
func (r ProcedureRecord) timeLimit() (TimeLimit, bool) {
	var first *TimeLimit
	for i := range r.CachThuc {
		w := &r.CachThuc[i]
		if len(w.ThoiGian) == 0 {
			continue
		}
		if w.Kenh == "1" {
			return w.ThoiGian[0], true
		}
		if first == nil {
			first = &w.ThoiGian[0]
		}
	}
	if first == nil {
		return TimeLimit{}, false
	}
	return *first, true
}

// duration reads a time limit in working days or hours; half a day is 4
// working hours. Other units (months, calendar periods) are not read.
func duration(tl TimeLimit) (catalog.Duration, bool) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(string(tl.ThoiGianGiaiQuyet), ",", "."), 64)
	if err != nil || v <= 0 || v > 3650 {
		return catalog.Duration{}, false
	}
	unit := vntext.Fold(tl.DonViTinh)
	switch {
	case strings.HasPrefix(unit, "gio"):
		if v == math.Trunc(v) {
			return catalog.Duration{Hours: int(v)}, true
		}
	case strings.HasPrefix(unit, "ngay"):
		if v == math.Trunc(v) {
			return catalog.Duration{Days: int(v)}, true
		}
		if h := v * 8; h == math.Trunc(h) {
			return catalog.Duration{Hours: int(h)}, true
		}
	}
	return catalog.Duration{}, false
}

// fees are the fees of a time limit in đồng; nil when an amount cannot be
// read (a fee in another currency, "theo quy định"): better unsaid than
// wrong. Codes missing or repeated are numbered.
func fees(list []FeeRecord) []catalog.Fee {
	out := []catalog.Fee{}
	seen := map[string]bool{}
	for i, x := range list {
		amount, ok := money(string(x.SoTien))
		unit := vntext.Fold(x.DonVi)
		if !ok || (unit != "" && !strings.Contains(unit, "dong") && unit != "vnd") {
			return nil
		}
		code := strings.TrimSpace(string(x.MaPhiLePhi))
		if code == "" || seen[code] {
			code = fmt.Sprintf("LP%02d", i+1)
		}
		seen[code] = true
		name := clean(x.MoTa)
		if name == "" {
			name = "Phí, lệ phí"
		}
		out = append(out, catalog.Fee{Code: code, Name: name, Amount: amount})
	}
	return out
}

// money reads an amount in đồng: "50000", "50.000", "50,000", "0".
func money(s string) (int64, bool) {
	s = strings.NewReplacer(".", "", ",", "", " ", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil && v >= 0 && v <= 1e13
}

// legal writes a legal document as the catalogue does: "Luật Hộ tịch số
// 60/2014/QH13".
func legal(c LegalRef) string {
	name, no := clean(c.TenVanBan), clean(c.SoVanBan)
	switch {
	case no == "" || strings.Contains(name, no):
		return name
	case name == "":
		return no
	}
	return name + " số " + no
}

// components are the papers of the cases, once each; they are required
// when the procedure has one case only (with several, which apply is the
// applicant's case: the province decides).
func components(cases []ComponentCase) []catalog.Component {
	var out []catalog.Component
	seen := map[string]bool{}
	for _, c := range cases {
		for _, p := range c.GiayTo {
			name := clean(p.TenGiayTo)
			if name == "" {
				continue
			}
			code := strings.TrimSpace(string(p.MaGiayTo))
			if code == "" || seen[code] {
				code = fmt.Sprintf("TP%02d", len(out)+1)
			}
			if seen[code] {
				continue
			}
			seen[code] = true
			form := catalog.FormEither
			originals, _ := strconv.Atoi(string(p.SoBanChinh))
			copies, _ := strconv.Atoi(string(p.SoBanSao))
			switch {
			case originals > 0 && copies == 0:
				form = catalog.FormOriginal
			case copies > 0 && originals == 0:
				form = catalog.FormCopy
			}
			out = append(out, catalog.Component{Code: code, Name: name, Required: len(cases) == 1, Form: form, Template: clean(p.TenMauDon)})
		}
	}
	return out
}
