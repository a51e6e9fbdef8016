package audit

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Anchor records, at a moment, where every chain of the log ended. Signed
// by the province and kept outside the database (a file, a log, the
// national system), it makes a shortened or rewritten chain detectable
// even by someone who can also rewrite the heads stored beside the log:
// the entries an anchor names must still be there with the same hashes.
type Anchor struct {
	At    time.Time `json:"at"`
	Heads []Head    `json:"heads"`
}

// Payload is the text an anchor's signature covers: a fixed first line,
// the time in UTC, then one line per chain that has entries, by chain.
func (a Anchor) Payload() []byte {
	heads := slices.Clone(a.Heads)
	slices.SortFunc(heads, func(x, y Head) int { return x.Chain - y.Chain })
	var b strings.Builder
	b.WriteString("motcua-audit-anchor/1\n")
	b.WriteString(a.At.UTC().Format(time.RFC3339Nano))
	b.WriteByte('\n')
	for _, h := range heads {
		if h.Seq == 0 {
			continue
		}
		b.WriteString(strconv.Itoa(h.Chain))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(h.Seq, 10))
		b.WriteByte(' ')
		b.WriteString(h.Hash)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

type link struct {
	chain int
	seq   int64
}

type anchored struct {
	hash string
	at   time.Time
}

// Expect asks the verification to find the entries a (verified) anchor
// names, with the hashes it records: call it before the first Add.
func (v *Verifier) Expect(a Anchor) {
	if v.expect == nil {
		v.expect = map[link]anchored{}
	}
	for _, h := range a.Heads {
		if h.Seq > 0 {
			v.expect[link{h.Chain, h.Seq}] = anchored{h.Hash, a.At}
		}
	}
}

// checkAnchored checks e against the anchors expecting it.
func (v *Verifier) checkAnchored(e Entry) error {
	want, ok := v.expect[link{e.Chain, e.Seq}]
	if !ok {
		return nil
	}
	delete(v.expect, link{e.Chain, e.Seq})
	if want.hash != e.Hash {
		return &BrokenError{Seq: e.Seq, Reason: fmt.Sprintf("entry %d is not the one anchored at %s (the chain was rewritten)", e.Seq, want.at.Format(time.RFC3339))}
	}
	return nil
}

// missingAnchored reports the first anchored entry not seen.
func (v *Verifier) missingAnchored() error {
	var first *link
	for l := range v.expect {
		if first == nil || l.seq < first.seq {
			first = &l
		}
	}
	if first == nil {
		return nil
	}
	want := v.expect[*first]
	return &BrokenError{Seq: first.seq, Reason: fmt.Sprintf("entry %d of chain %d, anchored at %s, is missing (the chain was shortened or rewritten)", first.seq, first.chain, want.at.Format(time.RFC3339))}
}
