package dvcqg

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/dossier"
)

// Source is what a dossier's record needs besides the dossier.
type Source struct {
	Mapping Mapping
	// AgencyName names an agency by its electronic ID ("" if unknown).
	AgencyName func(id string) string
	// FileURL is the downloadable address of a handed-in file on the
	// province's public host; "" leaves DuongDanTaiTepTin out.
	FileURL func(d *dossier.Dossier, c dossier.Component) string
	// ResultURL is the downloadable address of the signed result.
	ResultURL func(d *dossier.Dossier) string
	// VNeID: the applicant's account was verified through VNeID.
	VNeID bool
}

func (s Source) agency(id string) string {
	if s.AgencyName == nil || id == "" {
		return ""
	}
	return s.AgencyName(id)
}

// Maximum lengths the systems in use apply.
const (
	maxSummary    = 1000 // TrichYeuHoSo
	maxFileName   = 4000 // TenTepDinhKem
	maxHandlerLen = 50   // NguoiXuLy
)

// FromDossier is the record of d the portal is sent: codes mapped, dates
// in its format, the databases used, the papers handed in (reused or taken
// from the personal store flagged), fees, supplements and the result.
func FromDossier(d *dossier.Dossier, src Source) Dossier {
	m := src.Mapping
	r := Dossier{
		MaHoSo: d.Code, MaTTHC: m.Procedure(d.ProcedureCode), TenTTHC: d.ProcedureName,
		MaLinhVuc: m.Field(d.Field), TenLinhVuc: d.Field,
		KenhThucHien: Code(d.Channel), ChuHoSo: d.Applicant.Name, LoaiDoiTuong: applicantType(d.Applicant.Type),
		Email: d.Applicant.Email, SoDienThoai: d.Applicant.Phone, ThongTinKhac: d.Applicant.Address,
		TrichYeuHoSo:  clip(d.ProcedureName+" — "+d.Applicant.Name, maxSummary),
		DonViXuLy:     src.agency(d.CompetentAgency),
		GhiChu:        d.Reason,
		TrangThaiHoSo: m.Status(int(d.Status)),
		NgayNopHoSo:   FormatTime(d.SubmittedAt),
		NgayHenTra:    FormatTime(d.Deadline.Due),
	}
	if d.NationalCode != "" && d.NationalCode != d.Code {
		// Submitted on the portal under its own code: the portal's
		// systems keep the other code in MaHoSoKhac.
		r.MaHoSoKhac = d.NationalCode
	}
	if d.ReceivedAt != nil {
		r.NgayTiepNhan = FormatTime(*d.ReceivedAt)
	}
	if d.FinishedAt != nil {
		r.NgayKetThucXuLy = FormatTime(*d.FinishedAt)
	}
	if d.ReturnedAt != nil {
		r.NgayTra = FormatTime(*d.ReturnedAt)
	}
	if e, ok := d.LastEvent(dossier.ActRefuse); ok && d.Status == dossier.StatusRefused {
		r.NgayTuChoi = FormatTime(e.At)
	}
	switch {
	case d.Applicant.CitizenID != "":
		r.SoGiayToChuHoSo = d.Applicant.CitizenID
		r.DinhDanhCHS = []Identity{{LoaiDinhDanh: idType(d.Applicant.CitizenID), SoDinhDanh: d.Applicant.CitizenID}}
	case d.Applicant.TaxCode != "":
		r.SoGiayToChuHoSo = d.Applicant.TaxCode
	}
	if src.VNeID || d.Applicant.VNeID {
		r.TaiKhoanDuocXacThucVoiVNeID = 1
	}
	r.MaDoiTuong = d.Applicant.TechID
	r.DuocThanhToanTrucTuyen = PaidOtherwise
	if p := d.Payment; p != nil {
		// A payment taken at the counter (provider "counter") is not an
		// online one; a bank's or gateway's confirmation is.
		online := p.PaidAt != nil && p.Provider != "" && p.Provider != "counter"
		if online {
			r.DuocThanhToanTrucTuyen = PaidByGateway
		}
		for _, l := range p.Lines {
			// HinhThucThu and LoaiPhiLePhi: codes of the systems in use,
			// unconfirmed (provisional): 1 paid at the counter, 2 online;
			// 1 a fee or charge.
			how := Code(1)
			if online {
				how = 2
			}
			r.DanhSachLePhi = append(r.DanhSachLePhi, Fee{TenPhiLePhi: l.Name, MaPhiLePhi: l.Code, HinhThucThu: how, Gia: l.Amount, LoaiPhiLePhi: 1})
		}
	}
	for _, db := range d.Databases {
		r.DSKetNoiCSDL = append(r.DSKetNoiCSDL, Database{MaCSDL: m.Database(db)})
	}
	for i, c := range d.Components {
		doc := Document{TepDinhKemID: componentID(d, i, c), TenTepDinhKem: clip(c.Name, maxFileName), MaThanhPhanHoSo: c.Code, DuocSoHoa: 1}
		if c.FileID != "" && src.FileURL != nil {
			doc.DuongDan = src.FileURL(d, c)
		}
		switch {
		case c.DocumentID != "":
			doc.DuocTaiSuDung, doc.MaKetQuaThayThe = 2, c.DocumentID
		case c.Reused || c.Data != nil:
			doc.DuocTaiSuDung = 1
		}
		if c.FromStore {
			doc.DuocLayTuKhoDMQG = 1
		}
		r.TaiLieuNop = append(r.TaiLieuNop, doc)
	}
	if len(d.Components) > 0 {
		r.HoSoCoThanhPhanSoHoa = 1
	}
	r.HoSoBoSung = supplements(d, src)
	if res := d.Result; res != nil {
		g := Result{TenGiayTo: res.Name, GiayToID: res.ID, MaGiayToKetQua: res.ID}
		if src.ResultURL != nil {
			g.DuongDan = src.ResultURL(d)
		}
		r.GiayToKetQua = []Result{g}
	}
	return r
}

