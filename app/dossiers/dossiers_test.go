package dossiers_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
)

// hasFields reports whether every wanted field is the start of a field
// the error names.
func hasFields(err error, want []string) bool {
	got := apptest.Fields(err)
	for _, w := range want {
		if !slices.ContainsFunc(got, func(f string) bool { return strings.HasPrefix(f, w) }) {
			return false
		}
	}
	return true
}

// actions lists the audit actions on an object, oldest first.
func actions(t *testing.T, e *apptest.Env, object string) []string {
	t.Helper()
	var out []string
	for _, en := range e.Audit(t, "", object) {
		out = append(out, en.Action)
	}
	slices.Reverse(out)
	return out
}

func TestSubmit(t *testing.T) {
	e := apptest.New(t)
	citizen := e.SubmitInput(t, apptest.Citizen, "1.001193")
	theirs := citizen
	theirs.Components = slices.Clone(citizen.Components)
	theirs.Components[0].FileID = e.UploadPDF(t, apptest.Citizen2, "theirs")
	unknown := citizen
	unknown.Components = append(slices.Clone(citizen.Components), dossier.ComponentInput{Code: "NOPE", FileID: citizen.Components[0].FileID})
	online := citizen
	online.Receive = true

	desk := e.SubmitInput(t, apptest.CommuneDesk, "1.001193")
	desk.Applicant = &dossier.Applicant{Name: "Lê Văn Bình", CitizenID: "001085004567", Address: "12 Phan Đình Phùng"}
	desk.CommuneCode, desk.Receive = "00004", true
	badID := desk
	badID.Applicant = &dossier.Applicant{Name: "Lê Văn Bình", CitizenID: "123"}
	otherProvince := desk
	otherProvince.CommuneCode = "79001"
	rtlName := desk
	rtlName.Applicant = &dossier.Applicant{Name: "Lê Văn \u202eBình", CitizenID: "001085004567"}
	zwName := desk
	zwName.Applicant = &dossier.Applicant{Name: "\u200b\u200b", CitizenID: "001085004567"}
	nulForm, nulField := citizen, withString(t, citizen.Form, "dia_chi_cu_tru", "12 Phố\x00 Huế")
	nulForm.Form = nulField.form

	tests := []struct {
		name   string
		user   string // "" = anonymous
		in     dossiers.SubmitInput
		want   errs.Kind
		fields []string       // named by the Invalid error (prefixes)
		status dossier.Status // of the dossier submitted
		audit  []string       // its audit entries, oldest first
	}{
		{"online", apptest.Citizen, citizen, apptest.OK, nil, dossier.StatusNew, []string{"dossier.submit"}},
		{"walk-in received at the commune counter", apptest.CommuneDesk, desk, apptest.OK, nil, dossier.StatusReceived, []string{"dossier.submit", "dossier.receive"}},
		{"empty form and no components", apptest.Citizen, dossiers.SubmitInput{ProcedureCode: "1.001193", Form: json.RawMessage(`{}`)}, errs.Invalid, []string{"form.", "components"}, 0, nil},
		{"anonymous", "", citizen, errs.Unauthorized, nil, 0, nil},
		{"unknown procedure", apptest.Citizen, dossiers.SubmitInput{ProcedureCode: "9.999999"}, errs.NotFound, nil, 0, nil},
		{"another's file", apptest.Citizen, theirs, errs.Invalid, []string{"components[0].file_id"}, 0, nil},
		{"unknown component", apptest.Citizen, unknown, errs.Invalid, []string{"components"}, 0, nil},
		{"received online", apptest.Citizen, online, errs.Forbidden, nil, 0, nil},
		{"official without applicant", apptest.Specialist, citizen, errs.Forbidden, nil, 0, nil},
		{"walk-in with a bad citizen ID", apptest.CommuneDesk, badID, errs.Invalid, []string{"applicant.citizen_id"}, 0, nil},
		{"commune of another province", apptest.CommuneDesk, otherProvince, errs.Invalid, []string{"commune_code"}, 0, nil},
		{"applicant name with a right-to-left override", apptest.CommuneDesk, rtlName, errs.Invalid, []string{"applicant.name"}, 0, nil},
		{"applicant name of zero-width spaces", apptest.CommuneDesk, zwName, errs.Invalid, []string{"applicant.name"}, 0, nil},
		{"form value with NUL", apptest.Citizen, nulForm, errs.Invalid, []string{"form." + nulField.key}, 0, nil},
	}
	submitted := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ac := apptest.Anonymous()
			if tt.user != "" {
				ac = e.Actor(tt.user)
			}
			before := len(e.Audit(t, "", ""))
			d, err := e.App.Dossiers.Submit(e.Ctx, ac, tt.in)
			apptest.WantKind(t, err, tt.want)
			if err != nil {
				if !hasFields(err, tt.fields) {
					t.Errorf("fields %v, want %v", apptest.Fields(err), tt.fields)
				}
				if after := len(e.Audit(t, "", "")); after != before {
					t.Errorf("a refused submission wrote %d audit entries", after-before)
				}
				return
			}
			submitted++
			if d.Status != tt.status || d.Version != len(tt.audit) {
				t.Errorf("status %d version %d, want %d and %d", d.Status, d.Version, tt.status, len(tt.audit))
			}
			// Numbered by the commune committee (online) or the counter, on
			// the Vietnamese date (16:00 on 2026-11-23).
			if !regexp.MustCompile(`^000\.00\.50\.H01-261123-0000[0-9]$`).MatchString(d.Code) {
				t.Errorf("code %s", d.Code)
			}
			if got := actions(t, e, "dossier:"+d.Code); !slices.Equal(got, tt.audit) {
				t.Errorf("audit %v, want %v", got, tt.audit)
			}
			stored, err := e.Store.Dossier(e.Ctx, d.Code)
			if err != nil || stored.Version != d.Version {
				t.Errorf("stored: %v, version %d", err, stored.Version)
			}
		})
	}
	if _, n, err := e.Store.Dossiers(e.Ctx, dossier.Filter{}); err != nil || n != submitted {
		t.Errorf("%d dossiers stored (%v), want %d", n, err, submitted)
	}
	events, err := e.Store.PendingOutbox(e.Ctx, 100)
	if err != nil || len(events) != 3 { // submit; submit and receive
		t.Errorf("%d outbox events (%v), want 3", len(events), err)
	}
}

