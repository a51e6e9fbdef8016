// Package dvcqg is the national public service portal's (Cổng Dịch vụ công
// quốc gia, DVCQG) dossier-sync format: the dossier record a provincial
// system pushes (HoSoDongBoDVC), its progress entries (QuaTrinhXuLy), their
// dates and codes, the mapping from a province's dossier, and the checks the
// receiving side applies to what it is sent.
//
// The field names and codes are those of public code of systems that sync
// to the portal (../shared/INTEROP.md, section a); what no official text
// confirms is marked provisional where it is used. The package is pure: no
// HTTP, no SQL.
package dvcqg

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
)

// TimeLayout is the portal's date format, yyyyMMddHHmmss in Vietnam time.
const TimeLayout = "20060102150405"

// FormatTime is t as the portal writes it ("" for the zero time).
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.VN).Format(TimeLayout)
}

// ParseTime reads a portal date (Vietnam time); "" is the zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(TimeLayout, s, calendar.VN)
	if err != nil {
		return time.Time{}, fmt.Errorf("ngày %q không đúng dạng yyyyMMddHHmmss", s)
	}
	if !calendar.InRange(t) {
		return time.Time{}, fmt.Errorf("ngày %q ngoài khoảng 1900–2199", s)
	}
	return t, nil
}

// Code is a numeric code (a status, a channel, a flag). Systems in use send
// it as a JSON string ("2") or a number (2); it is read from either and
// written as a string, the form the systems in use send (provisional: no
// official schema was found).
type Code int

// MarshalJSON writes the code as a string.
func (c Code) MarshalJSON() ([]byte, error) { return json.Marshal(strconv.Itoa(int(c))) }

// UnmarshalJSON reads "2", 2 or "" (zero).
func (c *Code) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*c = 0
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*c = 0
			return nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < -1000 || n > 1000000 {
		return fmt.Errorf("mã số %s không hợp lệ", s)
	}
	*c = Code(n)
	return nil
}

// Dossier is one dossier as pushed to the portal (HoSoDongBoDVC). Dates are
// FormatTime strings; optional fields are omitted when empty.
type Dossier struct {
	MaHoSo     string `json:"MaHoSo"`
	MaHoSoKhac string `json:"MaHoSoKhac,omitempty"`
	MaTTHC     string `json:"MaTTHC"`
	TenTTHC    string `json:"TenTTHC"`
	MaLinhVuc  string `json:"MaLinhVuc,omitempty"`
	TenLinhVuc string `json:"TenLinhVuc,omitempty"`

	KenhThucHien    Code         `json:"KenhThucHien"` // 1 in person, 2 online, 3 post
	ChuHoSo         string       `json:"ChuHoSo"`
	LoaiDoiTuong    Code         `json:"LoaiDoiTuong"` // 1 citizen, 2 enterprise, 3 state agency, 4 other
	MaDoiTuong      string       `json:"MaDoiTuong,omitempty"`
	SoGiayToChuHoSo string       `json:"SoGiayToChuHoSo,omitempty"`
	DinhDanhCHS     []Identity   `json:"DinhDanhCHS,omitempty"`
	ThongTinKhac    string       `json:"ThongTinKhac,omitempty"`
	Email           string       `json:"Email,omitempty"`
	Fax             string       `json:"Fax,omitempty"`
	SoDienThoai     string       `json:"SoDienThoai,omitempty"`
	TrichYeuHoSo    string       `json:"TrichYeuHoSo,omitempty"`
	NoiNopHoSo      string       `json:"NoiNopHoSo,omitempty"`
	DonViXuLy       string       `json:"DonViXuLy,omitempty"`
	GhiChu          string       `json:"GhiChu,omitempty"`
	ThongTinTra     string       `json:"ThongTinTra,omitempty"`
	HinhThuc        Code         `json:"HinhThuc"` // return method (provisional: 1 by post)
	TrangThaiHoSo   Code         `json:"TrangThaiHoSo"`
	NgayNopHoSo     string       `json:"NgayNopHoSo"`
	NgayTiepNhan    string       `json:"NgayTiepNhan,omitempty"`
	NgayHenTra      string       `json:"NgayHenTra,omitempty"`
	NgayTra         string       `json:"NgayTra,omitempty"`
	NgayKetThucXuLy string       `json:"NgayKetThucXuLy,omitempty"`
	NgayTuChoi      string       `json:"NgayTuChoi,omitempty"`
	Flags                        // HoSoCoThanhPhanSoHoa, TaiKhoanDuocXacThucVoiVNeID, DuocThanhToanTrucTuyen
	DSKetNoiCSDL    []Database   `json:"DSKetNoiCSDL,omitempty"`
	TaiLieuNop      []Document   `json:"TaiLieuNop,omitempty"`
	DanhSachLePhi   []Fee        `json:"DanhSachLePhi,omitempty"`
	TepKhac         []OtherFile  `json:"DanhSachTepDinhKemKhac,omitempty"`
	HoSoBoSung      []Supplement `json:"DanhSachHoSoBoSung,omitempty"`
	GiayToKetQua    []Result     `json:"DanhSachGiayToKetQua,omitempty"`
}

