package unit

// AgencyFilter selects agencies.
type AgencyFilter struct {
	Kind        AgencyKind
	Sector      string
	CommuneCode string
}