// TestActWalk walks the contract: an online dossier received at the
// province's centre, handled by the commune's officials in turn, returned.
// Refused actions change nothing and leave no audit entry.
func TestActWalk(t *testing.T) {
	e := apptest.New(t)
	d := e.Submit(t, apptest.Citizen, "1.001193")
	code := d.Code
	act := func(user string, a dossier.Action) (dossier.Dossier, error) {
		ac := apptest.Anonymous()
		if user != "" {
			ac = e.Actor(user)
		}
		return e.App.Dossiers.Act(e.Ctx, ac, code, dossier.Request{Action: a})
	}
	for _, tt := range []struct {
		name string
		user string
		act  dossier.Action
		want errs.Kind
	}{
		{"specialist receives", apptest.Specialist, dossier.ActReceive, errs.Forbidden},
		{"applicant receives", apptest.Citizen, dossier.ActReceive, errs.Forbidden},
		{"another citizen", apptest.Citizen2, dossier.ActReceive, errs.NotFound},
		{"police", apptest.Police, dossier.ActReceive, errs.NotFound},
		{"anonymous", "", dossier.ActReceive, errs.Unauthorized},
		{"no such action", apptest.Receiver, "explode", errs.Invalid},
		{"return before done", apptest.Receiver, dossier.ActReturn, errs.Conflict},
		{"complete a step before receipt", apptest.Specialist, dossier.ActCompleteStep, errs.Conflict},
		{"receive", apptest.Receiver, dossier.ActReceive, apptest.OK},
		{"receive again", apptest.Receiver, dossier.ActReceive, errs.Conflict},
	} {
		before, _ := e.Store.Dossier(e.Ctx, code)
		got, err := act(tt.user, tt.act)
		if err != nil && errs.KindOf(err) != tt.want || err == nil && tt.want != apptest.OK {
			t.Fatalf("%s: %v, want %s", tt.name, err, tt.want)
		}
		after, _ := e.Store.Dossier(e.Ctx, code)
		if err != nil && after.Version != before.Version {
			t.Fatalf("%s: refused, yet version %d → %d", tt.name, before.Version, after.Version)
		}
		if err == nil && (got.Status != dossier.StatusReceived || got.ReceivedAt == nil || got.DueAt() == nil) {
			t.Fatalf("%s: status %d", tt.name, got.Status)
		}
	}
	if _, err := e.App.Dossiers.Act(e.Ctx, e.Actor(apptest.Receiver), "000.00.50.H01-261123-99999", dossier.Request{Action: dossier.ActReceive}); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown dossier: %v", err)
	}

	steps := 0
	for d, _ = e.Store.Dossier(e.Ctx, code); d.Status != dossier.StatusDone; steps++ {
		user := e.StepUser(t, &d)
		if steps > 10 || user == "" {
			t.Fatalf("walk stuck at %+v", d.CurrentStep())
		}
		wrong := apptest.Clerk
		if user == apptest.Clerk {
			wrong = apptest.Specialist
		}
		if _, err := act(wrong, dossier.ActCompleteStep); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("%s completes %s's step: %v", wrong, user, err)
		}
		var err error
		if d, err = act(user, dossier.ActCompleteStep); err != nil {
			t.Fatalf("%s completes the step: %v", user, err)
		}
	}
	if steps != 3 || d.CurrentStep() != nil || d.FinishedAt == nil {
		t.Errorf("done after %d steps, step %+v", steps, d.CurrentStep())
	}
	if _, err := act(apptest.Specialist, dossier.ActReturn); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("specialist returns: %v", err)
	}
	if d, err := act(apptest.Receiver, dossier.ActReturn); err != nil || d.Status != dossier.StatusReturned {
		t.Fatalf("return: %v, status %d", err, d.Status)
	}
	if _, err := act(apptest.Receiver, dossier.ActReturn); errs.KindOf(err) != errs.Conflict {
		t.Errorf("second return: %v", err)
	}
	want := []string{"dossier.submit", "dossier.receive", "dossier.complete_step", "dossier.complete_step", "dossier.complete_step", "dossier.return"}
	if got := actions(t, e, "dossier:"+code); !slices.Equal(got, want) {
		t.Errorf("audit %v, want %v", got, want)
	}
	last := e.Audit(t, "dossier.return", "dossier:"+code)[0]
	if det := apptest.Details(t, last); last.Actor != apptest.Receiver || det["from"] != float64(dossier.StatusDone) || det["to"] != float64(dossier.StatusReturned) || det["version"] != float64(6) {
		t.Errorf("return entry: %s %v", last.Actor, det)
	}
}

