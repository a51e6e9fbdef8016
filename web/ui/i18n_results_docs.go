package ui

// The texts of issue 15's result documents: the number and signer on the
// verification page, the leader's draft, the write-backs in quarantine.
func init() {
	addTexts(map[string]text{
		"verify.number":    {"Số", "Number"},
		"verify.signed_by": {"Người ký", "Signed by"},
	})
}
