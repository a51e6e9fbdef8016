package dossiers

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/codelist"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// Dossiers submitted on the national portal (DVCQG) for one of the
// province's procedures come in here (issue 13): over the API from the
// portal's service account, or from the portal's message stream. Each
// becomes a dossier like any online one — status 1, routed to its
// competent agency, waiting in the inbox of that agency's counter and of
// the counters receiving for the province — with the applicant as the
// portal asserted it and the papers fetched from the portal's file host.

// FileSource fetches the papers a national dossier names by URL
// (httpfetch.Fetcher): Allowed says beforehand whether an address may be
// fetched at all.
type FileSource interface {
	Allowed(u *url.URL) bool
	Fetch(ctx context.Context, rawURL string) (io.ReadCloser, string, error)
}

// NationalSubmission is a dossier submitted on the national portal as it
// is handed over: the portal's record and two optional fields that motcua
// adds to it (the record has none for them).
type NationalSubmission struct {
	dvcqg.Dossier
	// MaXa is the commune (5-digit code) whose People's Committee decides
	// a commune-level procedure: motcua's extension, optional (default: the
	// commune of the applicant's account here, if linked).
	MaXa string `json:"MaXa,omitempty"`
	// ToKhai is the declaration as filled in on the portal, checked
	// against the province's form of the procedure when given: motcua's
	// extension, optional (the portal's sync record carries no
	// declaration; without one the counter takes the papers as they are).
	ToKhai json.RawMessage `json:"ToKhai,omitempty"`
}

// MaxNationalSubmission is the most bytes of one submission's JSON.
const MaxNationalSubmission = 1 << 20

// DecodeNational reads one submission (a JSON object, nothing after it).
func DecodeNational(b []byte) (NationalSubmission, error) {
	var in NationalSubmission
	if len(b) > MaxNationalSubmission {
		return in, errs.New(errs.Invalid, "national.too_large", fmt.Sprintf("Hồ sơ gửi sang quá lớn (tối đa %d KB).", MaxNationalSubmission>>10), "submission too large")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&in); err != nil {
		return in, errs.Wrap(errs.Invalid, "national.malformed", "Hồ sơ gửi sang không phải đối tượng JSON hợp lệ: "+clip(err.Error(), 200), "malformed submission", err)
	}
	if dec.More() {
		return in, errs.New(errs.Invalid, "national.malformed", "Hồ sơ gửi sang có phần thừa sau đối tượng JSON.", "trailing data")
	}
	return in, nil
}

// NationalReceipt is what handing a dossier over made.
type NationalReceipt struct {
	Dossier dossier.Dossier
	// Existing: the national code was handed over before; that dossier
	// is returned and nothing new was made.
	Existing bool
}

