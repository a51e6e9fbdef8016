package main

import (
	"slices"
	"testing"

	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/democlient"
)

// demoCode returns a code of the demo official user (second factor) that
// the server at base has not accepted yet (democlient.DemoCode).
func demoCode(t testing.TB, base, user string) string {
	t.Helper()
	code, err := democlient.DemoCode(base, user)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestParseSecondFactorRoles(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []identity.Role
		bad  bool
	}{
		{"leader,clerk,admin", []identity.Role{identity.RoleLeader, identity.RoleClerk, identity.RoleAdmin}, false},
		{" leader , receiver ", []identity.Role{identity.RoleLeader, identity.RoleReceiver}, false},
		{"none", []identity.Role{}, false},
		{"", []identity.Role{}, false},
		{"leader,boss", nil, true},
	} {
		got, err := parseRoles(tt.in)
		if (err != nil) != tt.bad || !tt.bad && !slices.Equal(got, tt.want) || !tt.bad && got == nil {
			t.Errorf("parseRoles(%q) = %v, %v", tt.in, got, err)
		}
	}
}
