package accounts

// SetPasswordChecks gives s slots password-check slots and the checks
// check and dummy in place of identity's.
func SetPasswordChecks(s *Service, slots int, check func(encoded, password string) bool, dummy func(password string)) {
	s.checkSlots = make(chan struct{}, slots)
	s.checkPassword, s.checkDummy = check, dummy
}

// WaitTouches waits for the writes of sessions' last use under way.
func WaitTouches(s *Service) { s.touched.writer.Wait() }
