// Package audit is the append-only, hash-chained log of every state change
// and every read of personal data: who, what, when, from where.
//
// The log is several hash chains woven into one sequence. Each entry has a
// sequence number unique in the whole log (increasing with time, so that the
// entries of one dossier are in the order they happened) and belongs to one
// chain; its hash is SHA-256 over the previous entry's hash in that chain and
// the entry's own fields in a fixed encoding, so altering or removing any
// entry breaks its chain from that entry on. The store keeps each chain's
// head (last sequence and hash) beside the log, so removing the last entries
// of a chain is detected too.
//
// Why several chains: one chain has one head, and every write of the
// platform appends to the log, so one head makes every write of every node
// wait for the one before it to commit. With several, concurrent
// transactions each take a free chain, and the log stays as tamper-evident
// as one chain: every entry is still linked to the one before it in its
// chain, and every chain ends at its recorded head. The log of a store that
// used one chain is chain 1.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one audit record.
type Entry struct {
	Seq      int64           `json:"seq"`
	Chain    int             `json:"chain"`
	At       time.Time       `json:"at"`
	ActorID  int64           `json:"actor_id"` // 0 for the system
	Actor    string          `json:"actor"`    // username or "system"
	Action   string          `json:"action"`   // e.g. "procedure.import", "account.read"
	Object   string          `json:"object"`   // e.g. "procedure:1.001193"
	IP       string          `json:"ip"`
	Details  json.RawMessage `json:"details,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// Truncate rounds At to the microsecond, the precision both stores keep, so
// that a stored entry hashes the same after a round trip.
func (e *Entry) Truncate() { e.At = e.At.UTC().Truncate(time.Microsecond) }

// ComputeHash returns the hash of e chained to prev.
func (e *Entry) ComputeHash(prev string) string {
	h := sha256.New()
	write := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	write(prev)
	write(strconv.FormatInt(e.Seq, 10))
	write(e.At.UTC().Format(time.RFC3339Nano))
	write(strconv.FormatInt(e.ActorID, 10))
	write(e.Actor)
	write(e.Action)
	write(e.Object)
	write(e.IP)
	write(string(e.Details))
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets e's sequence, previous hash and hash after the head (seq, hash)
// of a single chain (chain 1).
func (e *Entry) Seal(headSeq int64, headHash string) { e.Link(1, headSeq+1, headHash) }

// Link sets e's chain, sequence number, previous hash (the hash of the last
// entry of the chain, or Genesis) and hash.
func (e *Entry) Link(chain int, seq int64, prev string) {
	e.Truncate()
	e.Chain, e.Seq = chain, seq
	e.PrevHash = prev
	e.Hash = e.ComputeHash(prev)
}

// Head is where a chain ends: its last entry's sequence number and hash
// (0 and Genesis for a chain with no entry).
type Head struct {
	Chain int    `json:"chain"`
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
}

// BrokenError names the first entry where the chain does not hold.
type BrokenError struct {
	Seq    int64
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", e.Seq, e.Reason)
}

// Verifier checks entries fed in sequence order.
type Verifier struct {
	chains map[int]*Head
	count  int64
	last   int64
	expect map[link]anchored // see Expect
}

// NewVerifier starts a verification from the genesis.
func NewVerifier() *Verifier { return &Verifier{chains: map[int]*Head{}} }

// Add checks the next entry: its sequence number is above the one before
// it, and it is linked to the last entry of its chain and matches its
// hash.
func (v *Verifier) Add(e Entry) error {
	if e.Chain < 1 {
		return &BrokenError{Seq: e.Seq, Reason: fmt.Sprintf("entry %d names no chain (%d)", e.Seq, e.Chain)}
	}
	if e.Seq <= v.last {
		return &BrokenError{Seq: e.Seq, Reason: fmt.Sprintf("entry %d comes after entry %d (out of order)", e.Seq, v.last)}
	}
	h := v.chains[e.Chain]
	if h == nil {
		h = &Head{Chain: e.Chain, Hash: Genesis}
		v.chains[e.Chain] = h
	}
	switch {
	case e.PrevHash != h.Hash:
		return &BrokenError{Seq: e.Seq, Reason: fmt.Sprintf("previous-hash link does not match the entry before it in chain %d (an entry was removed or altered)", e.Chain)}
	case e.ComputeHash(h.Hash) != e.Hash:
		return &BrokenError{Seq: e.Seq, Reason: "content does not match its hash (the entry was altered)"}
	}
	if err := v.checkAnchored(e); err != nil {
		return err
	}
	h.Seq, h.Hash = e.Seq, e.Hash
	v.last = e.Seq
	v.count++
	return nil
}

// Finish checks the last entry of every chain against the stored heads,
// and that every anchored entry was found.
func (v *Verifier) Finish(heads []Head) error {
	if err := v.missingAnchored(); err != nil {
		return err
	}
	known := map[int]bool{}
	for _, want := range heads {
		known[want.Chain] = true
		got := v.chains[want.Chain]
		if got == nil {
			got = &Head{Chain: want.Chain, Hash: Genesis}
		}
		if got.Seq != want.Seq || got.Hash != want.Hash {
			return &BrokenError{Seq: want.Seq, Reason: fmt.Sprintf("chain %d ends at entry %d but its head records entry %d (entries were removed)", want.Chain, got.Seq, want.Seq)}
		}
	}
	for c, h := range v.chains {
		if !known[c] {
			return &BrokenError{Seq: h.Seq, Reason: fmt.Sprintf("chain %d has entries but no recorded head", c)}
		}
	}
	return nil
}

// Count is the number of entries verified.
func (v *Verifier) Count() int64 { return v.count }

// Last is the sequence number of the last entry verified.
func (v *Verifier) Last() int64 { return v.last }