// Flags are the dossier's "0"/"1" flags and the online-payment code.
type Flags struct {
	HoSoCoThanhPhanSoHoa        Code `json:"HoSoCoThanhPhanSoHoa"`
	TaiKhoanDuocXacThucVoiVNeID Code `json:"TaiKhoanDuocXacThucVoiVNeID"`
	// DuocThanhToanTrucTuyen: 1 paid online on the portal, 2 through the
	// province's payment gateway, 3 otherwise (provisional, from the
	// systems in use and the Decision 766 formula document).
	DuocThanhToanTrucTuyen Code `json:"DuocThanhToanTrucTuyen"`
}

// Online-payment codes of DuocThanhToanTrucTuyen (provisional).
const (
	PaidOnPortal  Code = 1
	PaidByGateway Code = 2
	PaidOtherwise Code = 3
)

// Identity is an identity paper of the applicant (DinhDanhCHS): type 1 a
// 12-digit personal ID, 2 a 9-digit one (provisional), with its number.
type Identity struct {
	LoaiDinhDanh Code   `json:"LoaiDinhDanh"`
	SoDinhDanh   string `json:"SoDinhDanh"`
}

// Database is a shared database the dossier used (DSKetNoiCSDL.MaCSDL).
type Database struct {
	MaCSDL string `json:"MaCSDL"`
}

// Document is a file handed in (TaiLieuNop).
type Document struct {
	TepDinhKemID    string `json:"TepDinhKemId"`
	TenTepDinhKem   string `json:"TenTepDinhKem"`
	IsDeleted       bool   `json:"IsDeleted"`
	MaThanhPhanHoSo string `json:"MaThanhPhanHoSo"`
	DuongDan        string `json:"DuongDanTaiTepTin,omitempty"` // a downloadable URL on the province's public host
	DuocSoHoa       Code   `json:"DuocSoHoa"`
	// DuocTaiSuDung: 0 new; 1 reused; 2 reused with MaKetQuaThayThe, the
	// result that replaces the paper.
	DuocTaiSuDung    Code   `json:"DuocTaiSuDung"`
	MaKetQuaThayThe  string `json:"MaKetQuaThayThe,omitempty"`
	DuocLayTuKhoDMQG Code   `json:"DuocLayTuKhoDMQG"`
}

// Fee is a fee or charge (DanhSachLePhi). Gia is in VND.
type Fee struct {
	TenPhiLePhi  string `json:"TenPhiLePhi"`
	MaPhiLePhi   string `json:"MaPhiLePhi,omitempty"`
	HinhThucThu  Code   `json:"HinhThucThu"`
	Gia          int64  `json:"Gia"`
	LoaiPhiLePhi Code   `json:"LoaiPhiLePhi"`
}

// OtherFile is another paper handed in (DanhSachTepDinhKemKhac).
type OtherFile struct {
	TenGiayTo  string `json:"TenGiayTo"`
	SoLuong    int    `json:"SoLuong"`
	LoaiGiayTo Code   `json:"LoaiGiayTo"`
}

