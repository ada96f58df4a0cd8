// Package report prints what `kpic check` found in the forms its readers want: file:line:col
// text for people, a JSON document for editors, and workflow commands for GitHub Actions.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Severities of an Item.
const (
	Error   = "error"
	Warning = "warning"
)

// Item is one finding. Its JSON form is the documented, stable shape of `kpic check
// --format=json` (docs/check.md): every key is always present; line and column are 0 when the
// finding is about a whole file, field is "" when it is about no single YAML value.
type Item struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Field    string `json:"field"`
}

// Formats accepted by Write.
const (
	Text   = "text"
	JSON   = "json"
	GitHub = "github"
)

// Formats lists the accepted formats, for flag validation and help.
var Formats = []string{Text, JSON, GitHub}

// Write prints items in format.
func Write(w io.Writer, format string, items []Item) error {
	switch format {
	case JSON:
		return writeJSON(w, items)
	case GitHub:
		return writeGitHub(w, items)
	default:
		return writeText(w, items)
	}
}

// String is the text form: file:line:col: [warning: ]message, the form compilers use.
func (it Item) String() string {
	var b strings.Builder
	b.WriteString(it.File)
	if it.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", it.Line, it.Column)
	}
	b.WriteString(": ")
	if it.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(it.Message)
	return b.String()
}

func writeText(w io.Writer, items []Item) error {
	for _, it := range items {
		if _, err := fmt.Fprintln(w, it.String()); err != nil {
			return err
		}
	}
	return nil
}

// document is the top level of the JSON form.
type document struct {
	Diagnostics []Item `json:"diagnostics"`
	Errors      int    `json:"errors"`
	Warnings    int    `json:"warnings"`
}

func writeJSON(w io.Writer, items []Item) error {
	doc := document{Diagnostics: items}
	if doc.Diagnostics == nil {
		doc.Diagnostics = []Item{}
	}
	for _, it := range items {
		if it.Severity == Error {
			doc.Errors++
		} else {
			doc.Warnings++
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// writeGitHub prints one ::error or ::warning workflow command per item; GitHub shows them as
// annotations on the file and line of a pull request.
func writeGitHub(w io.Writer, items []Item) error {
	for _, it := range items {
		props := []string{"file=" + escapeProperty(it.File)}
		if it.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", it.Line), fmt.Sprintf("col=%d", it.Column))
		}
		title := "kpic check"
		if it.Field != "" {
			title += " " + it.Field
		}
		props = append(props, "title="+escapeProperty(title))
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", it.Severity, strings.Join(props, ","), escapeData(it.Message)); err != nil {
			return err
		}
	}
	return nil
}

// escapeData escapes a workflow command's message as GitHub's actions/toolkit does.
var escapeData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// escapeProperty also escapes the separators of the command's properties.
var escapeProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
