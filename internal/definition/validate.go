package definition

import (
	"fmt"
	"regexp"
	"runtime"
	"sync"

	"github.com/prometheus/prometheus/promql/parser"
)

// checker validates a merged, defaulted model, appending every problem it finds.
type checker struct {
	m      *Model
	diags  *Diagnostics
	parser parser.Parser
	// Name indexes built once, first definition wins; the name lists feed suggestions.
	sources    map[string]*Source
	teams      map[string]*Team
	objectives map[string]*Objective
	metrics    map[string]*Metric
	kpis       map[string]*KPI
	names      map[string][]string
	// texts holds each file's content, to map positions inside PromQL back to the file.
	texts map[string][]byte
}

// validate runs every check on m: each entity on its own, then cross-references, then warnings.
func validate(m *Model, texts map[string][]byte, diags *Diagnostics) {
	c := &checker{m: m, diags: diags, texts: texts, parser: parser.NewParser(parser.Options{}), names: map[string][]string{}}
	c.index()
	c.settings(&m.Settings)
	for _, s := range m.Sources {
		c.source(s)
	}
	for _, t := range m.Teams {
		c.team(t)
	}
	for _, o := range m.Objectives {
		c.objective(o)
	}
	checkAll(c, m.Metrics, (*checker).metric)
	checkAll(c, m.KPIs, (*checker).kpi)
	c.warnings()
}

// checkAll checks every entity of list. Each check only reads the model and the name indexes,
// so big lists are checked on every core, each core taking a contiguous run with its own
// parser and diagnostics, which are appended in list order: the same diagnostics in the same
// order as one by one. Checking 10,000 metrics and 10,000 KPIs was most of validate's time.
func checkAll[T any](c *checker, list []T, check func(*checker, T)) {
	const minRun = 500 // below this, starting a goroutine costs more than it saves
	n := max(1, min(runtime.GOMAXPROCS(0), len(list)/minRun))
	if n == 1 {
		for _, x := range list {
			check(c, x)
		}
		return
	}
	parts := make([]Diagnostics, n)
	var wg sync.WaitGroup
	for i := range n {
		run := list[i*len(list)/n : (i+1)*len(list)/n]
		wg.Go(func() {
			w := *c
			w.diags, w.parser = &parts[i], parser.NewParser(parser.Options{})
			for _, x := range run {
				check(&w, x)
			}
		})
	}
	wg.Wait()
	for _, p := range parts {
		*c.diags = append(*c.diags, p...)
	}
}

func (c *checker) errorf(p Pos, format string, args ...any) {
	*c.diags = append(*c.diags, Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) warnf(p Pos, format string, args ...any) {
	*c.diags = append(*c.diags, Diagnostic{Pos: p, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// required reports a missing field of an entity at the entity's position.
func (c *checker) required(meta Meta, what, field string, value bool) bool {
	if !value {
		c.errorf(meta.Pos, "missing field %q in %s", field, what)
	}
	return value
}

// index builds the name maps and reports duplicate names: within sources, teams and
// objectives, and across metrics and KPIs, which share one series namespace.
func (c *checker) index() {
	c.sources = indexNames(c, "source", c.m.Sources, func(s *Source) (string, Meta) { return s.Name, s.Meta })
	c.teams = indexNames(c, "team", c.m.Teams, func(t *Team) (string, Meta) { return t.Name, t.Meta })
	c.objectives = indexNames(c, "objective", c.m.Objectives, func(o *Objective) (string, Meta) { return o.Name, o.Meta })
	c.metrics = indexNames(c, "metric", c.m.Metrics, func(x *Metric) (string, Meta) { return x.Name, x.Meta })
	c.kpis = indexNames(c, "kpi", c.m.KPIs, func(k *KPI) (string, Meta) { return k.Name, k.Meta })
	for _, k := range c.m.KPIs {
		if x, dup := c.metrics[k.Name]; dup && k.Name != "" {
			c.errorf(k.At("name"), "duplicate name %q: already a metric at %s; metrics and KPIs share one namespace", k.Name, x.At("name"))
		}
	}
	c.names["metric or kpi"] = append(append([]string(nil), c.names["metric"]...), c.names["kpi"]...)
}

// indexNames maps names to entities of one kind, reporting duplicates at the later definition.
func indexNames[T any](c *checker, kind string, list []T, key func(T) (string, Meta)) map[string]T {
	out := make(map[string]T, len(list))
	for _, x := range list {
		name, meta := key(x)
		if name == "" {
			continue
		}
		if first, dup := out[name]; dup {
			_, fm := key(first)
			c.errorf(meta.At("name"), "duplicate %s name %q; first defined at %s", kind, name, fm.At("name"))
			continue
		}
		out[name] = x
		c.names[kind] = append(c.names[kind], name)
	}
	return out
}

var (
	seriesName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	entityID   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// seriesNameOK checks a metric or KPI name: it becomes part of a Prometheus series name and a
// label value, so it must be lowercase snake_case.
func (c *checker) seriesNameOK(meta Meta, kind, name string) {
	if name != "" && (!seriesName.MatchString(name) || len(name) > 1 && name[:2] == "__") {
		c.errorf(meta.At("name"), "invalid %s name %q: use a lowercase snake_case Prometheus name like active_customers", kind, name)
	}
}

// idOK checks the name of a source, team or objective: it ends up in labels, file names and
// dashboard uids, so it is kept to lowercase letters, digits, _ and -.
func (c *checker) idOK(meta Meta, kind, name string) {
	if name != "" && !entityID.MatchString(name) {
		c.errorf(meta.At("name"), "invalid %s name %q: use lowercase letters, digits, _ and -", kind, name)
	}
}
