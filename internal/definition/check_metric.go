package definition

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kpic/kpic/internal/sqlcheck"
)

// metric checks one metric: its name, its one way of being read, and what it refers to.
func (c *checker) metric(x *Metric) {
	what := fmt.Sprintf("metric %q", x.Name)
	c.required(x.Meta, what, "name", x.Name != "")
	c.required(x.Meta, what, "help", strings.TrimSpace(x.Help) != "")
	c.seriesNameOK(x.Meta, "metric", x.Name)
	c.ref(x.Meta, "owner", what, "team", x.Owner)
	c.unit(x.Meta, what, x.Unit)
	switch hasQuery, hasExpr := x.Has("query") || x.Query != "", x.Has("expr") || x.Expr != ""; {
	case hasQuery && hasExpr:
		c.errorf(x.At("expr"), "%s sets both query and expr; a metric is read either by SQL (query) or from Prometheus (expr)", what)
	case hasQuery:
		c.sqlQuery(x.Meta, what, x.Source, x.Query, x.Labels)
		c.seriesLimit(x.Meta, what, x.SeriesLimit)
		c.history(x.History, what, x.Source)
	case hasExpr:
		c.promQL(x.Meta, "expr", what, x.Expr)
		c.onlyWithQuery(x.Meta, what, "a metric read by a query", queryOnlyFields...)
	default:
		c.errorf(x.Pos, "%s needs a query (SQL, with a source) or an expr (PromQL)", what)
	}
}

// sqlQuery checks what an SQL-backed metric or KPI needs: a source, a query and valid labels.
func (c *checker) sqlQuery(meta Meta, what, source, query string, labels []string) {
	if c.required(meta, what, "source", source != "") {
		c.ref(meta, "source", what, "source", source)
	}
	if strings.TrimSpace(query) == "" {
		c.errorf(meta.At("query"), "query of %s is empty", what)
	} else if src := c.sources[source]; src != nil {
		c.readOnlyQuery(meta, what, src.Driver, query)
	}
	c.labelNames(meta, "labels", what, labels)

	for i, l := range labels {
		if _, clash := c.m.Settings.Rules.Labels[l]; clash {
			c.errorf(meta.At(fmt.Sprintf("labels[%d]", i)), "label %q in %s is also a label of settings.rules.labels, which kpic serve adds to every gauge; rename the column", l, what)
		}
	}
	if i := slices.Index(labels, valueColumn); i >= 0 {
		c.errorf(meta.At(fmt.Sprintf("labels[%d]", i)), "label %q in %s: the value column is the sample, not a label", valueColumn, what)
	}
}

// readOnlyQuery refuses SQL that kpic serve would refuse to run: more than one statement,
// transaction control, or a statement that is not a query; the error points at the offending
// token in the file.
func (c *checker) readOnlyQuery(meta Meta, what, driver, query string) {
	d, ok := sqlcheck.ForDriver(driver)
	if !ok {
		return // the source's unknown driver is reported on the source
	}
	_, err := sqlcheck.Statement(query, d)
	var e *sqlcheck.Error
	if errors.As(err, &e) {
		c.errorf(c.exprPos(meta.At("query"), query, e.Offset), "query of %s is refused: %s", what, e.Msg)
	}
}

// unit checks a unit against Units.
func (c *checker) unit(meta Meta, what, unit string) {
	if unit != "" && !slices.Contains(Units, unit) {
		c.errorf(meta.At("unit"), "unknown unit %q in %s; use one of %s%s", unit, what, joinOr(Units), didYouMean(unit, Units))
	}
}

// valueColumn is the result column holding the sample.
const valueColumn = "value"

// queryOnlyFields are the fields of metrics and KPIs that only mean something with a query.
var queryOnlyFields = []string{"source", "labels", "interval", "timeout", "series_limit", "history"}

// onlyWithQuery reports fields that only mean something for SQL-backed series.
func (c *checker) onlyWithQuery(meta Meta, what, only string, keys ...string) {
	for _, key := range keys {
		if meta.Has(key) {
			c.errorf(meta.At(key), "field %q of %s only applies to %s", key, what, only)
		}
	}
}

// seriesLimit checks a written series_limit (unwritten ones take the exporter's default).
func (c *checker) seriesLimit(meta Meta, what string, limit int) {
	if meta.Has("series_limit") && limit < 1 {
		c.errorf(meta.At("series_limit"), "series_limit of %s must be at least 1, got %d", what, limit)
	}
}

// history checks a series' history query (the decoder already refuses a zero timeout); it
// runs on the series' source, so it must be one read-only statement too.
func (c *checker) history(h *History, what, source string) {
	if h == nil {
		return
	}
	if strings.TrimSpace(h.Query) == "" {
		c.errorf(h.At("query"), "history of %s needs a query returning the columns time, value and the labels", what)
	} else if src := c.sources[source]; src != nil {
		c.readOnlyQuery(h.Meta, "the history of "+what, src.Driver, h.Query)
	}
}
