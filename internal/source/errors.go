package source

// Reasons a query fails, the values of kpic_query_errors_total's reason label.
const (
	ReasonConnection = "connection" // no connection or transaction could be started
	ReasonTimeout    = "timeout"    // the query ran past its timeout and was cancelled
	ReasonColumns    = "columns"    // the value or a label column is missing, or a column is unexpected
	ReasonQuery      = "query"      // the database rejected or aborted the statement
	ReasonRefused    = "refused"    // kpic refused the text: not one read-only statement (see sqlcheck)
	ReasonPrivileged = "privileged" // the source's role could reach the server's files or bypass permissions
)

// Reasons lists every failure reason, so counters can start at zero.
var Reasons = []string{ReasonConnection, ReasonTimeout, ReasonColumns, ReasonQuery, ReasonRefused, ReasonPrivileged}

// Error is a failed query with the reason it is counted under; its text is redacted.
type Error struct {
	Reason string
	Err    error
}

func (e *Error) Error() string { return e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// Down reports whether the failure means the source itself is not usable (unreachable,
// hung, or refused for its role), rather than one query being wrong.
func (e *Error) Down() bool {
	switch e.Reason {
	case ReasonConnection, ReasonTimeout, ReasonPrivileged:
		return true
	}
	return false
}
