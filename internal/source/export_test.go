package source

import "context"

// RunUnchecked runs q.SQL as it is, skipping sqlcheck, so that tests reach the guards of the
// drivers and of the database themselves (defence in depth).
func (s *Source) RunUnchecked(ctx context.Context, q Query, visit Visit) (Stats, error) {
	return s.run(ctx, q.SQL, q, visit)
}

// Classify is how Run reports err from the database, for tests of real server errors.
func (s *Source) Classify(err error) error {
	return s.fail(context.Background(), context.Background(), ReasonQuery, err)
}

// SkipGuard turns off one of the two ways a timed-out MySQL or MariaDB statement is stopped
// ("kill" or "timer"), so a test shows the other alone stops it.
func (s *Source) SkipGuard(which string) {
	switch which {
	case "kill":
		s.skipKill = true
	case "timer":
		s.skipTimer = true
	default:
		panic("unknown guard " + which)
	}
}
