package identity

import "github.com/motcua/motcua/errs"

// Actor is who acts: an account (nil for an anonymous caller) or the
// platform itself, and from where (for the audit trail). It is the one
// type of "who acts": the use cases check its permissions, the dossier
// engine its grants, the audit records its name.
type Actor struct {
	Account   *Account // nil for anonymous callers and the system
	System    bool     // the platform itself or an operator's command line
	IP        string
	UserAgent string
}

// SystemActor is the platform acting on its own or through its command
// line (what says which, e.g. "cli").
func SystemActor(what string) Actor { return Actor{System: true, IP: what} }

// ActorOf is an account acting.
func ActorOf(a *Account) Actor { return Actor{Account: a} }

// ID is the acting account's ID (0 for the system and anonymous callers).
func (ac Actor) ID() int64 {
	if ac.Account == nil {
		return 0
	}
	return ac.Account.ID
}

// DisplayName is the name the actor signs with on a dossier's history.
func (ac Actor) DisplayName() string {
	switch {
	case ac.Account != nil:
		return ac.Account.DisplayName
	case ac.System:
		return "Hệ thống"
	}
	return ""
}

// AuditName is the actor's account ID and name for the audit trail.
func (ac Actor) AuditName() (int64, string) {
	switch {
	case ac.Account != nil:
		return ac.Account.ID, ac.Account.Username
	case ac.System:
		return 0, "system"
	}
	return 0, "anonymous"
}

// Grants are the acting account's roles (none for the system).
func (ac Actor) Grants() []Grant {
	if ac.Account == nil {
		return nil
	}
	return ac.Account.Grants
}

// Holds reports whether the actor holds role at agency ("" = anywhere) and
// returns the agency it holds it at.
func (ac Actor) Holds(role Role, agency string) (string, bool) {
	for _, g := range ac.Grants() {
		if g.Role == role && (agency == "" || g.AgencyID == agency) {
			return g.AgencyID, true
		}
	}
	return "", false
}

// Require checks that the actor holds perm (at agencyID when given); the
// system may do anything.
func (ac Actor) Require(perm Permission, agencyID string) error {
	if ac.System {
		return nil
	}
	if ac.Account == nil {
		return errs.New(errs.Unauthorized, "auth.required", "Bạn cần đăng nhập để thực hiện thao tác này.", "authentication required")
	}
	if !ac.Account.Can(perm, agencyID) {
		return errs.New(errs.Forbidden, "auth.forbidden", "Tài khoản của bạn không có quyền thực hiện thao tác này.", "permission "+string(perm)+" required")
	}
	return nil
}
