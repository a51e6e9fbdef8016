package dossier_test

import (
	"encoding/json"
	"testing"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
)

func official(role identity.Role, agency string) identity.Actor {
	return identity.Actor{Account: &identity.Account{ID: 5, Username: "u", Kind: identity.KindOfficial, Grants: []identity.Grant{{Role: role, AgencyID: agency}}}}
}

// TestWorksOn: who is working on a dossier now, by its status and step.
func TestWorksOn(t *testing.T) {
	step := []dossier.Step{{Name: "Thẩm định", Role: identity.RoleSpecialist, AgencyID: "X"}}
	online := dossier.Dossier{Status: dossier.StatusNew, Channel: dossier.ChannelOnline, CompetentAgency: "X", Current: -1, Steps: step}
	onlineSupplement := online
	onlineSupplement.Status = dossier.StatusSupplement
	onlineRefused := online
	onlineRefused.Status = dossier.StatusRefused
	provinceCounter := identity.Actor{Account: &identity.Account{ID: 6, Kind: identity.KindOfficial, Grants: []identity.Grant{{Role: identity.RoleReceiver, AgencyID: "P", ForProvince: true}}}}
	received := dossier.Dossier{Status: dossier.StatusProcessing, ReceivingAgency: "C", Current: 0, Steps: step}
	atReception := dossier.Dossier{Status: dossier.StatusReceived, ReceivingAgency: "C", Current: 0, Steps: step}
	done := dossier.Dossier{Status: dossier.StatusReturned, ReceivingAgency: "C", Current: -1, Steps: step}
	for _, tc := range []struct {
		name  string
		d     dossier.Dossier
		actor identity.Actor
		want  bool
	}{
		{"a counter receiving for the province, online and new", online, provinceCounter, true},
		{"the competent agency's counter, online and new", online, official(identity.RoleReceiver, "X"), true},
		{"another commune's counter, online and new", online, official(identity.RoleReceiver, "Z"), false},
		{"a counter receiving for the province, back for a supplement before receipt", onlineSupplement, provinceCounter, true},
		{"another commune's counter, back for a supplement", onlineSupplement, official(identity.RoleReceiver, "Z"), false},
		{"a counter receiving for the province once refused", onlineRefused, provinceCounter, false},
		{"specialist before the step opens", online, official(identity.RoleSpecialist, "X"), false},
		{"the step's holder", received, official(identity.RoleSpecialist, "X"), true},
		{"the role at another agency", received, official(identity.RoleSpecialist, "Y"), false},
		{"another role at the agency", received, official(identity.RoleLeader, "X"), false},
		{"its receiver while at reception", atReception, official(identity.RoleReceiver, "C"), true},
		{"another counter while at reception", atReception, official(identity.RoleReceiver, "D"), false},
		{"its receiver once processing", received, official(identity.RoleReceiver, "C"), false},
		{"nobody once returned", done, official(identity.RoleSpecialist, "X"), false},
		{"the platform", done, identity.SystemActor("test"), true},
		{"a citizen", received, identity.Actor{Account: &identity.Account{ID: 9, Kind: identity.KindCitizen}}, false},
	} {
		if got := dossier.WorksOn(&tc.d, tc.actor); got != tc.want {
			t.Errorf("%s: WorksOn = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestNames: the keys a dossier is about.
func TestNames(t *testing.T) {
	form, _ := json.Marshal(map[string]any{"me": map[string]any{"so_dinh_danh": "001195004321"}, "con": []any{map[string]any{"cccd": " 001226000001 "}}})
	d := dossier.Dossier{Applicant: dossier.Applicant{CitizenID: "001090012345", TaxCode: "0101234567"}, Form: form,
		Components: []dossier.Component{{Code: "TP03", Data: &dossier.DataRef{Key: "001090012345-HK", Values: map[string]string{"thua_dat": "12/345"}}}}}
	for key, want := range map[string]bool{
		"001090012345": true, "0101234567": true, "001195004321": true, "001226000001": true, "001090012345-HK": true, "12/345": true,
		"001099999999": false, "": false, "0011950": false,
	} {
		if got := dossier.Names(&d, key); got != want {
			t.Errorf("Names(%q) = %v, want %v", key, got, want)
		}
	}
}