func TestDossierVisibility(t *testing.T) {
	e := apptest.New(t)
	d := e.Submit(t, apptest.Citizen, "1.001193")
	for _, tt := range []struct {
		user string // "" = anonymous
		code string
		want errs.Kind
	}{
		{apptest.Citizen, d.Code, apptest.OK},
		{apptest.Receiver, d.Code, apptest.OK}, // any counter, until received
		{apptest.Specialist, d.Code, apptest.OK},
		{apptest.Citizen2, d.Code, errs.NotFound},
		{apptest.Police, d.Code, errs.NotFound},
		{"", d.Code, errs.Unauthorized},
		{apptest.Citizen, "000.00.50.H01-261123-99999", errs.NotFound},
	} {
		name := tt.user
		if name == "" {
			name = "anonymous"
		}
		t.Run(name+"/"+tt.code, func(t *testing.T) {
			ac := apptest.Anonymous()
			if tt.user != "" {
				ac = e.Actor(tt.user)
			}
			before := len(e.Audit(t, "dossier.read", "dossier:"+tt.code))
			got, err := e.App.Dossiers.Dossier(e.Ctx, ac, tt.code)
			apptest.WantKind(t, err, tt.want)
			reads := e.Audit(t, "dossier.read", "dossier:"+tt.code)
			if err != nil {
				if len(reads) != before {
					t.Error("a refused read was audited")
				}
				return
			}
			if got.Code != d.Code || got.Applicant.CitizenID != "001090012345" {
				t.Errorf("read %s, applicant %+v", got.Code, got.Applicant)
			}
			if len(reads) != before+1 || reads[0].Actor != tt.user {
				t.Errorf("read audited %d times, last by %q", len(reads)-before, reads[0].Actor)
			}
		})
	}
}

