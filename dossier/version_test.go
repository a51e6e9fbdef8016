package dossier_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// TestApplyVersion: a request made from another version of the dossier is
// refused as a Conflict (dossier.stale) before any other check and leaves
// the dossier unchanged; the current version applies; 0 is not checked.
func TestApplyVersion(t *testing.T) {
	cal := newCalendar(t)
	p := procedure(catalog.SupplementPause)
	for _, tc := range []struct {
		name    string
		status  dossier.Status
		action  dossier.Action
		actor   *identity.Actor // nil = the actor allowed to act
		version func(current int) int
		want    errs.Kind // Internal = applied
	}{
		{"older version", dossier.StatusReceived, dossier.ActCompleteStep, nil, func(v int) int { return v - 1 }, errs.Conflict},
		{"newer version", dossier.StatusProcessing, dossier.ActCompleteStep, nil, func(v int) int { return v + 1 }, errs.Conflict},
		{"negative version", dossier.StatusNew, dossier.ActReceive, nil, func(int) int { return -1 }, errs.Conflict},
		{"stale before permission", dossier.StatusReceived, dossier.ActClaim, &stranger, func(v int) int { return v - 1 }, errs.Conflict},
		{"stale before status", dossier.StatusReturned, dossier.ActWithdraw, nil, func(v int) int { return v - 1 }, errs.Conflict},
		{"current version", dossier.StatusProcessing, dossier.ActCompleteStep, nil, func(v int) int { return v }, errs.Internal},
		{"current version, supplement", dossier.StatusSupplement, dossier.ActSupplement, nil, func(v int) int { return v }, errs.Internal},
		{"not given", dossier.StatusReceived, dossier.ActClaim, nil, func(int) int { return 0 }, errs.Internal},
		{"current version, then the engine's own checks", dossier.StatusNew, dossier.ActReceive, &stranger, func(v int) int { return v }, errs.Forbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, at := reach(t, cal, p, tc.status)
			at = at.Add(time.Hour)
			actor := rightActor(d, tc.action)
			if tc.actor != nil {
				actor = *tc.actor
			}
			r := validRequest(d, tc.action, at)
			r.Version = tc.version(d.Version)
			before := deepCopy(d)
			err := dossier.Apply(d, actor, r, dossier.Env{Now: at, Calendar: cal})
			if tc.want == errs.Internal {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if d.Version != before.Version+1 {
					t.Errorf("version %d, want %d", d.Version, before.Version+1)
				}
				return
			}
			checkRefused(t, err, tc.want, d, before)
			if stale := errors.Is(err, dossier.ErrStale); stale != (tc.want == errs.Conflict) {
				t.Errorf("errors.Is(err, ErrStale) = %v for %v", stale, err)
			}
			if tc.want != errs.Conflict {
				return
			}
			e, _ := errs.As(err)
			if e.Key != "dossier.stale" || !strings.Contains(e.Message, "tải lại hồ sơ") || !strings.Contains(e.English, "changed since version") {
				t.Errorf("stale error %q %q %q", e.Key, e.Message, e.English)
			}
		})
	}
}

// TestCheckVersion: the check alone, as the pages use it before storing
// uploaded files.
func TestCheckVersion(t *testing.T) {
	d := &dossier.Dossier{Code: "X", Version: 4}
	for _, tc := range []struct {
		expected int
		stale    bool
	}{{0, false}, {4, false}, {3, true}, {5, true}, {-4, true}} {
		err := dossier.CheckVersion(d, tc.expected)
		if got := err != nil; got != tc.stale {
			t.Errorf("CheckVersion(v4, %d) = %v, want stale %v", tc.expected, err, tc.stale)
		}
		if err != nil && (errs.KindOf(err) != errs.Conflict || !strings.Contains(err.Error(), "version 4")) {
			t.Errorf("CheckVersion(v4, %d) = %v", tc.expected, err)
		}
	}
}
