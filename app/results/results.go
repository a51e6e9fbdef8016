package results

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/printform"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// VerifyPath is where the public verification page of a result lives:
// PublicURL + VerifyPath + result ID.
const VerifyPath = "/xac-thuc/"

// resultReason is the /Reason of a result's signature; it names the result
// ID so that an uploaded copy can be matched with the stored result.
const resultReason = "Kết quả giải quyết thủ tục hành chính, mã xác thực "

var reasonID = regexp.MustCompile(`mã xác thực (\S{1,200})$`)

// PKI returns the province's PKI (nil when results are not signed here).
func (s *Service) PKI() *pki.Authority { return s.pki }

// IssueResult generates the dossier's result document, signs it as the
// competent agency's signature mode says (resultSigner: its seal
// certificate, issued first if the agency has none and the CA key is
// here, or the personal certificate of the official who signs), records
// it on d and returns the signed PDF, which
// is stored by the transaction that records the result (ResultIssued),
// never before. Act runs it before its transaction on a copy of the
// dossier (see PrepareResult) and inside it only when the dossier changed
// meanwhile: any failure fails the action.
//
// An agency's certificate issued here stays when the action then fails:
// it is the agency's, on record in the PKI directory and used for its next
// signature, not a by-product of this dossier (see pki.SignerOrIssue).
func (s *Service) IssueResult(ctx context.Context, tx procedureReader, d *dossier.Dossier, now time.Time) ([]byte, error) {
	fail := func(err error) error {
		return errs.Wrap(errs.Unavailable, "result.sign", "Không tạo hoặc ký số được kết quả điện tử của hồ sơ: "+err.Error(),
			"could not issue the signed result", err)
	}
	if s.files == nil {
		return nil, fail(errors.New("kho tệp chưa được cấu hình"))
	}
	p, err := tx.Procedure(ctx, d.ProcedureCode)
	if err != nil {
		return nil, fmt.Errorf("result of %s: %w", d.Code, err)
	}
	tok := make([]byte, 12)
	if _, err := rand.Read(tok); err != nil {
		return nil, fail(err)
	}
	id := d.Code + "." + hex.EncodeToString(tok)
	name := p.Result.Name
	if strings.TrimSpace(name) == "" {
		name = "Kết quả giải quyết thủ tục hành chính"
	}
	ag := s.prov.PrintAgency(ctx, d.CompetentAgency, "")
	mode, err := s.signatureMode(ctx, d.CompetentAgency)
	if err != nil {
		return nil, fail(err)
	}
	signer := s.signerOf(ctx, d)
	verify := s.publicURL + VerifyPath + id
	res := &dossier.Result{ID: id, Name: name, SignedAt: now, AgencyID: d.CompetentAgency, Signer: signer.Name, SignerTitle: signer.Title,
		SignatureMode: string(mode)}
	// Who signs is settled first: a result that cannot be signed as the
	// agency's mode says takes no number.
	sig, err := s.resultSigner(ctx, d, mode, ag, signer, now)
	if errs.KindOf(err) == errs.Conflict { // no signer: said as is
		return nil, err
	}
	if err != nil {
		return nil, fail(err)
	}
	var pdf []byte
	if tpl, ok := templates[p.Result.Template]; ok {
		pdf, err = s.certificate(ctx, tx, d, tpl, ag, signer, verify, res, false)
	} else {
		pdf, err = printform.ResultDocument(printform.Result{
			Agency: ag, Dossier: PrintDossier(d), Title: name, Fields: genericFields(p, d),
			IssuedAt: now, Signer: signer, VerifyURL: verify,
		})
	}
	if err != nil {
		if errors.Is(err, errNeedsTx) || errors.Is(err, errNoData) {
			return nil, err
		}
		return nil, fail(err)
	}
	signed, err := pki.SignPDF(pdf, sig, resultReason+id, s.Province.ShortName(), now)
	if err != nil {
		return nil, fail(err)
	}
	if int64(len(signed)) > s.files.MaxSize() { // the file store would refuse it after the commit
		return nil, fail(fmt.Errorf("tệp kết quả %d byte, lớn hơn mức %d byte của kho tệp", len(signed), s.files.MaxSize()))
	}
	sum := sha256.Sum256(signed)
	res.SHA256, res.Size = hex.EncodeToString(sum[:]), int64(len(signed))
	res.SignerSerial, res.SignerName = pki.SerialString(sig.Cert.SerialNumber), sig.Cert.Subject.CommonName
	d.Result = res
	return signed, nil
}