func TestDossierList(t *testing.T) {
	e := apptest.New(t)
	d := e.Submit(t, apptest.Citizen, "1.001193")
	inbox := func(user string) ([]string, error) {
		l, err := e.App.Dossiers.DossierList(e.Ctx, e.Actor(user), dossiers.DossierQuery{Inbox: true})
		var codes []string
		for _, x := range l.Items {
			codes = append(codes, x.Code)
		}
		if err == nil && l.Total != len(l.Items) {
			return nil, fmt.Errorf("total %d for %d items", l.Total, len(l.Items))
		}
		return codes, err
	}
	if codes, err := inbox(apptest.Receiver); err != nil || !slices.Equal(codes, []string{d.Code}) {
		t.Fatalf("receiver's inbox = %v, %v", codes, err)
	}
	rcv := e.Actor(apptest.Receiver).Account
	if es := e.Audit(t, "dossier.inbox", fmt.Sprintf("account:%d", rcv.ID)); len(es) != 1 || apptest.Details(t, es[0])["count"] != float64(1) ||
		fmt.Sprint(apptest.Details(t, es[0])["dossiers"]) != fmt.Sprint([]any{d.Code}) {
		t.Errorf("inbox read audit (names every dossier read): %d entries %v", len(es), es)
	}
	if codes, err := inbox(apptest.Specialist); err != nil || len(codes) != 0 {
		t.Errorf("specialist's inbox before receipt = %v, %v", codes, err)
	}
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	if codes, err := inbox(apptest.Specialist); err != nil || !slices.Equal(codes, []string{d.Code}) {
		t.Errorf("specialist's inbox after receipt = %v, %v", codes, err)
	}
	if codes, err := inbox(apptest.Receiver); err != nil || len(codes) != 0 {
		t.Errorf("receiver's inbox after receipt = %v, %v", codes, err)
	}
	if codes, err := inbox(apptest.Police); err != nil || len(codes) != 0 {
		t.Errorf("police inbox = %v, %v", codes, err)
	}

	for _, tt := range []struct {
		name  string
		user  string
		q     dossiers.DossierQuery
		want  errs.Kind
		total int
	}{
		{"own dossiers", apptest.Citizen, dossiers.DossierQuery{}, apptest.OK, 1},
		{"another citizen's own", apptest.Citizen2, dossiers.DossierQuery{}, apptest.OK, 0},
		{"commune leader's scope", apptest.Leader, dossiers.DossierQuery{Scope: true}, apptest.OK, 1},
		{"province viewer's scope", apptest.ProvinceView, dossiers.DossierQuery{Scope: true}, apptest.OK, 1},
		{"leader outside the scope", apptest.Leader, dossiers.DossierQuery{Scope: true, Agency: "000.00.90.H01"}, errs.Forbidden, 0},
		{"citizen's scope", apptest.Citizen, dossiers.DossierQuery{Scope: true}, errs.Forbidden, 0},
		{"received only", apptest.Citizen, dossiers.DossierQuery{Status: int(dossier.StatusReceived)}, apptest.OK, 1},
		{"new only", apptest.Citizen, dossiers.DossierQuery{Status: int(dossier.StatusNew)}, apptest.OK, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := e.App.Dossiers.DossierList(e.Ctx, e.Actor(tt.user), tt.q)
			apptest.WantKind(t, err, tt.want)
			if err == nil && (l.Total != tt.total || l.ByStatus[int(dossier.StatusReceived)] != min(tt.total, 1) && tt.q.Status == 0) {
				t.Errorf("total %d by status %v, want %d", l.Total, l.ByStatus, tt.total)
			}
		})
	}
	if n := len(e.Audit(t, "dossier.list", "agency:"+e.Seeded.CommuneAgency)); n != 1 {
		t.Errorf("%d audited reads of the commune's scope, want 1", n)
	}
	if _, err := e.App.Dossiers.DossierList(e.Ctx, apptest.Anonymous(), dossiers.DossierQuery{}); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("anonymous list: %v", err)
	}
}

