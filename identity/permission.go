package identity

// Permission is something an account may do.
type Permission string

// Permissions checked by the use cases and the HTTP layer.
const (
	PermCatalogManage  Permission = "catalog.manage"  // import, edit, delete procedures
	PermAgencyManage   Permission = "agency.manage"   // agencies and office hours
	PermAccountManage  Permission = "account.manage"  // create accounts, grant roles
	PermAccountRead    Permission = "account.read"    // read other accounts (personal data)
	PermCalendarManage Permission = "calendar.manage" // load yearly holiday schedules
	PermAuditRead      Permission = "audit.read"      // read the audit log
	PermReportRead     Permission = "report.read"     // dashboards and reports
	PermDossierSubmit  Permission = "dossier.submit"  // submit dossiers (applicants, counters)
	PermDossierHandle  Permission = "dossier.handle"  // act on dossiers at one's agency
	// PermNationalInbound hands over a dossier submitted on the national
	// portal (DVCQG) for one of the province's procedures.
	PermNationalInbound Permission = "national.inbound"
	// PermNationalSync oversees the sync of the province's dossiers to the
	// national portal: its state, resyncs, the mapping of codes.
	PermNationalSync Permission = "national.sync"
)

// rolePermissions is the default role → permission matrix.
var rolePermissions = map[Role][]Permission{
	RoleAdmin:      {PermCatalogManage, PermAgencyManage, PermAccountManage, PermAccountRead, PermCalendarManage, PermAuditRead, PermReportRead, PermNationalSync},
	RoleViewer:     {PermReportRead},
	RoleLeader:     {PermDossierHandle, PermReportRead},
	RoleReceiver:   {PermDossierHandle, PermDossierSubmit, PermAccountRead},
	RoleSpecialist: {PermDossierHandle},
	RoleClerk:      {PermDossierHandle},
	// The portal's service account hands dossiers over and nothing else.
	RoleNationalPortal: {PermNationalInbound},
}

// kindPermissions are held by every account of a kind.
var kindPermissions = map[Kind][]Permission{
	KindCitizen:    {PermDossierSubmit},
	KindEnterprise: {PermDossierSubmit},
}

// Can reports whether the account holds perm, at agencyID when agencyID is
// not empty (a role at another agency does not count), anywhere otherwise.
func (a *Account) Can(perm Permission, agencyID string) bool {
	if a == nil || a.Disabled {
		return false
	}
	for _, p := range kindPermissions[a.Kind] {
		if p == perm {
			return true
		}
	}
	for _, g := range a.Grants {
		if agencyID != "" && g.AgencyID != agencyID && g.Role != RoleAdmin {
			continue
		}
		for _, p := range rolePermissions[g.Role] {
			if p == perm {
				return true
			}
		}
	}
	return false
}

// PermissionsOf lists the permissions an account holds anywhere.
func (a *Account) PermissionsOf() []Permission {
	seen := map[Permission]bool{}
	var out []Permission
	add := func(ps []Permission) {
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	add(kindPermissions[a.Kind])
	for _, g := range a.Grants {
		add(rolePermissions[g.Role])
	}
	return out
}
