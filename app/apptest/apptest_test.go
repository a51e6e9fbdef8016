package apptest_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
)

func TestNew(t *testing.T) {
	e := apptest.New(t)
	if got := e.App.Kernel.Now(); !got.Equal(apptest.Start) {
		t.Errorf("kernel clock = %v, want %v", got, apptest.Start)
	}
	e.Advance(time.Hour)
	if got := e.App.Kernel.Now(); !got.Equal(apptest.Start.Add(time.Hour)) {
		t.Errorf("after Advance the kernel reads %v", got)
	}
	ac := e.Actor(apptest.Specialist)
	if ac.Account == nil || !ac.Account.HasRole(identity.RoleSpecialist, e.Seeded.CommuneAgency) {
		t.Fatalf("specialist = %+v", ac.Account)
	}
	if n := len(e.Audit(t, "demo.seed", "")); n != 1 {
		t.Errorf("%d demo.seed entries", n)
	}
}

// The walk helper finds the official of every step, at the commune and
// at the other agencies of an interconnected procedure.
func TestWalk(t *testing.T) {
	e := apptest.New(t)
	for _, code := range []string{"1.001193", "DEMO-029"} {
		d := e.Returned(t, apptest.Citizen, code)
		if d.Status != dossier.StatusReturned {
			t.Errorf("%s: status %d", code, d.Status)
		}
	}
}

func TestPostgres(t *testing.T) {
	e := apptest.New(t, apptest.Postgres())
	if e.Store.Dialect() != "postgres" {
		t.Fatalf("dialect %s", e.Store.Dialect())
	}
	d := e.Returned(t, apptest.Citizen, "1.001193")
	if d.Status != dossier.StatusReturned {
		t.Errorf("status %d", d.Status)
	}
}

func TestPKI(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	d := e.Submit(t, apptest.Citizen, "1.001193")
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	if d = e.WalkToDone(t, d.Code); d.Result == nil {
		t.Fatal("no result")
	}
}
