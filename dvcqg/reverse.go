package dvcqg

import "sort"

// LocalProcedure is the local procedure code of the portal's MaTTHC: the
// local code the mapping maps to it (the smallest, should several), else
// the same code (an absent entry maps a code to itself).
func (m Mapping) LocalProcedure(national string) string {
	var found []string
	for local, nat := range m.Procedures {
		if nat == national && local != "" {
			found = append(found, local)
		}
	}
	if len(found) == 0 {
		if v, ok := m.Procedures[national]; ok && v != "" && v != national {
			// The code is a local code mapped to another national one:
			// it names no local procedure of this national code.
			return ""
		}
		return national
	}
	sort.Strings(found)
	return found[0]
}

// LocalDatabase is the local code of a shared database the portal names by
// its MaCSDL (the code itself when the mapping has none).
func (m Mapping) LocalDatabase(national string) string {
	var found []string
	for local, nat := range m.Databases {
		if nat == national {
			found = append(found, local)
		}
	}
	if len(found) == 0 {
		return national
	}
	sort.Strings(found)
	return found[0]
}
