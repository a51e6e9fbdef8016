package audit

import (
	"encoding/json"
	"errors"
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
	return v.Finish(headSeq, headHash)
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
		{"removed middle", func(e []Entry) []Entry { return append(e[:1:1], e[2:]...) }, head.Seq, 2},
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