// ResultIssued stores the signed PDF of a result in the transaction that
// records it, with its audit entry and outbox event, and writes the PDF to
// the file store once that transaction has committed.
//
// Why the bytes go through the database: a PDF written to the file store
// before the commit is an orphan if the transaction rolls back, and one
// written only after the commit is lost if the process stops in between,
// while the dossier says it has a result. Staged in the transaction
// (store.StagedFile), the PDF commits or rolls back with the dossier; the
// AfterCommit hook writes it to the file store and deletes the staged row;
// if that does not happen (a crash, a full disk), StoreStagedFiles at the
// next start, or the first read of the result (readBlob), does it. The
// cost is one row of about 25 KB (the signed PDF) in the write transaction
// and its delete, carried by the next write transaction
// (store.ForgetStagedFile) rather than one of its own; the PDF is still
// made and signed before the transaction (PrepareResult).
func (s *Service) ResultIssued(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier, pdf []byte) error {
	r := d.Result
	f := store.StagedFile{SHA256: r.SHA256, ContentType: "application/pdf", Content: pdf, CreatedAt: r.SignedAt}
	if err := tx.StageFile(ctx, f); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		if err := s.storeStaged(context.WithoutCancel(ctx), f, true); err != nil {
			s.Log.Error("result PDF kept staged in the database: written at the next start or first read", "dossier", d.Code, "sha256", f.SHA256, "error", err)
		}
	})
	details := map[string]any{"result_id": r.ID, "sha256": r.SHA256, "size": r.Size, "signer_serial": r.SignerSerial, "agency_id": r.AgencyID,
		"signature_mode": r.SignatureMode, "signer_name": r.SignerName}
	if p, err := tx.Procedure(ctx, d.ProcedureCode); err == nil {
		if read := dataRead(p.Result.Template, d); read != nil {
			details["data_read"] = read // the applicant's record the result was drawn from
		}
	}
	if err := s.Record(ctx, tx, ac, "dossier.result_issued", "dossier:"+d.Code, details); err != nil {
		return err
	}
	if err := s.writeBack(ctx, tx, ac, d); err != nil {
		return err
	}
	payload, err := json.Marshal(map[string]any{"code": d.Code, "result_id": r.ID, "sha256": r.SHA256, "signed_at": r.SignedAt,
		"signer_serial": r.SignerSerial, "signature_mode": r.SignatureMode, "competent_agency": d.CompetentAgency, "version": d.Version})
	if err != nil {
		return err
	}
	return tx.AppendOutbox(ctx, store.OutboxEvent{At: r.SignedAt, Topic: "dossier.result_issued", Key: fmt.Sprintf("%s/%d/result", d.Code, d.Version), Payload: payload})
}

// ResultPDF returns the signed result of a dossier to those who may see
// the dossier; the read is audited.
func (s *Service) ResultPDF(ctx context.Context, ac identity.Actor, code string) (dossier.Result, []byte, error) {
	d, err := s.db.Dossier(ctx, code)
	if err != nil {
		return dossier.Result{}, nil, err
	}
	notFound := errs.New(errs.NotFound, "result.not_found", "Hồ sơ chưa có kết quả điện tử.", "no electronic result")
	if !dossier.VisibleTo(&d, ac) {
		if ac.Account == nil {
			return dossier.Result{}, nil, ac.Require(identity.PermDossierHandle, "")
		}
		return dossier.Result{}, nil, dossier.NotFound(code)
	}
	if d.Result == nil {
		return dossier.Result{}, nil, notFound
	}
	b, err := s.readBlob(ctx, d.Result.SHA256)
	if err != nil {
		return dossier.Result{}, nil, err
	}
	if err := s.RecordRead(ctx, ac, "dossier.result.read", "dossier:"+code, map[string]any{"result_id": d.Result.ID}); err != nil {
		return dossier.Result{}, nil, err
	}
	return *d.Result, b, nil
}

// readBlob reads a result's PDF from the file store or, if it is still
// staged (its transaction committed but it was not written yet), from the
// database, writing it to the file store on the way.
func (s *Service) readBlob(ctx context.Context, sum string) ([]byte, error) {
	if s.files == nil {
		return nil, errs.New(errs.Unavailable, "file.store", "Kho tệp chưa được cấu hình.", "no file store")
	}
	f, err := s.files.Open(sum)
	if errs.KindOf(err) == errs.NotFound {
		if sf, serr := s.db.StagedFile(ctx, sum); serr == nil {
			if err := s.storeStaged(ctx, sf, true); err != nil {
				s.Log.Error("result PDF kept staged in the database", "sha256", sum, "error", err)
			}
			return sf.Content, nil
		}
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read result %s: %w", sum, err)
	}
	return b, nil
}

