package api

import (
	"strconv"
	"strings"

	"github.com/motcua/motcua/dossier"
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

// etag is the entity tag of a dossier's version. It is strong because the
// version names the dossier's state; the flags computed from the clock
// (overdue, due soon) may change under the same tag, which is harmless as
// the tag serves If-Match only.
func etag(d *dossier.Dossier) string { return `"` + strconv.Itoa(d.Version) + `"` }

// ifMatch reads an If-Match header: "" or "*" ask for no particular version
// (0); else one entity tag of a dossier, "7" (W/"7" is accepted alike, the
// version being what is compared).
func ifMatch(h string) (int, error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return 0, nil
	}
	t := strings.TrimPrefix(h, "W/")
	if len(t) >= 3 && t[0] == '"' && t[len(t)-1] == '"' {
		if v, err := strconv.Atoi(t[1 : len(t)-1]); err == nil && v >= 1 {
			return v, nil
		}
	}
	msg := `If-Match phải là một ETag của hồ sơ như đọc được từ GET /api/v1/dossiers/{code}, ví dụ "7".`
	return 0, errs.InvalidFields("dossier.if_match", msg, "If-Match must be one entity tag of the dossier",
		[]errs.FieldError{{Field: "header.If-Match", Key: "etag", Message: msg}})
}

// taggedDossier is a dossier with its version as ETag.
type taggedDossier struct {
	ETag string `header:"ETag" doc:"The dossier's version, to send back in If-Match with an action"`
	Body DossierOut
}
