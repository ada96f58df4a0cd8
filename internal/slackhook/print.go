package slackhook

import (
	"fmt"
	"io"
	"strings"
)

// colors names the colours Slack knows by name, and the status kpic's alerts use them for.
var colors = map[string]string{"danger": "red", "warning": "amber", "good": "green"}

// Print writes the message as a block of plain text a person can read in a terminal.
func Print(w io.Writer, m Message) error {
	var b strings.Builder
	fmt.Fprintf(&b, "── slack message %s%s ──\n", orDefault(m.Channel, "(default channel)"), at(m))
	writeLines(&b, "", m.Text)
	for _, a := range m.Attachments {
		printAttachment(&b, a)
	}
	for _, bl := range m.Blocks {
		printBlock(&b, bl)
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

func printAttachment(b *strings.Builder, a Attachment) {
	if a.Color != "" {
		fmt.Fprintf(b, "[%s]\n", colorName(a.Color))
	}
	writeLines(b, "", a.Pretext)
	if a.Title != "" {
		fmt.Fprintf(b, "%s\n", strings.TrimSpace(a.Title))
	}
	writeLines(b, "  ", a.TitleLink)
	writeLines(b, "  ", a.Text)
	for _, f := range a.Fields {
		fmt.Fprintf(b, "  %s: %s\n", f.Title, strings.TrimSpace(f.Value))
	}
	writeLines(b, "  ", a.Footer)
}

func printBlock(b *strings.Builder, bl Block) {
	if bl.Text != nil {
		writeLines(b, "", bl.Text.Text)
	}
	for _, f := range bl.Fields {
		writeLines(b, "  ", f.Text)
	}
}

// writeLines writes each non-empty line of text with a prefix; blank text writes nothing.
func writeLines(b *strings.Builder, prefix, text string) {
	for line := range strings.SplitSeq(strings.TrimSpace(text), "\n") {
		if line = strings.TrimRight(line, " \t"); line != "" {
			b.WriteString(prefix + line + "\n")
		}
	}
}

// colorName shows a named colour as the status it stands for; hex colours print as they are.
func colorName(c string) string {
	if name, ok := colors[c]; ok {
		return name
	}
	return c
}

func at(m Message) string {
	if m.Received.IsZero() {
		return ""
	}
	return " at " + m.Received.Format("15:04:05")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
