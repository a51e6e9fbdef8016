package dvcqg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua/errs"
)

// maxBatch is the most records one call may carry (the three-URL style
// sends progress 10 at a time; dossiers are sent in batches as well).
const maxBatch = 100

// dossierCode is the shape of MaHoSo: the platform's own codes
// (<agency ID>-<yyMMdd>-<5 digits>) and those of other systems (letters,
// digits, dots, dashes, slashes), at most 100 characters.
var dossierCode = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.\-_/]{2,99}$`)

// procedureCode is the shape of MaTTHC ("1.001193", "2.002154", "DEMO-…").
var procedureCode = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.\-_]{0,59}$`)

// Problems lists what is wrong with a record, in Vietnamese, by field.
type Problems []errs.FieldError

func (p *Problems) add(field, key, msg string) {
	*p = append(*p, errs.FieldError{Field: field, Key: key, Message: msg})
}

// Err is the problems as an Invalid error (nil when none).
func (p Problems) Err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return errs.InvalidFields("dvcqg.invalid", what+" không hợp lệ: "+p[0].Message, "invalid "+what, p)
}

func (p *Problems) date(field, v string, required bool) {
	if v == "" {
		if required {
			p.add(field, "required", "Thiếu "+field+".")
		}
		return
	}
	if _, err := ParseTime(v); err != nil {
		p.add(field, "invalid_date", field+": "+err.Error()+".")
	}
}

func (p *Problems) text(field, v string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		p.add(field, "required", "Thiếu "+field+".")
	case !utf8.ValidString(v):
		p.add(field, "invalid_text", field+" không phải văn bản UTF-8.")
	case utf8.RuneCountInString(v) > max:
		p.add(field, "too_long", fmt.Sprintf("%s dài quá %d ký tự.", field, max))
	}
}

func (p *Problems) code(field string, v Code, lo, hi int) {
	if int(v) < lo || int(v) > hi {
		p.add(field, "invalid_code", fmt.Sprintf("%s = %d không hợp lệ (%d–%d).", field, int(v), lo, hi))
	}
}

// Validate checks a dossier record as the portal's receiving side does:
// codes of the right shape, the status, channel and applicant type in
// their lists, dates in yyyyMMddHHmmss, lengths, and file addresses that
// can be downloaded.
func (d *Dossier) Validate() Problems {
	var p Problems
	if !dossierCode.MatchString(d.MaHoSo) {
		p.add("MaHoSo", "invalid_code", fmt.Sprintf("Mã hồ sơ %q không hợp lệ.", clip(d.MaHoSo, 40)))
	}
	if d.MaHoSoKhac != "" && !dossierCode.MatchString(d.MaHoSoKhac) {
		p.add("MaHoSoKhac", "invalid_code", "Mã hồ sơ khác không hợp lệ.")
	}
	if !procedureCode.MatchString(d.MaTTHC) {
		p.add("MaTTHC", "invalid_code", fmt.Sprintf("Mã thủ tục %q không hợp lệ.", clip(d.MaTTHC, 40)))
	}
	p.text("TenTTHC", d.TenTTHC, 1000, true)
	p.text("ChuHoSo", d.ChuHoSo, 300, true)
	p.text("TrichYeuHoSo", d.TrichYeuHoSo, maxSummary, false)
	p.text("DonViXuLy", d.DonViXuLy, 300, false)
	p.text("GhiChu", d.GhiChu, 2000, false)
	p.text("ThongTinKhac", d.ThongTinKhac, 1000, false)
	p.code("KenhThucHien", d.KenhThucHien, 1, 3)
	p.code("LoaiDoiTuong", d.LoaiDoiTuong, 1, 4)
	p.code("TrangThaiHoSo", d.TrangThaiHoSo, 1, 10)
	p.code("HinhThuc", d.HinhThuc, 0, 1)
	p.code("HoSoCoThanhPhanSoHoa", d.HoSoCoThanhPhanSoHoa, 0, 1)
	p.code("TaiKhoanDuocXacThucVoiVNeID", d.TaiKhoanDuocXacThucVoiVNeID, 0, 1)
	p.code("DuocThanhToanTrucTuyen", d.DuocThanhToanTrucTuyen, 0, 3)
	p.date("NgayNopHoSo", d.NgayNopHoSo, true)
	// A dossier past reception (any status but new and refused) has been
	// received; a refused one has its refusal date.
	received := d.TrangThaiHoSo != 1 && d.TrangThaiHoSo != 3
	p.date("NgayTiepNhan", d.NgayTiepNhan, received)
	p.date("NgayHenTra", d.NgayHenTra, false)
	p.date("NgayTra", d.NgayTra, d.TrangThaiHoSo == 10)
	p.date("NgayKetThucXuLy", d.NgayKetThucXuLy, false)
	p.date("NgayTuChoi", d.NgayTuChoi, false)
	for i, id := range d.DinhDanhCHS {
		f := fmt.Sprintf("DinhDanhCHS[%d]", i)
		p.code(f+".LoaiDinhDanh", id.LoaiDinhDanh, 1, 9)
		if !digits(id.SoDinhDanh, 9, 12) {
			p.add(f+".SoDinhDanh", "invalid_id", "Số định danh phải có 9 hoặc 12 chữ số.")
		}
	}
	for i, db := range d.DSKetNoiCSDL {
		if !procedureCode.MatchString(db.MaCSDL) {
			p.add(fmt.Sprintf("DSKetNoiCSDL[%d].MaCSDL", i), "invalid_code", "Mã cơ sở dữ liệu không hợp lệ.")
		}
	}
	for i, t := range d.TaiLieuNop {
		f := fmt.Sprintf("TaiLieuNop[%d]", i)
		p.text(f+".TepDinhKemId", t.TepDinhKemID, 200, true)
		p.text(f+".TenTepDinhKem", t.TenTepDinhKem, maxFileName, true)
		p.code(f+".DuocTaiSuDung", t.DuocTaiSuDung, 0, 2)
		p.code(f+".DuocLayTuKhoDMQG", t.DuocLayTuKhoDMQG, 0, 1)
		if t.DuocTaiSuDung == 2 && t.MaKetQuaThayThe == "" {
			p.add(f+".MaKetQuaThayThe", "required", "Tài liệu tái sử dụng kết quả (DuocTaiSuDung = 2) phải có MaKetQuaThayThe.")
		}
		if t.DuongDan != "" && !downloadable(t.DuongDan) {
			p.add(f+".DuongDanTaiTepTin", "invalid_url", "Đường dẫn tệp phải là địa chỉ http(s) tải được.")
		}
	}
	for i, f := range d.DanhSachLePhi {
		n := fmt.Sprintf("DanhSachLePhi[%d]", i)
		p.text(n+".TenPhiLePhi", f.TenPhiLePhi, 500, true)
		if f.Gia < 0 || f.Gia > 1_000_000_000_000 {
			p.add(n+".Gia", "invalid_amount", "Số tiền không hợp lệ.")
		}
	}
	for i, s := range d.HoSoBoSung {
		n := fmt.Sprintf("DanhSachHoSoBoSung[%d]", i)
		p.text(n+".HoSoBoSungId", s.HoSoBoSungID, 200, true)
		p.date(n+".NgayBoSung", s.NgayBoSung, true)
		p.date(n+".NgayTiepNhanBoSung", s.NgayTiepNhanBoSung, false)
	}
	for i, g := range d.GiayToKetQua {
		n := fmt.Sprintf("DanhSachGiayToKetQua[%d]", i)
		p.text(n+".TenGiayTo", g.TenGiayTo, 1000, true)
		if g.DuongDan != "" && !downloadable(g.DuongDan) {
			p.add(n+".DuongDanTepTinKetQua", "invalid_url", "Đường dẫn kết quả phải là địa chỉ http(s) tải được.")
		}
	}
	return p
}