// The public look-up tells the status to anyone with the code, without
// personal data.
func TestPublicDossier(t *testing.T) {
	e := apptest.New(t)
	d := e.Submit(t, apptest.Citizen, "1.001193")
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	ps, err := e.App.Dossiers.PublicDossier(e.Ctx, " "+d.Code+" ")
	if err != nil {
		t.Fatal(err)
	}
	if ps.Code != d.Code || ps.Status != int(dossier.StatusReceived) || ps.ProcedureName == "" || ps.DueAt == nil || ps.HandlingAgency.Name == "" {
		t.Errorf("public status = %+v", ps)
	}
	b, _ := json.Marshal(ps)
	for _, personal := range []string{"001090012345", "Nguyễn Văn An", "0912345678", "congdan"} {
		if strings.Contains(string(b), personal) {
			t.Errorf("the public status shows %q: %s", personal, b)
		}
	}
	if _, err := e.App.Dossiers.PublicDossier(e.Ctx, "nope"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown code: %v", err)
	}
}

func TestRate(t *testing.T) {
	e := apptest.New(t)
	done := e.Returned(t, apptest.Citizen, "1.001193").Code
	pending := e.Submit(t, apptest.Citizen, "1.001193").Code
	for _, tt := range []struct {
		name  string
		user  string
		code  string
		stars int
		want  errs.Kind
	}{
		{"not the applicant", apptest.Receiver, done, 5, errs.NotFound},
		{"anonymous", "", done, 5, errs.Unauthorized},
		{"no stars", apptest.Citizen, done, 0, errs.Invalid},
		{"six stars", apptest.Citizen, done, 6, errs.Invalid},
		{"not returned yet", apptest.Citizen, pending, 5, errs.Conflict},
		{"rated", apptest.Citizen, done, 5, apptest.OK},
		{"rated again", apptest.Citizen, done, 4, errs.Conflict},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ac := apptest.Anonymous()
			if tt.user != "" {
				ac = e.Actor(tt.user)
			}
			_, err := e.App.Dossiers.Rate(e.Ctx, ac, tt.code, tt.stars, "  Nhanh chóng  ", 0)
			apptest.WantKind(t, err, tt.want)
		})
	}
	rating := func(code string) *dossier.Rating {
		d, err := e.Store.Dossier(e.Ctx, code) // the rating is read with the dossier
		if err != nil {
			t.Fatal(err)
		}
		return d.Rating
	}
	if r := rating(done); r == nil || r.Stars != 5 || r.Comment != "Nhanh chóng" {
		t.Errorf("rating = %+v", r)
	}
	if r := rating(pending); r != nil {
		t.Errorf("pending dossier rated: %+v", r)
	}
	if es := e.Audit(t, "dossier.rate", "dossier:"+done); len(es) != 1 || apptest.Details(t, es[0])["stars"] != float64(5) {
		t.Errorf("%d dossier.rate entries", len(es))
	}
}

func TestUpload(t *testing.T) {
	e := apptest.New(t)
	for _, tt := range []struct {
		name, user, ctype, body string
		want                    errs.Kind
	}{
		{"pdf", apptest.Citizen, "application/pdf", apptest.MinimalPDF, apptest.OK},
		{"pdf without a declared type", apptest.Receiver, "application/octet-stream", apptest.MinimalPDF + "%x\n", apptest.OK},
		{"text declared as pdf", apptest.Citizen, "application/pdf", "hello, not a pdf", errs.Invalid},
		{"pdf declared as png", apptest.Citizen, "image/png", apptest.MinimalPDF, errs.Invalid},
		{"empty", apptest.Citizen, "application/pdf", "", errs.Invalid},
		{"anonymous", "", "application/pdf", apptest.MinimalPDF, errs.Unauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ac := apptest.Anonymous()
			if tt.user != "" {
				ac = e.Actor(tt.user)
			}
			f, err := e.App.Dossiers.Upload(e.Ctx, ac, " giay-to.pdf ", tt.ctype, strings.NewReader(tt.body))
			apptest.WantKind(t, err, tt.want)
			if err != nil {
				return
			}
			sum := sha256.Sum256([]byte(tt.body))
			if f.ContentType != "application/pdf" || f.SHA256 != hex.EncodeToString(sum[:]) || f.Size != int64(len(tt.body)) || f.OwnerID != ac.Account.ID || f.Name != "giay-to.pdf" {
				t.Errorf("file = %+v", f)
			}
			if stored, err := e.Store.File(e.Ctx, f.ID); err != nil || stored.SHA256 != f.SHA256 {
				t.Errorf("stored file = %+v, %v", stored, err)
			}
			if es := e.Audit(t, "file.upload", "file:"+f.ID); len(es) != 1 || es[0].Actor != tt.user {
				t.Errorf("%d file.upload entries", len(es))
			}
		})
	}
	// Without a file store, uploads are unavailable.
	bare := dossiers.New(e.App.Kernel, e.App.Province, e.App.ShareData, e.App.Results, dossiers.Config{})
	if _, err := bare.Upload(e.Ctx, e.Actor(apptest.Citizen), "x.pdf", "application/pdf", strings.NewReader(apptest.MinimalPDF)); errs.KindOf(err) != errs.Unavailable {
		t.Errorf("upload without a file store: %v", err)
	}
}