// ResultFacts are the public facts of a result: no personal data but the
// applicant's partly masked name.
type ResultFacts struct {
	ID, Code, ProcedureCode, ProcedureName, ResultName string
	Applicant                                          string // the holder (the child of a birth certificate), masked
	Number                                             string // in the agency's register series
	Signer                                             string // title and name of who signed
	Agency                                             string
	IssuedAt                                           time.Time
	SHA256                                             string
	// Personal: signed with the signer's personal certificate, not with
	// the agency's seal certificate.
	Personal bool
}

// Verification is what a verification found.
type Verification struct {
	Report pki.Report
	// Err is set when the file carries no signature to check (or is no
	// PDF); Report is then empty.
	Err error
	// Result is the stored result the file is (or claims to be).
	Result *ResultFacts
	// Matches: the file is byte for byte the stored result.
	Matches bool
}

// Valid reports whether the signature verified and, if a stored result
// was named, the file is that result.
func (v Verification) Valid() bool {
	return v.Err == nil && v.Report.Valid() && (v.Result == nil || v.Matches)
}

var errNoResult = errs.New(errs.NotFound, "result.not_found", "Không có kết quả điện tử với mã xác thực này.", "no such result")

// resultByID finds a stored result by its ID, comparing the token in
// constant time.
func (s *Service) resultByID(ctx context.Context, id string) (*dossier.Dossier, error) {
	i := strings.LastIndexByte(id, '.')
	if i <= 0 || len(id) > 200 {
		return nil, errNoResult
	}
	d, err := s.db.Dossier(ctx, id[:i])
	if errs.KindOf(err) == errs.NotFound {
		return nil, errNoResult
	}
	if err != nil {
		return nil, err
	}
	if d.Result == nil || subtle.ConstantTimeCompare([]byte(d.Result.ID), []byte(id)) != 1 {
		return nil, errNoResult
	}
	return &d, nil
}

func maskName(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		if i == 0 || i == len(words)-1 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		words[i] = string(r) + "."
	}
	if n := len(words); n > 1 {
		r, _ := utf8.DecodeRuneInString(words[n-1])
		words[n-1] = string(r) + "***"
	}
	return strings.Join(words, " ")
}

func (s *Service) factsOf(ctx context.Context, d *dossier.Dossier) *ResultFacts {
	holder := d.Applicant.Name
	if d.Result.HolderName != "" {
		holder = d.Result.HolderName
	}
	f := &ResultFacts{ID: d.Result.ID, Code: d.Code, ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName, ResultName: d.Result.Name,
		Applicant: maskName(holder), Agency: d.Result.SignerName, IssuedAt: d.Result.SignedAt, SHA256: d.Result.SHA256, Number: d.Result.Number}
	if d.Result.Signer != "" {
		f.Signer = d.Result.SignerTitle + " " + d.Result.Signer
	}
	if f.Personal = d.Result.SignatureMode == string(unit.SignPersonal); f.Personal {
		// The certificate names the official: the agency is the directory's.
		if f.Agency = s.prov.AgencyRef(ctx, d.Result.AgencyID).Name; f.Agency == "" {
			f.Agency = d.Result.AgencyID
		}
	}
	return f
}

func (s *Service) verify(pdf []byte) (pki.Report, error, error) {
	if s.pki == nil {
		return pki.Report{}, nil, errs.New(errs.Unavailable, "pki.off", "Chưa cấu hình hạ tầng khóa công khai để xác thực.", "no PKI configured")
	}
	now := s.Now()
	crl, err := s.pki.CRL(now)
	if err != nil {
		return pki.Report{}, nil, fmt.Errorf("verify: %w", err)
	}
	rep, verr := pki.VerifyPDF(pdf, s.pki.Roots(), crl, now)
	return rep, verr, nil
}

// VerifyResult verifies a stored result for its public page (anyone with
// its ID, printed as QR code on it).
func (s *Service) VerifyResult(ctx context.Context, id string) (Verification, error) {
	d, err := s.resultByID(ctx, strings.TrimSpace(id))
	if err != nil {
		return Verification{}, err
	}
	b, err := s.readBlob(ctx, d.Result.SHA256)
	if err != nil {
		return Verification{}, err
	}
	rep, verr, err := s.verify(b)
	if err != nil {
		return Verification{}, err
	}
	sum := sha256.Sum256(b)
	return Verification{Report: rep, Err: verr, Result: s.factsOf(ctx, d), Matches: hex.EncodeToString(sum[:]) == d.Result.SHA256}, nil
}

