package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

const pkiUsage = `usage:
  motcua pki init    [--dir DIR] [--data DIR | --db URL] [--province CODE] [--public-url URL] [--force]
  motcua pki sign    [--dir DIR] --agency ID [--reason TEXT] [--location TEXT] IN.pdf OUT.pdf
  motcua pki verify  [--dir DIR] FILE.pdf
  motcua pki revoke  [--dir DIR] [--reason keyCompromise|superseded|cessationOfOperation|affiliationChanged] SERIAL
  motcua pki list    [--dir DIR]`

// pkiNow is the clock of the pki commands (tests set it): Vietnam's time,
// so that /M and the messages read as local time wherever the host runs.
var pkiNow = func() time.Time { return time.Now().In(time.FixedZone("ICT", 7*3600)) }

func cmdPKI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return cli.UsageError(pkiUsage)
	}
	fs := flag.NewFlagSet("pki "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", envOr("MOTCUA_PKI", filepath.Join(envOr("MOTCUA_DATA", "data"), "pki")), "PKI directory: CA, agency certificates and keys, CRL [MOTCUA_PKI]")
	switch args[0] {
	case "init":
		var sf storeFlags
		sf.register(fs)
		publicURL := fs.String("public-url", os.Getenv("MOTCUA_PUBLIC_URL"), "public address; certificates point to URL"+pki.CRLPath+" for revocation (default: the one saved, or "+pki.DefaultPublicURL+") [MOTCUA_PUBLIC_URL]")
		force := fs.Bool("force", false, "make a new CA and new agency keys even where they exist")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return pkiInit(ctx, *dir, sf, *publicURL, *force, stdout)
	case "sign":
		agency := fs.String("agency", "", "electronic ID of the signing agency, e.g. 000.00.50.H01")
		reason := fs.String("reason", "Kết quả giải quyết thủ tục hành chính", "reason written in the signature")
		location := fs.String("location", "", "place written in the signature")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *agency == "" || fs.NArg() != 2 {
			return cli.UsageError(pkiUsage)
		}
		return pkiSign(*dir, *agency, *reason, *location, fs.Arg(0), fs.Arg(1), stdout)
	case "verify":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return cli.UsageError(pkiUsage)
		}
		return pkiVerify(*dir, fs.Arg(0), stdout, stderr)
	case "revoke":
		reason := fs.String("reason", "unspecified", "CRL reason")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return cli.UsageError(pkiUsage)
		}
		code, ok := map[string]int{"unspecified": pki.ReasonUnspecified, "keyCompromise": pki.ReasonKeyCompromise, "affiliationChanged": pki.ReasonAffiliationChanged,
			"superseded": pki.ReasonSuperseded, "cessationOfOperation": pki.ReasonCessationOfOperation}[*reason]
		if !ok {
			return cli.UsageError("unknown --reason " + *reason + "\n" + pkiUsage)
		}
		a, err := pki.Open(*dir)
		if err != nil {
			return err
		}
		is, err := a.Revoke(fs.Arg(0), code, pkiNow())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s (%s, %s); CRL re-issued: %s\n", is.Serial, is.AgencyID, is.Name, filepath.Join(*dir, "crl.pem"))
		return nil
	case "list":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		a, err := pki.Open(*dir)
		if err != nil {
			return err
		}
		certs, err := a.Certificates()
		if err != nil {
			return err
		}
		personal, err := a.PersonalCertificates()
		if err != nil {
			return err
		}
		for i := range personal { // officials' own, for agencies that sign results personally
			personal[i].Name += " (chứng thư cá nhân)"
		}
		certs = append(certs, personal...)
		crl, err := a.CRL(pkiNow())
		if err != nil {
			return err
		}
		revoked := map[string]bool{}
		for _, e := range crl.RevokedCertificateEntries {
			revoked[pki.SerialString(e.SerialNumber)] = true
		}
		for _, c := range certs {
			state := "valid"
			if revoked[c.Serial] {
				state = "REVOKED"
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\t%s\n", c.AgencyID, c.Serial, c.NotAfter.Format("2006-01-02"), state, c.Name)
		}
		return nil
	}
	return cli.UsageError(pkiUsage)
}

