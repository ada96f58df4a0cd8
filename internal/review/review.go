// Package review compares two versions of the definitions and says, in plain words, what a
// reviewer of a GitOps change needs to know: KPIs and metrics added or removed, and targets,
// bounds, queries, owners and alert settings changed.
package review

import (
	"fmt"
	"io"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// Change is one difference between the base and the head definitions.
type Change struct {
	Section string // "KPIs", "Metrics", "Objectives", "Teams", "Sources"
	Name    string
	Kind    string // "added", "removed" or "changed"
	Details []string
}

// Compare lists what changed from base to head, in the order of the sections and then names as
// head (or, for removals, base) defines them.
func Compare(base, head *definition.Model) []Change {
	var out []Change
	out = append(out, diffNamed("KPIs", kpiFields(base), kpiFields(head))...)
	out = append(out, diffNamed("Metrics", metricFields(base), metricFields(head))...)
	out = append(out, diffNamed("Objectives", objectiveFields(base), objectiveFields(head))...)
	out = append(out, diffNamed("Teams", teamFields(base), teamFields(head))...)
	out = append(out, diffNamed("Sources", sourceFields(base), sourceFields(head))...)
	out = append(out, diffNamed("Settings", settingsFields(base), settingsFields(head))...)
	return out
}

// WriteMarkdown renders changes as a Markdown comment for a pull request.
func WriteMarkdown(w io.Writer, changes []Change) error {
	var b strings.Builder
	b.WriteString("## KPI definition changes\n")
	if len(changes) == 0 {
		b.WriteString("\nNo changes to KPIs, metrics, objectives, teams, sources or settings.\n")
	}
	section := ""
	for _, c := range changes {
		if c.Section != section {
			section = c.Section
			fmt.Fprintf(&b, "\n### %s\n\n", section)
		}
		writeChange(&b, c)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeChange(b *strings.Builder, c Change) {
	switch c.Kind {
	case "added":
		fmt.Fprintf(b, "- **added** `%s`", c.Name)
	case "removed":
		fmt.Fprintf(b, "- **removed** `%s`", c.Name)
	default:
		fmt.Fprintf(b, "- `%s` changed", c.Name)
	}
	if len(c.Details) == 1 {
		fmt.Fprintf(b, ": %s\n", c.Details[0])
		return
	}
	b.WriteString("\n")
	for _, d := range c.Details {
		fmt.Fprintf(b, "  - %s\n", d)
	}
}