// A component's file opens for those who may see the dossier; the read is
// audited.
func TestDossierFile(t *testing.T) {
	e := apptest.New(t)
	d := e.Submit(t, apptest.Citizen, "1.001193")
	id := d.Components[0].FileID
	for _, tt := range []struct {
		user string
		want errs.Kind
	}{
		{apptest.Citizen, apptest.OK},
		{apptest.Specialist, apptest.OK},
		{apptest.Citizen2, errs.NotFound},
		{"", errs.Unauthorized},
	} {
		ac := apptest.Anonymous()
		if tt.user != "" {
			ac = e.Actor(tt.user)
		}
		c, f, err := e.App.Dossiers.DossierFile(e.Ctx, ac, d.Code, id)
		if err != nil && errs.KindOf(err) != tt.want || err == nil && tt.want != apptest.OK {
			t.Fatalf("%q: %v, want %s", tt.user, err, tt.want)
		}
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if c.Code != d.Components[0].Code || !strings.HasPrefix(string(b), "%PDF-") {
			t.Errorf("%s: component %s, %.10q", tt.user, c.Code, b)
		}
	}
	if n := len(e.Audit(t, "dossier.file.read", "dossier:"+d.Code)); n != 2 {
		t.Errorf("%d file reads audited, want 2", n)
	}
	if _, _, err := e.App.Dossiers.DossierFile(e.Ctx, e.Actor(apptest.Citizen), d.Code, "nope"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown file: %v", err)
	}
}

// TestSubmitClaimedReuse: the databases a dossier names as used (sent to
// the national portal as DSKetNoiCSDL) are those the server itself read
// for the applicant, never what the client claims: a prefill served to the
// same account for the same procedure within a day, or a component
// replaced by data at submission.
func TestSubmitClaimedReuse(t *testing.T) {
	e := apptest.New(t)
	claims := []string{"population", "land", "xyz"}
	submit := func(t *testing.T, user string, in dossiers.SubmitInput) []string {
		t.Helper()
		in.Prefilled = claims
		d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(user), in)
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		stored, err := e.Store.Dossier(e.Ctx, d.Code)
		if err != nil || !slices.Equal(stored.Databases, d.Databases) {
			t.Fatalf("stored databases %v (%v), returned %v", stored.Databases, err, d.Databases)
		}
		return d.Databases
	}
	prefill := func(t *testing.T, user, procedure string) {
		t.Helper()
		if _, err := e.App.ShareData.Prefill(e.Ctx, e.Actor(user), procedure); err != nil {
			t.Fatalf("prefill %s as %s: %v", procedure, user, err)
		}
	}
	withData := func(t *testing.T) dossiers.SubmitInput {
		in := e.SubmitInput(t, apptest.Citizen, "1.001193")
		for i := range in.Components {
			if in.Components[i].Code == "TP03" {
				in.Components[i] = dossier.ComponentInput{Code: "TP03", Data: &dossier.DataInput{Dataset: "population"}}
			}
		}
		return in
	}
	tests := []struct {
		name   string
		before func(t *testing.T)
		in     func(t *testing.T) dossiers.SubmitInput
		want   []string
	}{
		{"claims without any read", func(*testing.T) {}, nil, nil},
		{"prefilled for another procedure", func(t *testing.T) { prefill(t, apptest.Citizen, "1.000656") }, nil, nil},
		{"prefilled for another account", func(t *testing.T) { prefill(t, apptest.Citizen2, "1.001193") }, nil, nil},
		{"prefilled more than a day ago", func(t *testing.T) { prefill(t, apptest.Citizen, "1.001193"); e.Advance(25 * time.Hour) }, nil, nil},
		{"prefilled", func(t *testing.T) { prefill(t, apptest.Citizen, "1.001193") }, nil, []string{"CSDLQGDC"}},
		{"component replaced by data", func(t *testing.T) { e.Advance(25 * time.Hour) }, withData, []string{"CSDLQGDC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.before(t)
			in := e.SubmitInput(t, apptest.Citizen, "1.001193")
			if tt.in != nil {
				in = tt.in(t)
			}
			got := submit(t, apptest.Citizen, in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("databases %v, want %v", got, tt.want)
			}
		})
	}
}

