// Package audit is the append-only, hash-chained log of every state change
// and every read of personal data: who, what, when, from where.
//
// Each entry's hash is SHA-256 over the previous entry's hash and the entry's
// own fields in a fixed encoding, so altering or removing any entry breaks
// the chain from that entry on; the store keeps the head (last sequence and
// hash) beside the log, so removing the last entries is detected too.
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

// Seal sets e's sequence, previous hash and hash after the head (seq, hash).
func (e *Entry) Seal(headSeq int64, headHash string) {
	e.Truncate()
	e.Seq = headSeq + 1
	e.PrevHash = headHash
	e.Hash = e.ComputeHash(headHash)
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
	seq   int64
	hash  string
	count int64
}

// NewVerifier starts a verification from the genesis.
func NewVerifier() *Verifier { return &Verifier{hash: Genesis} }

// Add checks the next entry.
func (v *Verifier) Add(e Entry) error {
	want := v.seq + 1
	switch {
	case e.Seq != want:
		return &BrokenError{Seq: want, Reason: fmt.Sprintf("entry %d is missing (next stored entry is %d)", want, e.Seq)}
	case e.PrevHash != v.hash:
		return &BrokenError{Seq: e.Seq, Reason: "previous-hash link does not match the entry before it"}
	case e.ComputeHash(v.hash) != e.Hash:
		return &BrokenError{Seq: e.Seq, Reason: "content does not match its hash (the entry was altered)"}
	}
	v.seq, v.hash = e.Seq, e.Hash
	v.count++
	return nil
}

// Finish checks the last entry seen against the stored head.
func (v *Verifier) Finish(headSeq int64, headHash string) error {
	if headSeq != v.seq || headHash != v.hash {
		return &BrokenError{Seq: v.seq + 1, Reason: fmt.Sprintf("the log ends at entry %d but the head records entry %d (entries were removed)", v.seq, headSeq)}
	}
	return nil
}

// Count is the number of entries verified.
func (v *Verifier) Count() int64 { return v.count }
