package promrules

import "strings"

// plain reports whether s can be written without quotes and still read back as this string:
// printable, no indicator at the start, no ": " or " #" inside, and nothing YAML 1.1 or 1.2
// would resolve to a boolean, null, number or timestamp.
func plain(s string) bool {
	if s == "" || !printable(s) || s != strings.TrimSpace(s) {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`.+~=<") || strings.HasSuffix(s, ":") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.Contains(s, "\t") {
		return false
	}
	return !special(s)
}

// special reports whether a plain s would read as something else than a string.
func special(s string) bool {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return true
	}
	if s[0] >= '0' && s[0] <= '9' {
		return !strings.ContainsFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789abcdefABCDEFxXoO_.:+-tTzZ", r) })
	}
	return false
}

// literalBlock reports whether s reads back unchanged from a `|-` or `|` block: several printable
// lines, the first not indented, none ending in a space, at most one final newline.
func literalBlock(s string) bool {
	if !strings.Contains(strings.TrimSuffix(s, "\n"), "\n") || strings.HasSuffix(s, "\n\n") {
		return false
	}
	if s[0] == ' ' || s[0] == '\n' {
		return false
	}
	for line := range strings.Lines(strings.TrimSuffix(s, "\n")) {
		line = strings.TrimSuffix(line, "\n")
		if strings.HasSuffix(line, " ") || !printable(strings.ReplaceAll(line, "\t", " ")) {
			return false
		}
	}
	return true
}

// block writes s as a literal block scalar, each line indented by depth.
func block(s, depth string) string {
	header := "|-"
	if strings.HasSuffix(s, "\n") {
		header = "|"
	}
	var b strings.Builder
	b.WriteString(header)
	for line := range strings.Lines(strings.TrimSuffix(s, "\n")) {
		b.WriteString("\n")
		if line != "\n" {
			b.WriteString(depth)
		}
		b.WriteString(strings.TrimSuffix(line, "\n"))
	}
	return b.String()
}
