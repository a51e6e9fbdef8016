package app_test

import (
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/store"
)

func TestMemo(t *testing.T) {
	m := app.NewMemo[string, int](time.Minute)
	loads := 0
	load := func(v int, err error) func() (int, error) {
		return func() (int, error) { loads++; return v, err }
	}
	t0 := apptest.Start
	for _, tt := range []struct {
		name  string
		at    time.Time
		load  func() (int, error)
		want  int
		err   bool
		loads int // in total so far
	}{
		{"first read loads", t0, load(1, nil), 1, false, 1},
		{"within the lifetime", t0.Add(59 * time.Second), load(2, nil), 1, false, 1},
		{"after the lifetime", t0.Add(time.Minute), load(3, nil), 3, false, 2},
		{"a clock gone back loads", t0, load(4, nil), 4, false, 3},
		{"an error is not kept", t0.Add(2 * time.Minute), load(0, errors.New("down")), 0, true, 4},
		{"so the next read loads", t0.Add(2 * time.Minute), load(5, nil), 5, false, 5},
	} {
		v, err := m.Get("k", tt.at, tt.load)
		if v != tt.want || (err != nil) != tt.err || loads != tt.loads {
			t.Errorf("%s: %d, %v after %d loads; want %d after %d", tt.name, v, err, loads, tt.want, tt.loads)
		}
	}
	m.Clear()
	if v, _ := m.Get("k", t0.Add(2*time.Minute), load(6, nil)); v != 6 {
		t.Errorf("after Clear: %d", v)
	}
}

// A value loaded while Clear ran may predate the change that cleared the
// memo (an account disabled while its session was being read): it is
// returned to its reader but not kept.
func TestMemoClearDuringLoad(t *testing.T) {
	m := app.NewMemo[string, int](time.Minute)
	t0 := apptest.Start
	v, err := m.Get("k", t0, func() (int, error) { m.Clear(); return 1, nil })
	if v != 1 || err != nil {
		t.Fatalf("Get = %d, %v", v, err)
	}
	if v, _ := m.Get("k", t0, func() (int, error) { return 2, nil }); v != 2 {
		t.Errorf("the value loaded across Clear was kept: %d", v)
	}
	if v, _ := m.Get("k", t0, func() (int, error) { return 3, nil }); v != 2 {
		t.Errorf("a load after Clear is kept: %d, want 2", v)
	}
}

func TestRecord(t *testing.T) {
	e := apptest.New(t)
	k := e.App.Kernel
	ac := e.Actor(apptest.Specialist)
	if err := k.RecordRead(e.Ctx, ac, "test.read", "thing:1", map[string]any{"why": "test"}); err != nil {
		t.Fatal(err)
	}
	// A failed transaction leaves no entry.
	boom := errors.New("boom")
	err := k.Store.Update(e.Ctx, func(tx store.Tx) error {
		if err := k.Record(e.Ctx, tx, ac, "test.write", "thing:1", nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	es := e.Audit(t, "", "thing:1")
	if len(es) != 1 {
		t.Fatalf("%d entries, want 1", len(es))
	}
	en := es[0]
	if en.Action != "test.read" || en.ActorID != ac.Account.ID || en.Actor != apptest.Specialist || en.IP != ac.IP || !en.At.Equal(e.Now()) || apptest.Details(t, en)["why"] != "test" {
		t.Errorf("entry = %+v", en)
	}
	if _, err := app.NewKernel(e.Store, "02", nil, nil); err == nil {
		t.Error("a kernel for no province")
	}
}