// ReceiveNational takes in a dossier submitted on the national portal: the
// caller must hold identity.PermNationalInbound (the portal's service
// account) or be the platform. The record must be valid, new (status 1),
// online (channel 2), for one of the province's procedures in force (its
// MaTTHC, mapped back through the province's mapping); the applicant is
// the one the portal asserted, linked to the verified citizen account of
// the same ID if there is one; every paper is fetched from an allowed host
// and checked whole like an upload. The dossier is routed like any online
// one and stored with its audit entries and outbox event in one
// transaction. A national code already handed over returns that dossier.
func (s *Service) ReceiveNational(ctx context.Context, ac identity.Actor, in NationalSubmission) (NationalReceipt, error) {
	if err := ac.Require(identity.PermNationalInbound, ""); err != nil {
		return NationalReceipt{}, err
	}
	rec := &in.Dossier
	fe := []errs.FieldError(rec.Validate())
	if rec.TrangThaiHoSo != 1 {
		fe = append(fe, errs.FieldError{Field: "TrangThaiHoSo", Key: "not_new", Message: "Chỉ nhận hồ sơ mới đăng ký (TrangThaiHoSo = 1)."})
	}
	if rec.KenhThucHien != dvcqg.Code(dossier.ChannelOnline) {
		fe = append(fe, errs.FieldError{Field: "KenhThucHien", Key: "not_online", Message: "Hồ sơ nộp trên Cổng Dịch vụ công quốc gia phải là hồ sơ trực tuyến (KenhThucHien = 2)."})
	}
	if len(fe) > 0 {
		return NationalReceipt{}, nationalInvalid(fe)
	}
	if d, err := s.db.DossierByNationalCode(ctx, rec.MaHoSo); err == nil {
		return NationalReceipt{Dossier: d, Existing: true}, nil
	} else if errs.KindOf(err) != errs.NotFound {
		return NationalReceipt{}, fmt.Errorf("receive national dossier %s: %w", rec.MaHoSo, err)
	}
	p, err := s.nationalProcedure(ctx, rec.MaTTHC)
	if err != nil {
		return NationalReceipt{}, err
	}
	app, fe, err := s.nationalApplicant(ctx, &p, in)
	if err != nil {
		return NationalReceipt{}, err
	}
	form, codes, ffe, err := s.checkForm(&p, in.ToKhai)
	if err != nil {
		return NationalReceipt{}, err
	}
	if len(in.ToKhai) > 0 {
		fe = append(fe, renamed(ffe, "form", "ToKhai")...)
	}
	docs, ups, dfe := s.nationalPapers(&p, rec)
	fe = append(fe, dfe...)
	competent, stepAgencies, err := s.route(ctx, &p, app.CommuneCode, "")
	if e, ok := errs.As(err); ok && e.Kind == errs.Invalid {
		fe = append(fe, renamed(e.Fields, "commune_code", "MaXa")...)
	} else if err != nil {
		return NationalReceipt{}, fmt.Errorf("receive national dossier %s: %w", rec.MaHoSo, err)
	}
	if len(fe) > 0 {
		return NationalReceipt{}, nationalInvalid(fe)
	}

	files, err := s.fetchPapers(ctx, ac, rec, docs, ups)
	if err != nil {
		return NationalReceipt{}, err
	}
	out, err := s.storeNational(ctx, ac, &p, in, app, form, codes, ups, files, competent, stepAgencies)
	if err != nil {
		s.forgetPapers(ctx, files)
		if e, ok := errs.As(err); ok && e.Key == "dossier.national_exists" {
			// Handed over at the same moment by another delivery.
			if d, err := s.db.DossierByNationalCode(ctx, rec.MaHoSo); err == nil {
				return NationalReceipt{Dossier: d, Existing: true}, nil
			}
		}
		return NationalReceipt{}, fmt.Errorf("receive national dossier %s: %w", rec.MaHoSo, err)
	}
	return NationalReceipt{Dossier: out}, nil
}

func nationalInvalid(fe []errs.FieldError) error {
	return errs.InvalidFields("national.invalid", "Hồ sơ từ Cổng Dịch vụ công quốc gia chưa hợp lệ: "+fe[0].Message, "invalid national dossier", fe)
}

// renamed gives the problems of a field (and its sub-fields) the name the
// portal's record uses for it.
func renamed(fe []errs.FieldError, from, to string) []errs.FieldError {
	out := make([]errs.FieldError, len(fe))
	for i, e := range fe {
		if e.Field == from || strings.HasPrefix(e.Field, from+".") || strings.HasPrefix(e.Field, from+"[") {
			e.Field = to + strings.TrimPrefix(e.Field, from)
		}
		out[i] = e
	}
	return out
}

// nationalProcedure is the province's procedure of a MaTTHC: the local code
// the province's mapping maps to it, else the same code; it must be in the
// catalogue, in force and offered online.
func (s *Service) nationalProcedure(ctx context.Context, maTTHC string) (catalog.Procedure, error) {
	m, err := s.prov.NationalMapping(ctx)
	if err != nil {
		return catalog.Procedure{}, err
	}
	bad := func(key, msg string) error {
		return nationalInvalid([]errs.FieldError{{Field: "MaTTHC", Key: key, Message: msg}})
	}
	code := m.LocalProcedure(maTTHC)
	if code == "" {
		return catalog.Procedure{}, bad("unknown_procedure", fmt.Sprintf("Thủ tục %q không có trong danh mục thủ tục của tỉnh.", maTTHC))
	}
	p, err := s.prov.Procedure(ctx, code)
	switch {
	case errs.KindOf(err) == errs.NotFound:
		return p, bad("unknown_procedure", fmt.Sprintf("Thủ tục %q không có trong danh mục thủ tục của tỉnh.", maTTHC))
	case err != nil:
		return p, fmt.Errorf("procedure of %s: %w", maTTHC, err)
	case p.WithdrawnAt != nil:
		return p, bad("withdrawn", fmt.Sprintf("Thủ tục %q đã được bãi bỏ, không nhận hồ sơ mới.", maTTHC))
	case p.OnlineLevel == catalog.OnlineNone:
		return p, bad("not_online", fmt.Sprintf("Thủ tục %q chưa cung cấp dịch vụ công trực tuyến tại tỉnh.", maTTHC))
	}
	return p, nil
}