// Supplement is one request for more papers (DanhSachHoSoBoSung).
type Supplement struct {
	HoSoBoSungID        string `json:"HoSoBoSungId"`
	NguoiYeuCauBoSung   string `json:"NguoiYeuCauBoSung"`
	NoiDungBoSung       string `json:"NoiDungBoSung"`
	NgayBoSung          string `json:"NgayBoSung"`
	NguoiTiepNhanBoSung string `json:"NguoiTiepNhanBoSung,omitempty"`
	ThongTinTiepNhan    string `json:"ThongTinTiepNhan,omitempty"`
	NgayTiepNhanBoSung  string `json:"NgayTiepNhanBoSung,omitempty"`
	TrangThaiBoSung     Code   `json:"TrangThaiBoSung"` // 0 waiting, 1 handed in (provisional)
	NgayHenTraTruoc     string `json:"NgayHenTraTruoc,omitempty"`
	NgayHenTraMoi       string `json:"NgayHenTraMoi,omitempty"`
}

// Result is a result document (DanhSachGiayToKetQua).
type Result struct {
	TenGiayTo       string `json:"TenGiayTo"`
	MaThanhPhanHoSo string `json:"MaThanhPhanHoSo,omitempty"`
	GiayToID        string `json:"GiayToId"`
	DuongDan        string `json:"DuongDanTepTinKetQua"`
	MaGiayToKetQua  string `json:"MaGiayToKetQua,omitempty"`
}

// Progress is one step of the dossier's handling (QuaTrinhXuLy).
type Progress struct {
	MaHoSo                 string `json:"MaHoSo"`
	NguoiXuLy              string `json:"NguoiXuLy"` // at most 50 characters
	ChucDanh               string `json:"ChucDanh,omitempty"`
	ThoiDiemXuLy           string `json:"ThoiDiemXuLy"`
	PhongBanXuLy           string `json:"PhongBanXuLy,omitempty"`
	NoiDungXuLy            string `json:"NoiDungXuLy"`
	TrangThai              Code   `json:"TrangThai"`
	NgayBatDau             string `json:"NgayBatDau,omitempty"`
	NgayKetThucTheoQuyDinh string `json:"NgayKetThucTheoQuyDinh,omitempty"`
}

// Reply is the portal's answer: error_code "0" (or "00") and a message
// containing "thành công" on success.
type Reply struct {
	ErrorCode string `json:"error_code"`
	Message   string `json:"message"`
	// Session is the adapter style's login answer.
	Session string `json:"session,omitempty"`
	// Result carries a look-up's answer (TraCuuHoSo, LayThuTuc).
	Result json.RawMessage `json:"result,omitempty"`
}

// Reply codes and messages (the systems in use read "0"/"00", "3" and
// "-3" as handled, and look for "thành công" and "đã tồn tại").
const (
	CodeOK       = "0"
	CodeExists   = "3"
	CodeInvalid  = "-1"
	CodeAuth     = "-2"
	CodeNotFound = "-4"
)

// OK reports whether the reply accepts what was sent: error code 0/00, or
// the dossier already there (3, -3: handled, OpenCPS and the .NET system).
func (r Reply) OK() bool {
	switch strings.TrimSpace(r.ErrorCode) {
	case "0", "00", "3", "-3":
		return true
	}
	return false
}

// Exists reports whether the reply says the dossier is already there
// ("đã tồn tại"): the adding style then sends it as an update.
func (r Reply) Exists() bool {
	return strings.Contains(strings.ToLower(r.Message), "đã tồn tại")
}

// Key identifies a progress entry for de-duplication: the format carries
// no ID, so an entry delivered twice (a retry, a re-sync) is the same
// dossier, time, status, handler and content.
func (p Progress) Key() string {
	return strings.Join([]string{p.MaHoSo, p.ThoiDiemXuLy, strconv.Itoa(int(p.TrangThai)), p.NguoiXuLy, p.NoiDungXuLy}, "\x1f")
}
