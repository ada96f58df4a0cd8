// Package kpitest runs the unit tests users write for their KPI definitions (*_test.yaml files
// beside them, run by kpic test) in the definitions' own terms: input series by metric name,
// expectations on a KPI's value, target, attainment, forecast, status and alerts. The tests run
// on the generated rules with the Prometheus rule engine in-process (internal/ruleeval).
package kpitest

import (
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"

	"github.com/kpic/kpic/internal/definition"
)

// File is one test file and its tests, in file order.
type File struct {
	// Path names the file in messages, as dir/relative-path.
	Path  string
	Tests []*Test
}

// Test is one named test: input series and what the KPIs must show at given times.
type Test struct {
	Name string
	// Pos is where the test's name is written; failures that belong to no expectation
	// point there.
	Pos definition.Pos
	// Start is the instant of the first input sample and of `at: 0`.
	Start time.Time
	// Interval is the step between the input series' values.
	Interval time.Duration
	Inputs   []Input
	Expect   []*Expectation
}

// Input is one input series, its values expanded into samples.
type Input struct {
	Labels labels.Labels
	Points []promql.FPoint
	Pos    definition.Pos
}

// Expectation is what one KPI must show at one instant. Only the fields written are checked.
type Expectation struct {
	Pos definition.Pos
	// At is the instant, relative to the test's start; AtText is how it was written.
	At     time.Duration
	AtText string
	AtPos  definition.Pos
	KPI    string
	// Labels pick one series of a KPI with a breakdown (`by`).
	Labels map[string]string

	Value, Target, Attainment, Forecast *Number
	Status                              *Status
	Alerts                              *AlertNames
}

// Number is an expected number and where it was written.
type Number struct {
	Want float64
	Pos  definition.Pos
}

// Status is an expected status word: green, amber, red or nodata.
type Status struct {
	Want string
	Pos  definition.Pos
}

// AlertNames are the alerts expected to fire, exactly; none when empty.
type AlertNames struct {
	Want []string
	Pos  definition.Pos
}

// Status words and the kpi:status values they stand for (nodata: no status at all).
const (
	Green  = "green"
	Amber  = "amber"
	Red    = "red"
	NoData = "nodata"
)

var statusWords = []string{Green, Amber, Red, NoData}