// nationalApplicant is the applicant as the portal asserted it: name, type,
// identity paper (a 12-digit personal ID, a tax code), contact; linked to
// the verified citizen account of the same ID, whose commune decides a
// commune-level procedure when the submission names none.
func (s *Service) nationalApplicant(ctx context.Context, p *catalog.Procedure, in NationalSubmission) (dossier.Applicant, []errs.FieldError, error) {
	rec := &in.Dossier
	app := dossier.Applicant{Type: dossier.ApplicantType(rec.LoaiDoiTuong), Name: rec.ChuHoSo, Address: strings.TrimSpace(rec.ThongTinKhac),
		CommuneCode: strings.TrimSpace(in.MaXa), Phone: strings.TrimSpace(rec.SoDienThoai), Email: strings.TrimSpace(rec.Email)}
	ids := []string{strings.TrimSpace(rec.SoGiayToChuHoSo)}
	for _, id := range rec.DinhDanhCHS {
		ids = append([]string{strings.TrimSpace(id.SoDinhDanh)}, ids...)
	}
	for _, id := range ids {
		switch {
		case app.Type == dossier.ApplicantCitizen && app.CitizenID == "" && identity.ValidCitizenID(id):
			app.CitizenID = id
		case app.Type == dossier.ApplicantEnterprise && app.TaxCode == "" && identity.ValidTaxCode(id):
			app.TaxCode = id
		}
	}
	fe := checkApplicant(&app)
	fe = renamed(renamed(renamed(fe, "applicant.name", "ChuHoSo"), "applicant.citizen_id", "DinhDanhCHS"), "applicant.type", "LoaiDoiTuong")
	if len(p.Applicants) > 0 && !containsKind(p.Applicants, app.Type) {
		fe = append(fe, errs.FieldError{Field: "LoaiDoiTuong", Key: "applicant_type", Message: fmt.Sprintf("Thủ tục %q không dành cho đối tượng này.", p.Name)})
	}
	if app.CitizenID != "" {
		id, err := s.verifiedCitizen(ctx, app.CitizenID)
		if err != nil {
			return app, nil, fmt.Errorf("receive national dossier: %w", err)
		}
		app.AccountID = id
		if id != 0 && app.CommuneCode == "" {
			if acc, err := s.db.Account(ctx, id); err == nil {
				app.CommuneCode = acc.CommuneCode
			}
		}
	}
	return app, fe, nil
}

func containsKind(kinds []string, t dossier.ApplicantType) bool {
	for _, k := range kinds {
		if k == applicantKind(t) {
			return true
		}
	}
	return false
}

