package definition

import "fmt"

// defined reports whether name is defined as kind; "metric or kpi" accepts either.
func (c *checker) defined(kind, name string) bool {
	var ok bool
	switch kind {
	case "source":
		_, ok = c.sources[name]
	case "team":
		_, ok = c.teams[name]
	case "objective":
		_, ok = c.objectives[name]
	case "metric":
		_, ok = c.metrics[name]
	case "metric or kpi":
		_, ok = c.metrics[name]
		if !ok {
			_, ok = c.kpis[name]
		}
	}
	return ok
}

// ref reports name, written in field key of entity what, when it is not a defined kind.
func (c *checker) ref(meta Meta, key, what, kind, name string) {
	if name == "" || c.defined(kind, name) {
		return
	}
	if _, isKPI := c.kpis[name]; isKPI && kind == "metric" {
		c.errorf(meta.At(key), "%q in %s of %s is a KPI, not a metric; build on a KPI with ratio, growth or expr", name, key, what)
		return
	}
	c.errorf(meta.At(key), "undefined %s %q in %s of %s%s", kind, name, key, what, didYouMean(name, c.names[kind]))
}

// refs checks every name of a list field, each at its own position.
func (c *checker) refs(meta Meta, key, what, kind string, names []string) {
	for i, name := range names {
		if name == "" || c.defined(kind, name) {
			continue
		}
		p := meta.At(fmt.Sprintf("%s[%d]", key, i))
		if p.Line == 0 {
			p = meta.At(key)
		}
		c.errorf(p, "undefined %s %q in %s of %s%s", kind, name, key, what, didYouMean(name, c.names[kind]))
	}
}
