package definition

import (
	"fmt"
	"strings"
)

// MaxKPIsPerObjective is how many KPIs an objective may have before kpic warns: KPIs are the
// few numbers that matter, not every metric.
const MaxKPIsPerObjective = 5

// warnings reports what is allowed but against good practice.
func (c *checker) warnings() {
	perObjective := map[string]int{}
	for _, k := range c.m.KPIs {
		if perObjective[k.Objective]++; perObjective[k.Objective] == MaxKPIsPerObjective+1 && k.Objective != "" {
			c.warnf(k.At("objective"), "objective %q has more than %d KPIs; keep KPIs few and make the rest metrics", k.Objective, MaxKPIsPerObjective)
		}
		if len(k.Supporting) == 0 && k.Name != "" {
			c.warnf(k.Pos, "kpi %q lists no supporting metrics; name the metrics that explain its moves", k.Name)
		}
		what := fmt.Sprintf("kpi %q", k.Name)
		if c.units(k.Meta, what, k.Name, k.Unit) && k.Kind == KindQuery {
			c.naming(k.Meta, what, k.Name, k.Unit)
		}
	}
	for _, x := range c.m.Metrics {
		what := fmt.Sprintf("metric %q", x.Name)
		if c.units(x.Meta, what, x.Name, x.Unit) {
			c.naming(x.Meta, what, x.Name, x.Unit)
		}
	}
}

// units warns, at the name, about unit words against Prometheus base units (the advice of
// promtool check metrics, given before anything is exported) and reports whether the name
// passed, so that the other naming advice is not piled on the same name.
func (c *checker) units(meta Meta, what, name, unit string) bool {
	a, bad := adviseUnits(name, unit)
	if bad && name != "" {
		c.warnf(meta.At("name"), "%s %s: %s", what, a.problem, a.rename)
	}
	return !bad
}

// naming checks a series name against Prometheus naming conventions: base unit suffixes, no
// _total on a gauge, no repeated namespace prefix.
func (c *checker) naming(meta Meta, what, name, unit string) {
	if name == "" {
		return
	}
	for _, u := range []string{"seconds", "ratio", "bytes"} {
		if unit == u && !strings.HasSuffix(name, "_"+u) {
			c.warnf(meta.At("name"), "%s has unit %s; Prometheus convention is to end its name with _%s", what, u, u)
		}
	}
	if strings.HasSuffix(name, "_total") {
		c.warnf(meta.At("name"), "%s ends in _total, which Prometheus reserves for counters; kpic exports gauges", what)
	}
	if ns := c.m.Settings.Namespace; strings.HasPrefix(name, ns+"_") {
		c.warnf(meta.At("name"), "%s starts with the namespace %q, which kpic already adds (%s_%s)", what, ns, ns, name)
	}
}