// nationalPapers checks the papers handed in (TaiLieuNop, those not
// deleted) before anything is fetched: each names a component of the
// procedure and an address on an allowed host, and the required
// components are all there. It returns the papers' indexes in the record
// and their components, files not yet fetched.
func (s *Service) nationalPapers(p *catalog.Procedure, rec *dvcqg.Dossier) ([]int, []dossier.Component, []errs.FieldError) {
	var fe []errs.FieldError
	var docs []int
	var ups []dossier.Component
	for i, t := range rec.TaiLieuNop {
		if t.IsDeleted {
			continue
		}
		f := fmt.Sprintf("TaiLieuNop[%d].DuongDanTaiTepTin", i)
		u, err := url.Parse(t.DuongDan)
		switch {
		case t.DuongDan == "":
			fe = append(fe, errs.FieldError{Field: f, Key: "required", Message: "Thiếu đường dẫn tải tệp của thành phần hồ sơ: tỉnh chỉ nhận giấy tờ có tệp tải được."})
		case err != nil:
			fe = append(fe, errs.FieldError{Field: f, Key: "invalid_url", Message: "Đường dẫn tệp không hợp lệ."})
		case s.national == nil:
			// Checked when fetching: nothing can be fetched at all.
		case !s.national.Allowed(u):
			fe = append(fe, errs.FieldError{Field: f, Key: "host_not_allowed",
				Message: fmt.Sprintf("Máy chủ %q không nằm trong danh sách được phép tải tệp hồ sơ (--national-files-hosts).", u.Hostname())})
		}
		docs = append(docs, i)
		ups = append(ups, dossier.Component{Code: strings.TrimSpace(t.MaThanhPhanHoSo), FileID: "national-" + t.TepDinhKemID})
	}
	for _, e := range dossier.CheckComponents(p, ups) {
		var j int
		if n, _ := fmt.Sscanf(e.Field, "components[%d]", &j); n == 1 && j < len(docs) {
			e.Field = fmt.Sprintf("TaiLieuNop[%d].MaThanhPhanHoSo", docs[j])
		} else {
			e.Field = "TaiLieuNop"
		}
		fe = append(fe, e)
	}
	return docs, ups, fe
}

// fetchPapers fetches every paper into the file store, checked whole like
// an upload, and fills in its component; the files are not recorded yet
// (storeNational does, with the dossier). A paper refused (its host's
// answer, its content) is a problem of its field, all listed at once; a
// host that cannot be reached stops the whole. Nothing fetched stays in
// the file store on failure.
func (s *Service) fetchPapers(ctx context.Context, ac identity.Actor, rec *dvcqg.Dossier, docs []int, ups []dossier.Component) ([]blob.File, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	if s.files == nil {
		return nil, errs.New(errs.Unavailable, "file.store", "Kho tệp chưa được cấu hình.", "no file store")
	}
	if s.national == nil {
		return nil, errs.New(errs.Unavailable, "national.files", "Tỉnh chưa cấu hình tải tệp hồ sơ từ Cổng Dịch vụ công quốc gia.", "no national file source configured")
	}
	var files []blob.File
	var fe []errs.FieldError
	for j, i := range docs {
		t := rec.TaiLieuNop[i]
		f, err := s.fetchPaper(ctx, ac, t)
		if e, ok := errs.As(err); ok && e.Kind == errs.Invalid {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("TaiLieuNop[%d].DuongDanTaiTepTin", i), Key: e.Key, Message: e.Message})
			continue
		}
		if err != nil {
			s.forgetPapers(ctx, files)
			return nil, fmt.Errorf("fetch %s of national dossier %s: %w", t.TepDinhKemID, rec.MaHoSo, err)
		}
		files = append(files, f)
		ups[j].FileID, ups[j].SHA256, ups[j].Size, ups[j].ContentType = f.ID, f.SHA256, f.Size, f.ContentType
	}
	if len(fe) > 0 {
		s.forgetPapers(ctx, files)
		return nil, nationalInvalid(fe)
	}
	return files, nil
}

