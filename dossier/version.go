package dossier

import (
	"fmt"

	"github.com/motcua/motcua/errs"
)

// ErrStale matches (errors.Is) the error of a request made from an older
// version of a dossier than the stored one.
var ErrStale = &errs.Error{Kind: errs.Conflict, Key: "dossier.stale"}

// CheckVersion is optimistic concurrency: a request made from version
// expected of the dossier (the page the official had open, the ETag an API
// client read) applies only if d is still at that version, so that nobody
// acts on a state they have not seen. expected 0 means "not given" and is
// not checked: the callers decide when a version is required (the pages
// always send one; API clients opt in with If-Match).
func CheckVersion(d *Dossier, expected int) error {
	if expected == 0 || expected == d.Version {
		return nil
	}
	return errs.New(errs.Conflict, ErrStale.Key,
		fmt.Sprintf("Hồ sơ đã được cập nhật sau khi bạn mở (bạn mở phiên bản %d, hiện tại là phiên bản %d). Vui lòng tải lại hồ sơ và thực hiện lại.", expected, d.Version),
		fmt.Sprintf("the dossier changed since version %d (now version %d)", expected, d.Version))
}