type formField struct {
	key  string
	form json.RawMessage
}

// withString returns form with its string value key set to v.
func withString(t *testing.T, form json.RawMessage, key, v string) formField {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(form, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m[key].(string); !ok {
		t.Fatalf("form has no string %s", key)
	}
	m[key] = v
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return formField{key, b}
}

// TestSubmitNormalisesText: an applicant name and form values typed in NFD
// are stored in NFC.
func TestSubmitNormalisesText(t *testing.T) {
	e := apptest.New(t)
	in := e.SubmitInput(t, apptest.CommuneDesk, "1.001193")
	in.Applicant = &dossier.Applicant{Name: norm.NFD.String("  Lê  Văn Bình "), CitizenID: "001085004567"}
	in.CommuneCode = "00004"
	f := withString(t, in.Form, "dia_chi_cu_tru", norm.NFD.String("Số 12 Hà Nội"))
	in.Form = f.form
	d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.CommuneDesk), in)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.Store.Dossier(e.Ctx, d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Applicant.Name != "Lê Văn Bình" {
		t.Errorf("name %q", stored.Applicant.Name)
	}
	var m map[string]any
	if err := json.Unmarshal(stored.Form, &m); err != nil || m[f.key] != "Số 12 Hà Nội" {
		t.Errorf("form %s (%v)", stored.Form, err)
	}
}

func TestUploadLimits(t *testing.T) {
	e := apptest.New(t)
	body := func(n int) string { return apptest.MinimalPDF + fmt.Sprintf("%% %d\n", n) }
	size := int64(len(body(0)))
	s := dossiers.New(e.App.Kernel, e.App.Province, e.App.ShareData, e.App.Results,
		dossiers.Config{Files: e.Files, UploadsPerHour: 3, UnattachedBytes: 5*size + size/2})
	ac := e.Actor(apptest.Citizen)
	for i := range 3 {
		if _, err := s.Upload(e.Ctx, ac, "a.pdf", "application/pdf", strings.NewReader(body(i))); err != nil {
			t.Fatal(err)
		}
		e.Advance(10 * time.Minute)
	}
	_, err := s.Upload(e.Ctx, ac, "a.pdf", "application/pdf", strings.NewReader(body(3)))
	apptest.WantKind(t, err, errs.RateLimited)
	var re *accounts.RetryError
	if !errors.As(err, &re) || re.After != 30*time.Minute {
		t.Errorf("rate limited: %v, want retry after 30 min", err)
	}
	// Another account is not limited by this one's uploads.
	if _, err := s.Upload(e.Ctx, e.Actor(apptest.Receiver), "a.pdf", "application/pdf", strings.NewReader(body(3))); err != nil {
		t.Errorf("other account: %v", err)
	}
	e.Advance(31 * time.Minute)
	if _, err := s.Upload(e.Ctx, ac, "a.pdf", "application/pdf", strings.NewReader(body(4))); err != nil {
		t.Fatalf("after the hour: %v", err)
	}
	e.Advance(time.Hour)
	// Four uploads of size bytes are unattached: a fifth fits, a sixth,
	// refused only once stored and counted, is removed again.
	if _, err := s.Upload(e.Ctx, ac, "a.pdf", "application/pdf", strings.NewReader(body(5))); err != nil {
		t.Fatal(err)
	}
	_, err = s.Upload(e.Ctx, ac, "a.pdf", "application/pdf", strings.NewReader(body(6)+"%% a bit more\n"))
	apptest.WantKind(t, err, errs.Invalid)
	if e, ok := errs.As(err); !ok || e.Key != "file.quota" {
		t.Fatalf("over quota: %v", err)
	}
	sum := sha256.Sum256([]byte(body(6) + "%% a bit more\n"))
	if f, err := e.Files.Open(hex.EncodeToString(sum[:])); err == nil {
		f.Close()
		t.Error("a refused upload left its file")
	}
}
