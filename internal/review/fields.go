package review

import (
	"fmt"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// field is one reviewable property of an entity, rendered as text for comparison.
type field struct {
	label, value string
}

// entity is a named thing with its reviewable properties, in display order.
type entity struct {
	name   string
	fields []field
}

func diffNamed(section string, base, head []entity) []Change {
	baseBy := map[string]entity{}
	for _, e := range base {
		baseBy[e.name] = e
	}
	headBy := map[string]bool{}
	var out []Change
	for _, h := range head {
		headBy[h.name] = true
		b, ok := baseBy[h.name]
		if !ok {
			out = append(out, Change{Section: section, Name: h.name, Kind: "added", Details: summary(h)})
			continue
		}
		if d := fieldChanges(b, h); len(d) > 0 {
			out = append(out, Change{Section: section, Name: h.name, Kind: "changed", Details: d})
		}
	}
	for _, b := range base {
		if !headBy[b.name] {
			out = append(out, Change{Section: section, Name: b.name, Kind: "removed", Details: summary(b)})
		}
	}
	return out
}

// summary describes a new or removed entity by its first three non-empty properties, joined
// as one clause: a value's closing full stop is dropped so it does not run into the comma.
func summary(e entity) []string {
	var parts []string
	for _, f := range e.fields {
		if f.value != "" && len(parts) < 3 {
			parts = append(parts, f.label+" "+withoutFullStop(f.value))
		}
	}
	return []string{strings.Join(parts, ", ")}
}

// withoutFullStop drops one closing "." (a sentence's), keeping an ellipsis.
func withoutFullStop(s string) string {
	if strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "..") {
		return s[:len(s)-1]
	}
	return s
}

func fieldChanges(base, head entity) []string {
	old := map[string]string{}
	for _, f := range base.fields {
		old[f.label] = f.value
	}
	var out []string
	for _, f := range head.fields {
		switch o := old[f.label]; {
		case o == f.value:
		case o == "":
			out = append(out, fmt.Sprintf("%s set to %s", f.label, f.value))
		case f.value == "":
			out = append(out, fmt.Sprintf("%s removed (was %s)", f.label, o))
		case strings.Contains(o, "\n") || strings.Contains(f.value, "\n") || len(o)+len(f.value) > 100:
			out = append(out, fmt.Sprintf("%s changed:\n\n    ```\n    - %s\n    + %s\n    ```", f.label,
				strings.ReplaceAll(o, "\n", "\n    - "), strings.ReplaceAll(f.value, "\n", "\n    + ")))
		default:
			out = append(out, fmt.Sprintf("%s %s → %s", f.label, o, f.value))
		}
	}
	return out
}

func list(xs []string) string { return strings.Join(xs, ", ") }

func num(n *definition.Number) string {
	if n == nil {
		return ""
	}
	return n.Text
}

func dur(d interface{ String() string }) string {
	if s := d.String(); s != "0s" {
		return s
	}
	return ""
}