// componentID names a handed-in paper: its file, its personal-store
// document, or its shared-database record.
func componentID(d *dossier.Dossier, i int, c dossier.Component) string {
	switch {
	case c.FileID != "":
		return c.FileID
	case c.DocumentID != "":
		return c.DocumentID
	}
	return fmt.Sprintf("%s-TP%d", d.Code, i+1)
}

// supplements pairs each request for papers with the hand-in that answered
// it.
func supplements(d *dossier.Dossier, src Source) []Supplement {
	var out []Supplement
	for _, e := range d.History {
		switch e.Action {
		case dossier.ActRequestSupplement:
			out = append(out, Supplement{HoSoBoSungID: fmt.Sprintf("%s-BS%d", d.Code, len(out)+1), NguoiYeuCauBoSung: e.Actor,
				NoiDungBoSung: e.Note, NgayBoSung: FormatTime(e.At)})
		case dossier.ActSupplement:
			if n := len(out); n > 0 && out[n-1].TrangThaiBoSung == 0 {
				out[n-1].TrangThaiBoSung = 1
				out[n-1].NgayTiepNhanBoSung = FormatTime(e.At)
				out[n-1].NguoiTiepNhanBoSung = e.Actor
				out[n-1].ThongTinTiepNhan = src.agency(e.AgencyID)
			}
		}
	}
	return out
}

// ProgressOf is the dossier's handling, one entry per event of its
// history in order: who, when, what, and the status it left the dossier
// in; the step's start and due when the event acted on a step.
func ProgressOf(d *dossier.Dossier, src Source) []Progress {
	out := make([]Progress, 0, len(d.History))
	for _, e := range d.History {
		p := Progress{MaHoSo: d.Code, NguoiXuLy: clip(e.Actor, maxHandlerLen), ThoiDiemXuLy: FormatTime(e.At),
			PhongBanXuLy: src.agency(e.AgencyID), NoiDungXuLy: content(e), TrangThai: src.Mapping.Status(int(e.To))}
		if p.NguoiXuLy == "" {
			p.NguoiXuLy = "Hệ thống"
		}
		if e.Step >= 0 && e.Step < len(d.Steps) {
			s := d.Steps[e.Step]
			p.ChucDanh = s.Role.Vietnamese()
			if s.StartedAt != nil {
				p.NgayBatDau = FormatTime(*s.StartedAt)
			}
			p.NgayKetThucTheoQuyDinh = FormatTime(s.Deadline.Due)
		} else if e.Action == dossier.ActSubmit {
			p.ChucDanh = "Người nộp hồ sơ"
		}
		out = append(out, p)
	}
	return out
}

func content(e dossier.Event) string {
	s := dossier.ActionName(e.Action)
	if s != "" {
		s = upperFirst(s)
	}
	if e.Note != "" {
		s += ": " + e.Note
	}
	return clip(s, maxSummary)
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func applicantType(t dossier.ApplicantType) Code {
	if t == 0 {
		return Code(dossier.ApplicantCitizen)
	}
	return Code(t)
}

// idType is DinhDanhCHS.LoaiDinhDanh: 1 a 12-digit personal ID, 2 a
// 9-digit identity card (provisional, from the systems in use).
func idType(id string) Code {
	if len(id) == 9 {
		return 2
	}
	return 1
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
