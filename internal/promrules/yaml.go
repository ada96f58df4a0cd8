package promrules

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
)

// Marshal renders groups as a Prometheus rule file behind Header, keys in rulefmt's order and
// map keys sorted, so the bytes only change when the rules do. It writes the fixed layout of
// rule files itself: yaml.v3's emitter keeps every event of a document and took most of the
// time and gigabytes of a 10,000-KPI build. Tests check the result decodes to the same groups.
func Marshal(groups []rulefmt.RuleGroup) []byte {
	var b bytes.Buffer
	b.Grow(sizeHint(groups))
	b.WriteString(Header)
	b.WriteString("groups:\n")
	for _, g := range groups {
		writeGroup(&b, g)
	}
	return b.Bytes()
}

// sizeHint estimates the size of the file, so that its buffer grows once rather than by doubling.
func sizeHint(groups []rulefmt.RuleGroup) int {
	n := len(Header) + 16
	for _, g := range groups {
		n += 64 + len(g.Name)
		for _, r := range g.Rules {
			n += 64 + len(r.Record) + len(r.Alert) + len(r.Expr)
			for k, v := range r.Labels {
				n += 16 + len(k) + len(v)
			}
			for k, v := range r.Annotations {
				n += 16 + len(k) + len(v)
			}
		}
	}
	return n
}

// writeGroup writes one item of the groups list.
func writeGroup(b *bytes.Buffer, g rulefmt.RuleGroup) {
	field(b, "  - ", "name", g.Name)
	duration(b, "    ", "interval", g.Interval)
	if g.QueryOffset != nil {
		field(b, "    ", "query_offset", g.QueryOffset.String())
	}
	if g.Limit != 0 {
		b.WriteString("    limit: " + strconv.Itoa(g.Limit) + "\n")
	}
	b.WriteString("    rules:\n")
	for _, r := range g.Rules {
		writeRule(b, r)
	}
	mapping(b, "    ", "labels", g.Labels)
}

// writeRule writes one item of a group's rules list.
func writeRule(b *bytes.Buffer, r rulefmt.Rule) {
	if r.Record != "" {
		field(b, "      - ", "record", r.Record)
	} else {
		field(b, "      - ", "alert", r.Alert)
	}
	field(b, "        ", "expr", r.Expr)
	duration(b, "        ", "for", r.For)
	duration(b, "        ", "keep_firing_for", r.KeepFiringFor)
	mapping(b, "        ", "labels", r.Labels)
	mapping(b, "        ", "annotations", r.Annotations)
}

// field writes `key: value` behind prefix; a multi-line value becomes a literal block indented
// two spaces deeper than its key.
func field(b *bytes.Buffer, prefix, key, value string) {
	b.WriteString(prefix)
	b.WriteString(key)
	b.WriteString(": ")
	b.WriteString(scalar(value, len(prefix)+2))
	b.WriteByte('\n')
}

// duration writes a duration field unless it is zero (omitempty, as rulefmt's tags say).
func duration(b *bytes.Buffer, prefix, key string, d model.Duration) {
	if d != 0 {
		field(b, prefix, key, d.String())
	}
}

// mapping writes a string map with sorted keys unless it is empty.
func mapping(b *bytes.Buffer, prefix, key string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	b.WriteString(prefix)
	b.WriteString(key)
	b.WriteString(":\n")
	inner := prefix + "  "
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b.WriteString(inner)
		b.WriteString(scalar(k, len(inner)))
		b.WriteString(": ")
		b.WriteString(scalar(m[k], len(inner)+2))
		b.WriteByte('\n')
	}
}

// scalar renders s as a YAML value: plain when YAML reads it back as the same string, a literal
// block (lines indented by depth) for multi-line text, single quotes for other printable text,
// and escaped double quotes for the rest.
func scalar(s string, depth int) string {
	switch {
	case plain(s):
		return s
	case literalBlock(s):
		return block(s, strings.Repeat(" ", depth))
	case printable(s):
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return doubleQuoted(s)
}

// doubleQuoted escapes everything outside YAML's printable set, so any valid UTF-8 reads back.
func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString("\\" + string(r))
		case r == '\n':
			b.WriteString("\\n")
		case yamlPrintable(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r < 0x10000:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			fmt.Fprintf(&b, "\\U%08x", r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlPrintable is YAML 1.2's printable character set, less the tab and line breaks and the
// byte order mark, which only escaped read back as written.
func yamlPrintable(r rune) bool {
	return (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd && r != 0xfeff) ||
		(r >= 0x10000 && r <= 0x10ffff)
}

// printable reports whether s is valid UTF-8 of printable characters on one line. Rule text
// is mostly printable ASCII, which is checked bytewise first.
func printable(s string) bool {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] >= 0x20 && s[i] <= 0x7e
	}
	if ascii {
		return true
	}
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == '\uFEFF' {
			return false
		}
	}
	return true
}
