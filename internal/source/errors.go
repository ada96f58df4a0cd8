package source

// Reasons a query fails, the values of kpic_query_errors_total's reason label.
const (
	ReasonConnection = "connection" // no connection or transaction could be started
	ReasonTimeout    = "timeout"    // the query ran past its timeout and was cancelled
	ReasonColumns    = "columns"    // the value or a label column is missing, or a column is unexpected
	ReasonQuery      = "query"      // the database rejected or aborted the statement
)

// Reasons lists every failure reason, so counters can start at zero.
var Reasons = []string{ReasonConnection, ReasonTimeout, ReasonColumns, ReasonQuery}

// Error is a failed query with the reason it is counted under; its text is redacted.
type Error struct {
	Reason string
	Err    error
}

func (e *Error) Error() string { return e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }
