package national

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// MaxAnchorBytes bounds a posted anchor (a few dozen chain heads, a
// signature and a certificate).
const MaxAnchorBytes = 64 << 10

// anchorAction is the national log's action for a province's anchor.
const anchorAction = "anchor.received"

// postedAnchor is what a province posts: its signed audit anchor
// (auditlog.SignedAnchor: the heads, the signature over their payload, the
// signer's certificates). The national side keeps it as received, in its
// own hash-chained log: the province's log can then be checked against a
// copy it does not control.
type postedAnchor struct {
	audit.Anchor
	Certs     [][]byte `json:"certs"`
	Signature []byte   `json:"signature"`
}

// ReceiveAnchor keeps a province's signed audit anchor.
func (s *Service) ReceiveAnchor(ctx context.Context, c Caller, raw []byte) error {
	if len(raw) > MaxAnchorBytes {
		return errs.New(errs.Invalid, "national.anchor_too_large", fmt.Sprintf("Neo nhật ký dài quá %d byte.", MaxAnchorBytes), "anchor too large")
	}
	var a postedAnchor
	if err := json.Unmarshal(raw, &a); err != nil {
		return errs.New(errs.Invalid, "national.anchor_malformed", "Neo nhật ký không phải JSON hợp lệ.", "malformed anchor")
	}
	switch {
	case a.At.IsZero():
		return errs.New(errs.Invalid, "national.anchor_invalid", "Neo nhật ký thiếu thời điểm (at).", "anchor without a time")
	case len(a.Heads) == 0 || len(a.Heads) > 1024:
		return errs.New(errs.Invalid, "national.anchor_invalid", "Neo nhật ký phải có từ 1 đến 1024 đầu chuỗi (heads).", "anchor heads")
	case len(a.Signature) == 0 || len(a.Certs) == 0:
		return errs.New(errs.Invalid, "national.anchor_unsigned", "Neo nhật ký chưa được ký (thiếu signature hoặc certs).", "anchor not signed")
	}
	for _, h := range a.Heads {
		if b, err := hex.DecodeString(h.Hash); h.Chain < 1 || h.Seq < 0 || (h.Seq > 0 && (err != nil || len(b) != 32)) {
			return errs.New(errs.Invalid, "national.anchor_invalid", fmt.Sprintf("Đầu chuỗi %d của neo nhật ký không hợp lệ.", h.Chain), "invalid anchor head")
		}
	}
	compact, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("receive anchor of %s: %w", c.Province, err)
	}
	return s.db.Update(ctx, func(tx store.Tx) error {
		return s.record(ctx, tx, c, anchorAction, json.RawMessage(compact))
	})
}

// Anchors lists a province's anchors as received, newest first (20
// unless limit says otherwise, at most 100).
func (s *Service) Anchors(ctx context.Context, province string, limit int) ([]json.RawMessage, error) {
	if _, err := s.units.Province(province); err != nil {
		return nil, errs.New(errs.NotFound, "national.province_not_found", fmt.Sprintf("Không có tỉnh mã %q.", province), "no province "+province)
	}
	if limit <= 0 {
		limit = 20
	}
	es, err := s.db.AuditEntries(ctx, audit.Filter{Action: anchorAction, Object: "province:" + province, Limit: min(limit, 100)})
	if err != nil {
		return nil, fmt.Errorf("anchors of %s: %w", province, err)
	}
	out := make([]json.RawMessage, len(es))
	for i, e := range es {
		out[i] = json.RawMessage(e.Details)
	}
	return out, nil
}
