package results_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/pki/pdfsigtest"
	"github.com/motcua/motcua/unit"
)

// signWith sets the signature mode of the demo commune, as its IT
// administrator would.
func signWith(t *testing.T, e *apptest.Env, mode unit.SignatureMode) unit.Agency {
	t.Helper()
	ag, err := e.App.Province.Agency(e.Ctx, e.Seeded.CommuneAgency)
	if err != nil {
		t.Fatal(err)
	}
	ag.SignatureMode = mode
	if ag, err = e.App.Province.PutAgency(e.Ctx, e.Actor(apptest.Admin), ag); err != nil {
		t.Fatal(err)
	}
	return ag
}

// toLastStep walks a new birth registration to its last step (the
// clerk's), the leader's step completed by the demo leader.
func toLastStep(t *testing.T, e *apptest.Env) dossier.Dossier {
	t.Helper()
	d := e.Submit(t, apptest.Citizen, "1.001193")
	d = e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	for i := 0; d.Current < len(d.Steps)-1; i++ {
		if i > 10 {
			t.Fatalf("walk of %s stuck", d.Code)
		}
		d = e.Act(t, e.StepUser(t, &d), d.Code, dossier.ActCompleteStep)
	}
	return d
}

// The result is signed as the agency's mode says: with its seal
// certificate and the leader's name, or with the leader's personal
// certificate, reused for the next result; the audit entry, the stored
// result and the public verification say which; pdfsig finds it valid.
func TestSignatureModes(t *testing.T) {
	for _, tc := range []struct {
		mode         unit.SignatureMode
		wantPersonal bool
		wantCN       func(agency string) string
		wantTitle    string
	}{
		{unit.SignSeal, false, func(agency string) string { return agency }, ""},
		{unit.SignPersonal, true, func(string) string { return "Phạm Quốc Hùng" }, "Chủ tịch"},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			e := apptest.New(t, apptest.WithPKI())
			ag := signWith(t, e, tc.mode)
			d := done(t, e)
			r := d.Result
			if r == nil || r.SignatureMode != string(tc.mode) || r.SignerName != tc.wantCN(ag.Name) || r.Signer != "Phạm Quốc Hùng" || r.SignerTitle != "Chủ tịch" {
				t.Fatalf("result = %+v", r)
			}
			_, pdf, err := e.App.Results.ResultPDF(e.Ctx, e.Actor(apptest.Citizen), d.Code)
			if err != nil {
				t.Fatal(err)
			}
			crl, err := e.PKI.CRL(e.Now())
			if err != nil {
				t.Fatal(err)
			}
			rep, err := pki.VerifyPDF(pdf, e.PKI.Roots(), crl, e.Now())
			if err != nil || !rep.Valid() || rep.Personal != tc.wantPersonal || rep.SignerName != tc.wantCN(ag.Name) || rep.SignerTitle != tc.wantTitle ||
				rep.SignerSerial != r.SignerSerial {
				t.Errorf("report = %+v, %v", rep, err)
			}
			if tc.wantPersonal && rep.SignerOrganization != ag.Name {
				t.Errorf("personal certificate of %q, want the agency %q", rep.SignerOrganization, ag.Name)
			}
			out := pdfsigtest.Check(t, e.PKI.CA(), pdf)
			if out != "" && !strings.Contains(out, "Common Name: "+tc.wantCN(ag.Name)) || tc.wantPersonal && out != "" && !strings.Contains(out, "title=Chủ tịch") {
				t.Errorf("pdfsig names another signer:\n%s", out)
			}

			es := e.Audit(t, "dossier.result_issued", "dossier:"+d.Code)
			if len(es) != 1 || apptest.Details(t, es[0])["signature_mode"] != string(tc.mode) || apptest.Details(t, es[0])["signer_serial"] != r.SignerSerial {
				t.Errorf("audit entries %+v", es)
			}
			v, err := e.App.Results.VerifyResult(e.Ctx, r.ID)
			if err != nil || !v.Valid() || v.Result.Personal != tc.wantPersonal || v.Result.Agency != ag.Name || v.Report.Personal != tc.wantPersonal {
				t.Errorf("VerifyResult = %+v, %v", v.Result, err)
			}

			// The next result is signed with the same certificate.
			if again := done(t, e); again.Result.SignerSerial != r.SignerSerial || again.Result.SignatureMode != string(tc.mode) {
				t.Errorf("second result signed by %s (%s), first by %s", again.Result.SignerSerial, again.Result.SignatureMode, r.SignerSerial)
			}
			personal, err := e.PKI.PersonalCertificates()
			if err != nil || len(personal) != map[bool]int{false: 0, true: 1}[tc.wantPersonal] {
				t.Errorf("personal certificates %+v, %v", personal, err)
			}
		})
	}
}