// VerifyUpload verifies a PDF someone received: its signature and, when
// the signature names a stored result, whether the file is that result.
// Any bytes are accepted (the verdict says what is wrong).
func (s *Service) VerifyUpload(ctx context.Context, pdf []byte) (Verification, error) {
	rep, verr, err := s.verify(pdf)
	if err != nil {
		return Verification{}, err
	}
	v := Verification{Report: rep, Err: verr}
	if m := reasonID.FindStringSubmatch(rep.Reason); m != nil {
		d, err := s.resultByID(ctx, m[1])
		switch {
		case err == nil:
			v.Result = s.factsOf(ctx, d)
			sum := sha256.Sum256(pdf)
			v.Matches = subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(d.Result.SHA256)) == 1
		case errs.KindOf(err) != errs.NotFound:
			return Verification{}, err
		}
	}
	return v, nil
}

// procedureReader reads the catalogue (the store or a transaction).
type procedureReader interface {
	Procedure(ctx context.Context, code string) (catalog.Procedure, error)
}

// Signed is a result made and signed before Act's transaction, from
// Version of the dossier; PDF is stored by the transaction (ResultIssued).
type Signed struct {
	Result  *dossier.Result
	PDF     []byte
	Version int
}

// PrepareResult issues the result of an action that will bring the dossier
// to status 9, outside the write transaction: making and signing the PDF
// takes tens of milliseconds, during which every other write would wait.
// It applies the action to a copy of the dossier as read now; Act uses the
// result only if the dossier's version is still the one read. Nothing is
// stored here. Any problem returns nil and Act issues the result inside its
// transaction instead.
func (s *Service) PrepareResult(ctx context.Context, ac identity.Actor, code string, req dossier.Request, now time.Time) *Signed {
	d, err := s.db.Dossier(ctx, code)
	if err != nil || !dossier.VisibleTo(&d, ac) || d.Status == dossier.StatusDone {
		return nil
	}
	version := d.Version
	cal, err := s.prov.AgencyCalendar(ctx, d.CompetentAgency)
	if err != nil {
		return nil
	}
	if err := dossier.Apply(&d, ac, req, dossier.Env{Now: now, Calendar: cal}); err != nil || d.Status != dossier.StatusDone {
		return nil
	}
	pdf, err := s.IssueResult(ctx, s.Store, &d, now)
	if err != nil {
		return nil
	}
	return &Signed{Result: d.Result, PDF: pdf, Version: version}
}

// storeStaged writes a staged file to the file store, then forgets it:
// with the next write transaction if later, at once if not (the sweep of
// StoreStagedFiles, which lists what is still staged). It is idempotent
// (the file store is content-addressed): the AfterCommit hook of
// ResultIssued, StoreStagedFiles and readBlob may race.
func (s *Service) storeStaged(ctx context.Context, f store.StagedFile, later bool) error {
	if s.files == nil {
		return errs.New(errs.Unavailable, "file.store", "Kho tệp chưa được cấu hình.", "no file store")
	}
	sum, _, _, err := s.files.Put(bytes.NewReader(f.Content), f.ContentType)
	if err != nil {
		return fmt.Errorf("write staged file %s: %w", f.SHA256, err)
	}
	if sum != f.SHA256 {
		return fmt.Errorf("write staged file %s: the file store computed %s", f.SHA256, sum)
	}
	if later {
		s.Store.ForgetStagedFile(f.SHA256)
		return nil
	}
	return s.Store.Update(ctx, func(tx store.Tx) error { return tx.DeleteStagedFile(ctx, f.SHA256) })
}

// StoreStagedFiles writes to the file store the files whose transaction
// committed but whose AfterCommit hook did not write them (the process
// stopped in between, or the write failed), and returns how many. Run it
// at start-up, before serving.
func (s *Service) StoreStagedFiles(ctx context.Context) (int, error) {
	n := 0
	for {
		list, err := s.db.StagedFiles(ctx, 50)
		if err != nil || len(list) == 0 {
			return n, err
		}
		for _, f := range list {
			if err := s.storeStaged(ctx, f, false); err != nil {
				return n, err
			}
			n++
		}
	}
}
