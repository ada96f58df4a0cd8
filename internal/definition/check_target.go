package definition

import "fmt"

// target checks a KPI's target: a direction, and either a value or a from/to ramp.
func (c *checker) target(k *KPI, what string) {
	t := &k.Target
	where := "target of " + what
	at := t.Pos
	switch t.Direction {
	case Higher, Lower:
	case "":
		c.errorf(at, "missing field %q in %s: say whether higher or lower is better", "direction", where)
	default:
		c.errorf(t.At("direction"), "direction of %s must be higher or lower, got %q%s",
			what, t.Direction, didYouMean(string(t.Direction), directions))
	}
	ramp := t.From != nil || t.To != nil
	switch {
	case t.Value != nil && ramp:
		c.errorf(t.At("value"), "%s sets both value and from/to; a target is a fixed value or a ramp from/to", where)
	case t.Value == nil && !ramp:
		c.errorf(at, "%s needs a value, or from and to for a ramp", where)
	case ramp && t.From == nil:
		c.errorf(t.At("to"), "%s sets to without from; a ramp needs both", where)
	case ramp && t.To == nil:
		c.errorf(t.At("from"), "%s sets from without to; a ramp needs both", where)
	default:
		c.critical(k, what)
	}
}

// critical checks that the critical bound lies beyond the target on the bad side: below it when
// higher is better, above it when lower is better. For a ramp, beyond both of its ends. Equal
// is allowed: the KPI then goes from green straight to red.
func (c *checker) critical(k *KPI, what string) {
	t, crit := k.Target, k.Critical
	if crit == nil || (t.Direction != Higher && t.Direction != Lower) {
		return
	}
	ends := []*Number{t.Value}
	if t.IsRamp() {
		ends = []*Number{t.From, t.To}
	}
	for _, end := range ends {
		if bad := wrongSide(t.Direction, crit.Value, end.Value); bad != "" {
			c.errorf(k.At("critical"), "critical %s of %s is on the wrong side of the target %s: %s is better, so critical must not be %s it",
				crit.Text, what, end.Text, t.Direction, bad)
			return
		}
	}
}

// wrongSide returns where critical must not lie ("above", "below") when it does, else "".
func wrongSide(dir Direction, critical, target float64) string {
	if dir == Higher && critical > target {
		return "above"
	}
	if dir == Lower && critical < target {
		return "below"
	}
	return ""
}

// describeKinds is used by messages naming which kind fields a KPI wrote.
func describeKinds(kinds []KPIKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = fmt.Sprint(k)
	}
	return joinAnd(names)
}
