package kpitest

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// The JUnit XML elements CI systems read (Jenkins, GitLab, GitHub test reporters).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
	seconds  float64
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes a JUnit XML report: a test suite per test file, a test case per test that
// ran (its failures in one <failure>), and for a file that could not be loaded a case "load"
// with its errors.
func WriteJUnit(w io.Writer, results []Result, diags definition.Diagnostics) error {
	var out junitSuites
	index := map[string]int{}
	suite := func(file string) *junitSuite {
		i, ok := index[file]
		if !ok {
			i = len(out.Suites)
			index[file] = i
			out.Suites = append(out.Suites, junitSuite{Name: file})
		}
		return &out.Suites[i]
	}
	for file, ds := range errorsByFile(diags) {
		s := suite(file)
		s.Tests++
		s.Errors++
		s.Cases = append(s.Cases, junitCase{Name: "load", Classname: file, Time: "0",
			Error: &junitMessage{Message: ds[0], Type: "load", Text: strings.Join(ds, "\n")}})
	}
	for _, r := range results {
		s := suite(r.File.Path)
		s.Tests++
		c := junitCase{Name: r.Test.Name, Classname: r.File.Path, Time: seconds(r)}
		if r.Failed() {
			s.Failures++
			c.Failure = &junitMessage{Message: r.Failures[0].String(), Type: "expectation", Text: failureText(r)}
		}
		s.Cases = append(s.Cases, c)
		s.seconds += r.Duration.Seconds()
	}
	for i := range out.Suites {
		s := &out.Suites[i]
		s.Time = fmt.Sprintf("%.3f", s.seconds)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
	}
	slices.SortStableFunc(out.Suites, func(a, b junitSuite) int { return strings.Compare(a.Name, b.Name) })
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func errorsByFile(diags definition.Diagnostics) map[string][]string {
	out := map[string][]string{}
	for _, d := range diags.Errors() {
		out[d.Pos.File] = append(out[d.Pos.File], d.String())
	}
	return out
}

func failureText(r Result) string {
	lines := make([]string, len(r.Failures))
	for i, f := range r.Failures {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}

func seconds(r Result) string { return fmt.Sprintf("%.3f", r.Duration.Seconds()) }