func (s *Service) fetchPaper(ctx context.Context, ac identity.Actor, t dvcqg.Document) (blob.File, error) {
	body, ctype, err := s.national.Fetch(ctx, t.DuongDan)
	if err != nil {
		return blob.File{}, err
	}
	defer body.Close()
	sum, size, ctype, err := s.files.Put(body, ctype)
	if err != nil {
		return blob.File{}, err
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return blob.File{ID: hex.EncodeToString(b), SHA256: sum, Size: size, ContentType: ctype, Name: clip(strings.TrimSpace(t.TenTepDinhKem), 500),
		OwnerID: ac.ID(), CreatedAt: s.Now()}, nil
}

// forgetPapers removes fetched files from the file store unless something
// else refers to the same content.
func (s *Service) forgetPapers(ctx context.Context, files []blob.File) {
	for _, f := range files {
		if ref, err := s.db.FileContentReferenced(ctx, f.SHA256); err == nil && !ref {
			_ = s.files.Remove(f.SHA256)
		}
	}
}

// storeNational makes and stores the dossier with its files, audit entries
// and outbox event in one transaction.
func (s *Service) storeNational(ctx context.Context, ac identity.Actor, p *catalog.Procedure, in NationalSubmission, app dossier.Applicant,
	form json.RawMessage, codes []codelist.Value, ups []dossier.Component, files []blob.File, competent string, stepAgencies []string) (dossier.Dossier, error) {
	rec := &in.Dossier
	now := s.Now()
	// The dossier counts from its submission on the portal (never from
	// the future); it is numbered the day the province takes it in.
	submitted := now
	if t, err := dvcqg.ParseTime(rec.NgayNopHoSo); err == nil && !t.IsZero() && !t.After(now) {
		submitted = t
	}
	d, err := dossier.New(p, app, form, ups, dossier.ChannelOnline, "", competent, stepAgencies, submitted)
	if err != nil {
		return dossier.Dossier{}, err
	}
	d.NameAgencies(s.agencyName(ctx))
	// Who handed it over is in the audit trail; SubmittedBy stays 0 so
	// that the portal's account reads none of the applicant's data here.
	d.NationalCode, d.Codes = rec.MaHoSo, codes
	d.History[0].Note = "Nộp trên Cổng Dịch vụ công quốc gia, mã hồ sơ " + rec.MaHoSo
	m, err := s.prov.NationalMapping(ctx)
	if err != nil {
		return dossier.Dossier{}, err
	}
	for _, db := range rec.DSKetNoiCSDL {
		if code := m.LocalDatabase(db.MaCSDL); !containsString(d.Databases, code) {
			d.Databases = append(d.Databases, code)
		}
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		seq, err := tx.NextSequence(ctx, competent, dossier.SequenceDay(now))
		if err != nil {
			return err
		}
		d.Code = dossier.Code(competent, now, seq)
		for _, f := range files {
			if err := tx.CreateFile(ctx, f); err != nil {
				return err
			}
		}
		if err := tx.CreateDossier(ctx, d); err != nil {
			return err
		}
		if err := s.dossierChanged(ctx, tx, ac, d, dossier.ActSubmit); err != nil {
			return err
		}
		if err := s.notice(ctx, tx, d); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "dossier.national_receive", "dossier:"+d.Code, map[string]any{"national_code": rec.MaHoSo,
			"procedure": rec.MaTTHC, "files": len(files), "applicant_account": app.AccountID})
	})
	if err != nil {
		return dossier.Dossier{}, err
	}
	return *d, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NationalSubject is the JetStream subject on which the portal's dossiers
// for a province arrive.
func NationalSubject(provinceCode string) string {
	return "dvcqg." + provinceCode + ".dossier.submitted"
}

// NationalHandler is the consumer of NationalSubject: each message one
// NationalSubmission as JSON, taken in as ac (the platform, or the
// portal's service account). It returns nil once the dossier is in (new or
// handed over before); RetryNational tells the adapter whether an error is
// worth a redelivery.
func (s *Service) NationalHandler(ac identity.Actor) func(ctx context.Context, msg []byte) error {
	return func(ctx context.Context, msg []byte) error {
		in, err := DecodeNational(msg)
		if err != nil {
			return err
		}
		r, err := s.ReceiveNational(ctx, ac, in)
		if err != nil {
			return err
		}
		if !r.Existing {
			s.Log.Info("national dossier received", "national_code", in.MaHoSo, "code", r.Dossier.Code, "competent_agency", r.Dossier.CompetentAgency)
		}
		return nil
	}
}

// RetryNational reports whether a failed delivery may succeed later (the
// file host or the store were unavailable, an internal failure): other
// errors (an invalid record, an unknown procedure, a caller not allowed)
// will fail the same way every time, and the message is given up.
func RetryNational(err error) bool {
	if err == nil {
		return false
	}
	k := errs.KindOf(err)
	return k == errs.Unavailable || k == errs.Internal || errors.Is(err, context.DeadlineExceeded)
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
