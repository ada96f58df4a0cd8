package promrules

import "strings"

// plain reports whether s can be written without quotes and still read back as this string:
// printable, no indicator at the start, no ": " or " #" inside, and nothing YAML 1.1 or 1.2
// would resolve to a boolean, null, number or timestamp.
func plain(s string) bool {
	if s == "" {
		return false
	}
	if ok, ascii := plainASCII(s); ascii {
		return ok
	}
	if !printable(s) || s != strings.TrimSpace(s) {
		return false
	}
	if strings.ContainsAny(s[:1], plainIndicators) || strings.HasSuffix(s, ":") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.Contains(s, "\t") {
		return false
	}
	return !special(s)
}

// plainIndicators may not start a plain scalar.
const plainIndicators = "-?:,[]{}#&*!|>'\"%@`.+~=<"

// plainASCII is plain in one pass for printable ASCII, where the only space is ' ': the labels
// and expressions of 10,000 KPIs' rules, which the scans of plain took 0.06 s of CPU to check.
// ascii is false when s holds anything else, and plain must look closer.
func plainASCII(s string) (ok, ascii bool) {
	ok = true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false, false
		}
		if i+1 < len(s) && (c == ':' && s[i+1] == ' ' || c == ' ' && s[i+1] == '#') {
			ok = false
		}
	}
	if !ok || s[0] == ' ' || s[len(s)-1] == ' ' || s[len(s)-1] == ':' || strings.IndexByte(plainIndicators, s[0]) >= 0 {
		return false, true
	}
	return !special(s), true
}

// special reports whether a plain s would read as something else than a string.
func special(s string) bool {
	if len(s) <= len("false") { // the longest word below; ToLower copies a longer title for nothing
		switch strings.ToLower(s) {
		case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
			return true
		}
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
