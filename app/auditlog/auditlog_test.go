package auditlog_test

import (
	"testing"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

func TestEntries(t *testing.T) {
	e := apptest.New(t)
	d := e.Returned(t, apptest.Citizen, "1.001193")
	for _, tt := range []struct {
		name string
		ac   identity.Actor
		want errs.Kind
	}{
		{"administrator", e.Actor(apptest.Admin), apptest.OK},
		{"system", identity.SystemActor("test"), apptest.OK},
		{"province viewer", e.Actor(apptest.ProvinceView), errs.Forbidden},
		{"leader", e.Actor(apptest.Leader), errs.Forbidden},
		{"citizen", e.Actor(apptest.Citizen), errs.Forbidden},
		{"anonymous", apptest.Anonymous(), errs.Unauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			es, err := e.App.AuditLog.Entries(e.Ctx, tt.ac, audit.Filter{Object: "dossier:" + d.Code, Limit: 100})
			apptest.WantKind(t, err, tt.want)
			if err == nil && (len(es) != 6 || es[0].Action != "dossier.return" || es[len(es)-1].Action != "dossier.submit") {
				t.Errorf("%d entries on the dossier, newest %+v", len(es), es[0])
			}
			_, err = e.App.AuditLog.Verify(e.Ctx, tt.ac)
			apptest.WantKind(t, err, tt.want)
		})
	}

	// Filters and paging, newest first.
	admin := e.Actor(apptest.Admin)
	reads, err := e.App.AuditLog.Entries(e.Ctx, admin, audit.Filter{Action: "audit.read", Limit: 100})
	if err != nil || len(reads) != 2 || reads[0].Actor != "system" || reads[1].ActorID != admin.Account.ID {
		t.Fatalf("the reads of the audit log are audited: %d entries %+v, %v", len(reads), reads, err)
	}
	seed, err := e.App.AuditLog.Entries(e.Ctx, admin, audit.Filter{Action: "demo.seed"})
	if err != nil || len(seed) != 1 || seed[0].Actor != "system" || seed[0].Object != "province:01" {
		t.Fatalf("demo.seed entries = %+v, %v", seed, err)
	}
	page, err := e.App.AuditLog.Entries(e.Ctx, admin, audit.Filter{Limit: 3})
	if err != nil || len(page) != 3 || page[0].Seq <= page[1].Seq {
		t.Fatalf("first page = %+v, %v", page, err)
	}
	next, err := e.App.AuditLog.Entries(e.Ctx, admin, audit.Filter{Limit: 3, BeforeSeq: page[2].Seq})
	if err != nil || len(next) != 3 || next[0].Seq != page[2].Seq-1 {
		t.Errorf("second page = %+v, %v", next, err)
	}
	citizen := e.Actor(apptest.Citizen).Account.ID
	mine, err := e.App.AuditLog.Entries(e.Ctx, admin, audit.Filter{ActorID: citizen, Limit: 100})
	if err != nil || len(mine) == 0 {
		t.Fatalf("the citizen's entries: %v", err)
	}
	for _, en := range mine {
		if en.ActorID != citizen || en.Actor != apptest.Citizen {
			t.Errorf("entry of %d (%s) listed for the citizen", en.ActorID, en.Actor)
		}
	}
}

// The chain is whole after the demo, logins, a walk and reads, and covers
// every entry.
func TestVerify(t *testing.T) {
	e := apptest.New(t)
	if _, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Citizen, "nope"); errs.KindOf(err) != errs.Unauthorized {
		t.Fatal(err)
	}
	if _, err := e.App.Accounts.Login(e.Ctx, apptest.Anonymous(), apptest.Citizen, demo.Password); err != nil {
		t.Fatal(err)
	}
	d := e.Returned(t, apptest.Citizen, "1.001193")
	if _, err := e.App.Dossiers.Dossier(e.Ctx, e.Actor(apptest.Citizen), d.Code); err != nil {
		t.Fatal(err)
	}
	rep, err := e.App.AuditLog.Verify(e.Ctx, e.Actor(apptest.Admin))
	if err != nil {
		t.Fatal(err)
	}
	all := e.Audit(t, "", "")
	if !rep.OK || rep.Problem != "" || rep.Entries != int64(len(all)) || rep.HeadSeq != all[0].Seq {
		t.Errorf("report = %+v; %d entries, newest %d", rep, len(all), all[0].Seq)
	}
	if direct, err := auditlog.VerifyChain(e.Ctx, e.Store, nil, nil); err != nil || direct != rep {
		t.Errorf("VerifyChain = %+v, %v", direct, err)
	}
}
