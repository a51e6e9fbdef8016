package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	seq, hash := int64(0), Genesis
	at := time.Date(2026, 1, 5, 8, 0, 0, 123456789, time.UTC)
	for i := 0; i < n; i++ {
		e := Entry{At: at.Add(time.Duration(i) * time.Second), Actor: "quantri", ActorID: 7, Action: "procedure.import", Object: "procedure:1.001193", IP: "127.0.0.1", Details: json.RawMessage(`{"n":1}`)}
		e.Seal(seq, hash)
		seq, hash = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

func verify(es []Entry, headSeq int64, headHash string) error {
	v := NewVerifier()
	for _, e := range es {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return v.Finish([]Head{{Chain: 1, Seq: headSeq, Hash: headHash}})
}

func TestVerify(t *testing.T) {
	good := chain(5)
	head := good[len(good)-1]
	tests := []struct {
		name    string
		mutate  func([]Entry) []Entry
		headSeq int64
		wantSeq int64 // 0 = intact
	}{
		{"intact", func(e []Entry) []Entry { return e }, head.Seq, 0},
		{"altered action", func(e []Entry) []Entry { e[2].Action = "x"; return e }, head.Seq, 3},
		{"altered time", func(e []Entry) []Entry { e[0].At = e[0].At.Add(time.Microsecond); return e }, head.Seq, 1},
		{"removed middle", func(e []Entry) []Entry { return append(e[:1:1], e[2:]...) }, head.Seq, 3},
		{"removed last", func(e []Entry) []Entry { return e[:4] }, head.Seq, 5},
		{"rehashed alone", func(e []Entry) []Entry { e[1].Object = "y"; e[1].Hash = e[1].ComputeHash(e[1].PrevHash); return e }, head.Seq, 3},
	}
	for _, tt := range tests {
		es := tt.mutate(append([]Entry(nil), good...))
		err := verify(es, tt.headSeq, head.Hash)
		var be *BrokenError
		if tt.wantSeq == 0 {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.As(err, &be) || be.Seq != tt.wantSeq {
			t.Errorf("%s: err = %v, want broken at %d", tt.name, err, tt.wantSeq)
		}
	}
}

// woven returns entries of chains 1..k interleaved: entry i (from 1) goes to
// chain 1+i%k, with sequence numbers 10·i (gaps, as a database sequence
// leaves after a rollback).
func woven(n, k int) ([]Entry, []Head) {
	heads := make([]Head, k)
	for c := range heads {
		heads[c] = Head{Chain: c + 1, Hash: Genesis}
	}
	var out []Entry
	at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		h := &heads[i%k]
		e := Entry{At: at.Add(time.Duration(i) * time.Second), Actor: "canbo", ActorID: 3, Action: "dossier.receive", Object: fmt.Sprintf("dossier:%d", i)}
		e.Link(h.Chain, int64(10*i), h.Hash)
		h.Seq, h.Hash = e.Seq, e.Hash
		out = append(out, e)
	}
	return out, heads
}

func TestVerifyChains(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func([]Entry, []Head) ([]Entry, []Head)
		wantSeq int64 // 0 = intact
	}{
		{"intact", func(e []Entry, h []Head) ([]Entry, []Head) { return e, h }, 0},
		{"unused chain", func(e []Entry, h []Head) ([]Entry, []Head) { return e, append(h, Head{Chain: 9, Hash: Genesis}) }, 0},
		{"removed middle of one chain", func(e []Entry, h []Head) ([]Entry, []Head) { return append(e[:3:3], e[4:]...), h }, 70},
		{"moved to another chain", func(e []Entry, h []Head) ([]Entry, []Head) { e[3].Chain = 1 + e[3].Chain%3; return e, h }, 40},
		{"removed last of one chain", func(e []Entry, h []Head) ([]Entry, []Head) { return e[:len(e)-1], h }, 120},
		{"out of order", func(e []Entry, h []Head) ([]Entry, []Head) { e[4], e[5] = e[5], e[4]; return e, h }, 50},
		{"head missing", func(e []Entry, h []Head) ([]Entry, []Head) { return e, h[1:] }, 120},
		{"no chain", func(e []Entry, h []Head) ([]Entry, []Head) { e[0].Chain = 0; return e, h }, 10},
		{"altered", func(e []Entry, h []Head) ([]Entry, []Head) { e[6].Object = "dossier:x"; return e, h }, 70},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good, heads := woven(12, 3)
			es, hs := tt.mutate(append([]Entry(nil), good...), append([]Head(nil), heads...))
			v := NewVerifier()
			var err error
			for _, e := range es {
				if err = v.Add(e); err != nil {
					break
				}
			}
			if err == nil {
				err = v.Finish(hs)
			}
			var be *BrokenError
			if tt.wantSeq == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if v.Count() != int64(len(es)) || v.Last() != es[len(es)-1].Seq {
					t.Errorf("count %d last %d", v.Count(), v.Last())
				}
				return
			}
			if !errors.As(err, &be) || be.Seq != tt.wantSeq {
				t.Errorf("err = %v, want broken at %d", err, tt.wantSeq)
			}
		})
	}
}
