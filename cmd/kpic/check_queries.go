package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/exporter"
	"github.com/kpic/kpic/internal/report"
	"github.com/kpic/kpic/internal/source"
)

// queryItems runs every exported query once, as kpic serve would, and reports at each query's
// position what would go wrong there: an error when it fails, a warning when it would publish
// nothing useful. A source that cannot be opened or reached is reported once, at the source.
func queryItems(ctx context.Context, m *definition.Model, fields *fieldFinder) []report.Item {
	var out []report.Item
	down := map[string]bool{}
	for _, t := range exporter.Try(ctx, m, source.OSEnv(), m.Exported()) {
		out = append(out, trialItems(m, t, fields, down)...)
	}
	return out
}

// trialItems are the findings of one trial; down holds the sources already reported as
// failing whole, so each is reported once.
func trialItems(m *definition.Model, t exporter.Trial, fields *fieldFinder, down map[string]bool) []report.Item {
	if name, err := sourceFailure(t); err != nil {
		if down[name] {
			return nil
		}
		down[name] = true
		return []report.Item{itemAt(fields, sourcePos(m, name), report.Error, err.Error())}
	}
	var out []report.Item
	pos := queryPos(m, t.Export)
	for _, p := range trialProblems(t) {
		out = append(out, itemAt(fields, pos, p.severity, p.message))
	}
	return out
}

// sourceFailure returns the source and the error when a trial failed for its source as a
// whole (it did not open, no connection could be made, or its role is refused as privileged)
// rather than for its query.
func sourceFailure(t exporter.Trial) (string, error) {
	var oe *exporter.OpenError
	if errors.As(t.Err, &oe) {
		return oe.Source, fmt.Errorf("%w; its queries were not tried", oe.Err)
	}
	var se *source.Error
	if errors.As(t.Err, &se) {
		switch se.Reason {
		case source.ReasonConnection:
			return t.Export.Source, fmt.Errorf("source %q: cannot connect: %w", t.Export.Source, se)
		case source.ReasonPrivileged:
			return t.Export.Source, fmt.Errorf("source %q: %w", t.Export.Source, se)
		}
	}
	return "", nil
}

type problem struct{ severity, message string }

// trialProblems says what is wrong with one query's outcome, worst first.
func trialProblems(t exporter.Trial) []problem {
	name := t.Export.Name
	if t.Err != nil {
		reason := source.ReasonQuery
		var se *source.Error
		if errors.As(t.Err, &se) {
			reason = se.Reason
		}
		return []problem{{report.Error, fmt.Sprintf("query %q failed (%s): %v", name, reason, t.Err)}}
	}
	var out []problem
	warn := func(format string, args ...any) {
		out = append(out, problem{report.Warning, fmt.Sprintf("query %q "+format, append([]any{name}, args...)...)})
	}
	st := t.Stats
	switch {
	case st.Rows == 0:
		warn("returned no rows: kpic serve would publish nothing and its dashboards would show no data")
	case st.Null == st.Rows:
		warn("returned only NULL values (%s): kpic serve skips NULL rows and would publish nothing", plural(st.Rows, "row"))
	}
	if st.NonNumeric > 0 {
		warn("returned %s whose value is not a number; kpic serve skips them", plural(st.NonNumeric, "row"))
	}
	if t.Duplicate > 0 {
		warn("returned %s repeating another row's labels; kpic serve keeps the first (is a column missing from labels?)", plural(t.Duplicate, "row"))
	}
	if t.OverLimit > 0 {
		warn("returned %d series, more than its limit of %d; kpic serve drops the rest (raise series_limit or aggregate)", t.Series+t.OverLimit, t.Limit)
	}
	return out
}

// queryPos is where the query's SQL is written.
func queryPos(m *definition.Model, x definition.Export) definition.Pos {
	if k := m.KPI(x.Name); k != nil && k.Kind == definition.KindQuery {
		return k.At("query")
	}
	if mt := m.Metric(x.Name); mt != nil {
		return mt.At("query")
	}
	return x.Pos
}

func sourcePos(m *definition.Model, name string) definition.Pos {
	if s := m.Source(name); s != nil {
		return s.Pos
	}
	return definition.Pos{}
}

func itemAt(fields *fieldFinder, p definition.Pos, severity, msg string) report.Item {
	return report.Item{File: p.File, Line: p.Line, Column: p.Col, Severity: severity, Message: msg, Field: fields.at(p)}
}

// plural is "1 row", "2 rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
