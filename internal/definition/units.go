package definition

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// baseUnit is the Prometheus base unit a unit word of a name converts to, and by how much the
// value is multiplied on the way (0 when the conversion is not a factor, as for temperatures).
type baseUnit struct {
	base   string
	factor float64
}

// unitWords maps the unit words promtool check metrics recognises in a name to their base unit,
// after the Prometheus naming conventions (client_golang's promlint, which promtool runs).
var unitWords = map[string]baseUnit{
	"amperes": {"amperes", 1}, "bytes": {"bytes", 1}, "celsius": {"celsius", 1}, "grams": {"grams", 1},
	"joules": {"joules", 1}, "kelvin": {"kelvin", 1}, "meters": {"meters", 1}, "metres": {"metres", 1},
	"seconds": {"seconds", 1}, "volts": {"volts", 1},

	"minutes": {"seconds", 60}, "hours": {"seconds", 3600}, "days": {"seconds", 86400}, "weeks": {"seconds", 604800},
	"kelvins": {"kelvin", 1}, "fahrenheit": {"celsius", 0}, "rankine": {"celsius", 0},
	"inches": {"meters", 0.0254}, "yards": {"meters", 0.9144}, "miles": {"meters", 1609.344},
	"bits": {"bytes", 0.125}, "calories": {"joules", 4.184},
	"pounds": {"grams", 453.59237}, "ounces": {"grams", 28.349523125},
}

// unitPrefixes are the SI and binary prefixes promlint recognises before a unit word.
var unitPrefixes = []struct {
	prefix string
	factor float64
}{
	{"pico", 1e-12}, {"nano", 1e-9}, {"micro", 1e-6}, {"milli", 1e-3}, {"centi", 1e-2}, {"deci", 1e-1},
	{"deca", 1e1}, {"hecto", 1e2}, {"kilo", 1e3}, {"kibi", 1 << 10}, {"mega", 1e6}, {"mebi", 1 << 20},
	{"giga", 1e9}, {"gibi", 1 << 30}, {"tera", 1e12}, {"tebi", 1 << 40}, {"peta", 1e15}, {"pebi", 1 << 50},
}

// unitAbbreviations are the abbreviated units promlint discourages, with the word they stand for
// ("" where it is ambiguous: m is minutes or meters).
var unitAbbreviations = map[string]string{
	"s": "seconds", "sec": "seconds", "ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds",
	"b": "bytes", "kb": "kilobytes", "mb": "megabytes", "gb": "gigabytes", "tb": "terabytes", "pb": "petabytes",
	"m": "", "h": "hours", "d": "days",
}

// percentWords name a percentage.
var percentWords = []string{"percent", "percentage", "pct"}

// unitAdvice is what is wrong with the unit words of a name, and the name to use instead.
type unitAdvice struct {
	problem, rename string
}

// adviseUnits checks the words of name against Prometheus base units, as promtool check metrics
// does for exported metrics, and a percentage named on a ratio. unit is the field's value: a
// name in pounds is a currency, not a mass, when the unit says so.
func adviseUnits(name, unit string) (unitAdvice, bool) {
	words := strings.Split(name, "_")
	for i, w := range words {
		if unit == "ratio" && slices.Contains(percentWords, w) {
			return unitAdvice{
				problem: fmt.Sprintf("has unit ratio (a fraction: 0.05 is 5%%) but its name says %s", w),
				rename:  "name it " + replaceWord(words, i, "ratio"),
			}, true
		}
		if w == "pounds" && unit == "pounds" {
			continue
		}
		if a, ok := abbreviated(words, i); ok {
			return a, true
		}
		if spelled, base, factor, ok := nonBaseUnit(w); ok {
			a := unitAdvice{
				problem: fmt.Sprintf("is in %s; Prometheus names use the base unit %s (promtool check metrics: use base unit %q instead of %q)", spelled, base, base, spelled),
				rename:  "name it " + replaceWord(words, i, base) + " and " + conversion(factor),
			}
			if unit == spelled && slices.Contains(Units, base) {
				a.rename += ", with unit " + base
			}
			return a, true
		}
	}
	return unitAdvice{}, false
}

// abbreviated reports an abbreviated unit as word i of a name.
func abbreviated(words []string, i int) (unitAdvice, bool) {
	spelled, ok := unitAbbreviations[words[i]]
	if !ok || i == 0 {
		return unitAdvice{}, false
	}
	a := unitAdvice{problem: fmt.Sprintf("abbreviates its unit as %s (promtool check metrics: metric names should not contain abbreviated units)", words[i])}
	if spelled == "" {
		a.rename = "spell the unit out in its base unit, such as _seconds or _meters"
		return a, true
	}
	base, factor := spelled, 1.0
	if _, b, f, ok := nonBaseUnit(spelled); ok {
		base, factor = b, f
	}
	a.rename = "name it " + replaceWord(words, i, base)
	if factor != 1 {
		a.rename += " and " + conversion(factor)
	}
	return a, true
}

// nonBaseUnit reports a unit word (with or without a prefix) that is not a base unit, the base
// unit to use, and the factor from the word's unit to it.
func nonBaseUnit(w string) (spelled, base string, factor float64, ok bool) {
	if u, found := unitWords[w]; found {
		return w, u.base, u.factor, u.base != w
	}
	for _, p := range unitPrefixes {
		if rest, cut := strings.CutPrefix(w, p.prefix); cut {
			if u, found := unitWords[rest]; found {
				return w, u.base, p.factor * u.factor, true
			}
		}
	}
	return "", "", 0, false
}

// conversion says how to turn the value into the base unit.
func conversion(factor float64) string {
	switch {
	case factor == 0:
		return "convert the value"
	case factor == 1:
		return "keep the value"
	case factor < 1 && isWhole(1/factor):
		return "divide the value by " + formatFactor(1/factor)
	}
	return "multiply the value by " + formatFactor(factor)
}

func isWhole(f float64) bool { return math.Abs(f-math.Round(f)) < 1e-9*f }

func formatFactor(f float64) string {
	if isWhole(f) {
		f = math.Round(f)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func replaceWord(words []string, i int, with string) string {
	out := append([]string(nil), words...)
	out[i] = with
	return strings.Join(out, "_")
}
