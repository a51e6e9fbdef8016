package identity_test

import (
	"testing"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

const ok errs.Kind = 1 << 10 // no error

func TestActor(t *testing.T) {
	leader := &identity.Account{ID: 7, Username: "lanhdao", Kind: identity.KindOfficial, Grants: []identity.Grant{{Role: identity.RoleLeader, AgencyID: "A"}}}
	admin := &identity.Account{ID: 8, Username: "quantri", Kind: identity.KindOfficial, Grants: []identity.Grant{{Role: identity.RoleAdmin, AgencyID: "P"}}}
	citizen := &identity.Account{ID: 9, Username: "congdan", Kind: identity.KindCitizen}
	disabled := *leader
	disabled.Disabled = true
	for _, tt := range []struct {
		name   string
		ac     identity.Actor
		perm   identity.Permission
		agency string
		want   errs.Kind
	}{
		{"system", identity.SystemActor("test"), identity.PermCatalogManage, "", ok},
		{"anonymous", identity.Actor{}, identity.PermDossierSubmit, "", errs.Unauthorized},
		{"citizen submits", identity.Actor{Account: citizen}, identity.PermDossierSubmit, "", ok},
		{"citizen handles", identity.Actor{Account: citizen}, identity.PermDossierHandle, "", errs.Forbidden},
		{"leader at his agency", identity.Actor{Account: leader}, identity.PermDossierHandle, "A", ok},
		{"leader at another agency", identity.Actor{Account: leader}, identity.PermDossierHandle, "B", errs.Forbidden},
		{"leader anywhere", identity.Actor{Account: leader}, identity.PermReportRead, "", ok},
		{"disabled leader", identity.Actor{Account: &disabled}, identity.PermDossierHandle, "A", errs.Forbidden},
		{"administrator at any agency", identity.Actor{Account: admin}, identity.PermAgencyManage, "B", ok},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.ac.Require(tt.perm, tt.agency)
			if (err == nil) != (tt.want == ok) || (err != nil && errs.KindOf(err) != tt.want) {
				t.Errorf("Require = %v, want kind %v", err, tt.want)
			}
		})
	}
	leader.DisplayName = "Hoàng Lãnh Đạo"
	for _, tt := range []struct {
		ac      identity.Actor
		id      int64
		name    string
		display string
		grants  int
	}{
		{identity.ActorOf(leader), 7, "lanhdao", "Hoàng Lãnh Đạo", 1},
		{identity.SystemActor("cli"), 0, "system", "Hệ thống", 0},
		{identity.Actor{IP: "192.0.2.1"}, 0, "anonymous", "", 0},
	} {
		if id, name := tt.ac.AuditName(); id != tt.id || name != tt.name || tt.ac.ID() != tt.id || tt.ac.DisplayName() != tt.display || len(tt.ac.Grants()) != tt.grants {
			t.Errorf("AuditName() = %d %s, ID %d, DisplayName %q, %d grants; want %d %s %q %d", id, name, tt.ac.ID(), tt.ac.DisplayName(), len(tt.ac.Grants()), tt.id, tt.name, tt.display, tt.grants)
		}
	}
	if ag, ok := identity.ActorOf(leader).Holds(identity.RoleLeader, ""); !ok || ag != "A" {
		t.Errorf("Holds(leader, any) = %q, %v", ag, ok)
	}
	if _, ok := identity.ActorOf(leader).Holds(identity.RoleLeader, "B"); ok {
		t.Error("Holds(leader, B)")
	}
}