// A personal signature is never made with another identity: when the
// leader who completed the leader's step no longer holds a grant at the
// agency (withdrawn, moved, disabled), the last step fails with a typed
// error in Vietnamese, and the dossier stays as it was. With the seal the
// agency signs as before.
func TestPersonalSignatureErrors(t *testing.T) {
	noGrant := &errs.Error{Kind: errs.Conflict, Key: "result.signer_no_grant"}
	for _, tc := range []struct {
		name   string
		mode   unit.SignatureMode
		change func(t *testing.T, e *apptest.Env, leader identity.Account)
		want   error
	}{
		{"personal/grant withdrawn", unit.SignPersonal, func(t *testing.T, e *apptest.Env, l identity.Account) {
			setGrants(t, e, l, []identity.Grant{{Role: identity.RoleViewer, AgencyID: e.Seeded.ServiceCentre}})
		}, noGrant},
		{"personal/account disabled", unit.SignPersonal, func(t *testing.T, e *apptest.Env, l identity.Account) {
			if err := e.App.Accounts.SetDisabled(e.Ctx, e.Actor(apptest.Admin), l.ID, true); err != nil {
				t.Fatal(err)
			}
		}, noGrant},
		{"personal/other position: a certificate with the new title", unit.SignPersonal, func(t *testing.T, e *apptest.Env, l identity.Account) {
			setGrants(t, e, l, []identity.Grant{{Role: identity.RoleLeader, AgencyID: e.Seeded.CommuneAgency, Position: "Phó Chủ tịch"}})
		}, nil},
		{"seal/grant withdrawn", unit.SignSeal, func(t *testing.T, e *apptest.Env, l identity.Account) {
			setGrants(t, e, l, []identity.Grant{{Role: identity.RoleViewer, AgencyID: e.Seeded.ServiceCentre}})
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := apptest.New(t, apptest.WithPKI())
			signWith(t, e, tc.mode)
			d := toLastStep(t, e)
			clerk := e.StepUser(t, &d)
			tc.change(t, e, *e.Actor(apptest.Leader).Account)
			got, err := e.App.Dossiers.Act(e.Ctx, e.Actor(clerk), d.Code, dossier.Request{Action: dossier.ActCompleteStep})
			if tc.want == nil {
				if err != nil || got.Result == nil || got.Result.SignatureMode != string(tc.mode) {
					t.Fatalf("last step = %+v, %v", got.Result, err)
				}
				if tc.mode == unit.SignPersonal {
					rep := verify(t, e, got.Code)
					if rep.SignerTitle != "Phó Chủ tịch" {
						t.Errorf("signed as %q", rep.SignerTitle)
					}
				}
				return
			}
			if !errors.Is(err, tc.want) || !strings.Contains(errs.Message(err), "Phạm Quốc Hùng") || !strings.Contains(errs.Message(err), "không còn được phân công") {
				t.Fatalf("last step = %v (%q), want %v", err, errs.Message(err), tc.want)
			}
			stored, _ := e.Store.Dossier(e.Ctx, d.Code)
			if stored.Status == dossier.StatusDone || stored.Result != nil || stored.Version != d.Version {
				t.Errorf("dossier after the failure: status %d, result %+v", stored.Status, stored.Result)
			}
			if n := len(e.Audit(t, "dossier.result_issued", "")); n != 0 {
				t.Errorf("%d result_issued entries", n)
			}
		})
	}

	// No leader's step completed: the signer is unknown.
	e := apptest.New(t, apptest.WithPKI())
	signWith(t, e, unit.SignPersonal)
	d := e.Act(t, apptest.Receiver, e.Submit(t, apptest.Citizen, "1.001193").Code, dossier.ActReceive)
	_, err := e.App.Results.IssueResult(e.Ctx, e.Store, &d, e.Now())
	if !errors.Is(err, &errs.Error{Kind: errs.Conflict, Key: "result.signer_unknown"}) || !strings.Contains(errs.Message(err), "chưa xác định được người ký") {
		t.Errorf("IssueResult without a leader's step = %v", err)
	}
	if list, _ := e.PKI.PersonalCertificates(); len(list) != 0 {
		t.Errorf("certificates issued: %+v", list)
	}
}

func setGrants(t *testing.T, e *apptest.Env, acc identity.Account, grants []identity.Grant) {
	t.Helper()
	if _, err := e.App.Accounts.SetGrants(e.Ctx, e.Actor(apptest.Admin), acc.ID, grants); err != nil {
		t.Fatal(err)
	}
}

func verify(t *testing.T, e *apptest.Env, code string) pki.Report {
	t.Helper()
	_, pdf, err := e.App.Results.ResultPDF(e.Ctx, e.Actor(apptest.Citizen), code)
	if err != nil {
		t.Fatal(err)
	}
	crl, err := e.PKI.CRL(e.Now())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := pki.VerifyPDF(pdf, e.PKI.Roots(), crl, e.Now())
	if err != nil || !rep.Valid() {
		t.Fatalf("VerifyPDF = %+v, %v", rep, err)
	}
	return rep
}
