package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/errs"
)

// Versions travel: every form of the dossier page and every API action
// carries the version of the dossier it was decided on, and the engine
// (dossier.CheckVersion) refuses another one with a Conflict that changes
// nothing. The rules of the two doors differ only in a missing version:
//
//   - A page form must carry one (formVersion): the page always writes it,
//     so a form without it was not made from the page as it is and is
//     refused like a stale one, never applied to a state nobody saw.
//   - An API client opts in with If-Match, the ETag of the GET: without it
//     the action applies to the current version, as before (clients that
//     send no precondition keep working; they take the risk of acting on a
//     state they did not read).
//
// The refusal is 409 on both doors, with the Vietnamese message of the
// domain; the page shows it with a link to the fresh dossier page.

func init() {
	addTexts(map[string]text{
		"dossier.reload":          {"Tải lại hồ sơ", "Reload the dossier"},
		"dossier.version_missing": {"Biểu mẫu không ghi phiên bản hồ sơ bạn đã xem. Vui lòng tải lại hồ sơ và thực hiện lại.", "The form does not say which version of the dossier you saw. Please reload the dossier and try again."},
	})
}

// formVersion is the version a dossier page's form was made from (its
// hidden field "version"), required.
func formVersion(r *http.Request) (int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("version")))
	if err != nil || v < 1 {
		return 0, errs.New(errs.Conflict, "dossier.version_missing",
			translate(lang(r), "dossier.version_missing"),
			"the form carries no dossier version")
	}
	return v, nil
}