// Validate checks a progress entry.
func (e *Progress) Validate() Problems {
	var p Problems
	if !dossierCode.MatchString(e.MaHoSo) {
		p.add("MaHoSo", "invalid_code", fmt.Sprintf("Mã hồ sơ %q không hợp lệ.", clip(e.MaHoSo, 40)))
	}
	p.text("NguoiXuLy", e.NguoiXuLy, maxHandlerLen, true)
	p.text("ChucDanh", e.ChucDanh, 200, false)
	p.text("PhongBanXuLy", e.PhongBanXuLy, 300, false)
	p.text("NoiDungXuLy", e.NoiDungXuLy, maxSummary, true)
	p.date("ThoiDiemXuLy", e.ThoiDiemXuLy, true)
	p.date("NgayBatDau", e.NgayBatDau, false)
	p.date("NgayKetThucTheoQuyDinh", e.NgayKetThucTheoQuyDinh, false)
	p.code("TrangThai", e.TrangThai, 1, 10)
	return p
}

// DecodeDossiers reads a JSON array of dossier records (the three-URL
// style's body, the adapter style's data), refusing unknown fields' types,
// trailing data and batches over the limit.
func DecodeDossiers(b []byte) ([]Dossier, error) { return decodeBatch[Dossier](b, "hồ sơ") }

// DecodeProgress reads a JSON array of progress entries.
func DecodeProgress(b []byte) ([]Progress, error) { return decodeBatch[Progress](b, "tiến độ") }

func decodeBatch[T any](b []byte, what string) ([]T, error) {
	var out []T
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&out); err != nil {
		return nil, errs.New(errs.Invalid, "dvcqg.malformed", "Dữ liệu "+what+" không phải mảng JSON hợp lệ: "+clip(err.Error(), 200), "malformed "+what+" batch")
	}
	if dec.More() {
		return nil, errs.New(errs.Invalid, "dvcqg.malformed", "Dữ liệu "+what+" có phần thừa sau mảng JSON.", "trailing data")
	}
	if len(out) == 0 {
		return nil, errs.New(errs.Invalid, "dvcqg.empty", "Không có "+what+" nào để đồng bộ.", "empty batch")
	}
	if len(out) > maxBatch {
		return nil, errs.New(errs.Invalid, "dvcqg.batch_too_large", fmt.Sprintf("Mỗi lần gửi tối đa %d %s.", maxBatch, what), "batch too large")
	}
	return out, nil
}

func digits(s string, lens ...int) bool {
	ok := false
	for _, n := range lens {
		ok = ok || len(s) == n
	}
	if !ok {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func downloadable(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}
