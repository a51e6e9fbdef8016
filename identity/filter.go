package identity

// AccountFilter selects accounts.
type AccountFilter struct {
	Text     string // username, name or citizen ID
	AgencyID string // officials with a grant at this agency
	Kind     Kind
	Limit    int
	Offset   int
}