// pkiInit issues a certificate to every agency of the province the store
// knows (for the demo: after `motcua serve --demo`, the province committee,
// the service centre, the departments, police, social insurance and every
// commune's People's Committee — 141 for Hà Nội, a few hundred at most in
// any province, each an ECDSA key made in well under a millisecond, so all
// are issued at once rather than lazily).
func pkiInit(ctx context.Context, dir string, sf storeFlags, publicURL string, force bool, stdout io.Writer) error {
	units, err := unit.Load()
	if err != nil {
		return err
	}
	p, err := units.Province(sf.province)
	if err != nil {
		return err
	}
	if sf.db == "" {
		if _, err := os.Stat(filepath.Join(sf.data, sqlstore.SQLiteFile)); err != nil {
			return fmt.Errorf("pki init: no store in %s (run `motcua serve --demo` first, or give --data/--db): %w", sf.data, err)
		}
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Agencies(ctx, unit.AgencyFilter{})
	if err != nil {
		return fmt.Errorf("pki init: list agencies: %w", err)
	}
	var agencies []pki.Agency
	for _, ag := range list {
		if ag.ProvinceCode == "" || ag.ProvinceCode == p.Code {
			agencies = append(agencies, pki.Agency{ID: ag.ID, Name: ag.Name})
		}
	}
	if len(agencies) == 0 {
		return fmt.Errorf("pki init: the store has no agency of province %s (run `motcua serve --demo` first)", p.Code)
	}
	res, err := pki.InitProvince(dir, pki.Province{Code: p.Code, Name: p.Name}, agencies, pkiNow(), pki.Options{PublicURL: publicURL, Force: force})
	if err != nil {
		return err
	}
	verb := "kept"
	if res.CACreated {
		verb = "created"
	}
	fmt.Fprintf(stdout, "CA %s: %s (serial %s, valid until %s)\n", verb, res.CA.Subject.CommonName, pki.SerialString(res.CA.SerialNumber), res.CA.NotAfter.Format("2006-01-02"))
	for _, is := range res.Issued {
		fmt.Fprintf(stdout, "issued\t%s\t%s\t%s\n", is.AgencyID, is.Serial, is.Name)
	}
	fmt.Fprintf(stdout, "%d certificates issued, %d kept, in %s\n", len(res.Issued), len(res.Kept), dir)
	return nil
}

func pkiSign(dir, agency, reason, location, in, out string, stdout io.Writer) error {
	a, err := pki.Open(dir)
	if err != nil {
		return err
	}
	s, err := a.Signer(agency)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("pki sign: %w", err)
	}
	signed, err := pki.SignPDF(src, s, reason, location, pkiNow())
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, signed, 0o644); err != nil {
		return fmt.Errorf("pki sign: %w", err)
	}
	fmt.Fprintf(stdout, "signed by %s (%s): %s\n", s.Cert.Subject.CommonName, pki.SerialString(s.Cert.SerialNumber), out)
	return nil
}

// pkiVerify prints the report and fails (exit 1) unless every check passed.
func pkiVerify(dir, file string, stdout, stderr io.Writer) error {
	a, err := pki.Open(dir)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("pki verify: %w", err)
	}
	now := pkiNow()
	crl, err := a.CRL(now)
	if err != nil {
		return err
	}
	rep, err := pki.VerifyPDF(b, a.Roots(), crl, now)
	if err != nil {
		if errors.Is(err, pki.ErrNoSignature) || errors.Is(err, pki.ErrNotPDF) || errors.Is(err, pki.ErrMalformed) {
			fmt.Fprintf(stderr, "KHÔNG HỢP LỆ (invalid): %v\n", err)
			return cli.ExitError(1)
		}
		return err
	}
	fmt.Fprintf(stdout, "Người ký (signer): %s — %s, số hiệu %s\n", rep.SignerName, rep.SignerOrganization, rep.SignerSerial)
	fmt.Fprintf(stdout, "Thời điểm ký (signing time): %s\n", rep.SigningTime.Format(time.RFC3339))
	for _, c := range rep.Checks() {
		mark := "đạt"
		if !c.OK {
			mark = "KHÔNG ĐẠT"
		}
		fmt.Fprintf(stdout, "%-20s %-10s %s\n", c.Title+":", mark, c.Message)
	}
	if !rep.Valid() {
		fmt.Fprintln(stdout, "KẾT LUẬN: KHÔNG HỢP LỆ (invalid)")
		return cli.ExitError(1)
	}
	fmt.Fprintln(stdout, "KẾT LUẬN: HỢP LỆ (valid)")
	return nil
}
