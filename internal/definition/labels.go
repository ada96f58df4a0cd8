package definition

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var labelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// reservedLabel reports the labels kpic or Prometheus set themselves, which a user label would
// overwrite or be overwritten by.
func reservedLabel(name string) bool {
	return slices.Contains(reservedLabels, name) || strings.HasPrefix(name, reservedLabelPrefix)
}

// reservedLabels are set by kpic or Prometheus; labels starting with reservedLabelPrefix too.
var reservedLabels = []string{"kpi", "objective", "team", "severity", "job", "instance", "le", "quantile"}

const reservedLabelPrefix = "__"

// labelNames checks every label of a list field (labels, by), each at its own position.
func (c *checker) labelNames(meta Meta, key, what string, names []string) {
	seen := map[string]bool{}
	for i, name := range names {
		p := meta.At(fmt.Sprintf("%s[%d]", key, i))
		if seen[name] {
			c.errorf(p, "label %q is listed twice in %s of %s", name, key, what)
			continue
		}
		seen[name] = true
		c.labelName(p, key+" of "+what, name)
	}
}

// labelName checks one label name: a valid Prometheus name that kpic does not reserve.
func (c *checker) labelName(p Pos, what, name string) {
	switch {
	case !labelName.MatchString(name):
		c.errorf(p, "invalid label name %q in %s: use letters, digits and _, not starting with a digit", name, what)
	case reservedLabel(name):
		c.errorf(p, "label %q in %s is reserved (kpi, objective, team, severity, job, instance, le, quantile and __*); rename it", name, what)
	}
}
