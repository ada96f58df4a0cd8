// Package sqlcheck refuses SQL text that is not one read-only query, before any database sees
// it: kpic check reports the problem at its line and column, and the exporter checks again
// before each run. It lexes (strings, quoted names, comments, dollar quoting, per dialect) but
// does not parse, and errs on the side of refusing.
package sqlcheck

import (
	"fmt"
	"slices"
	"strings"
)

// Dialect is the SQL lexical syntax of a driver.
type Dialect int

// The dialects of kpic's drivers.
const (
	SQLite Dialect = iota
	PostgreSQL
	MySQL
)

// ForDriver returns the dialect of a source driver (sqlite, postgres or mysql).
func ForDriver(driver string) (Dialect, bool) {
	switch driver {
	case "sqlite":
		return SQLite, true
	case "postgres":
		return PostgreSQL, true
	case "mysql":
		return MySQL, true
	}
	return 0, false
}

// Error is a refused query: what is wrong, at a byte offset in the text.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// starts are the first words a query may have: it reads, and only reads.
var starts = map[Dialect][]string{
	SQLite:     {"SELECT", "WITH", "VALUES"},
	PostgreSQL: {"SELECT", "WITH", "VALUES", "TABLE"},
	MySQL:      {"SELECT", "WITH", "VALUES", "TABLE", "SHOW"},
}

// transactionControl are first words that would end or change kpic's read-only transaction
// or session.
var transactionControl = []string{"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT",
	"RELEASE", "PREPARE", "SET", "RESET", "LOCK", "UNLOCK", "XA", "DISCARD"}

// forbidden are words refused anywhere in a query: data-changing statements nested in a
// WITH, SELECT ... INTO (a new table on PostgreSQL, a file or variable on MySQL), and
// statements that reach other files.
var forbidden = map[string]string{
	"INSERT":   "writes",
	"UPDATE":   "writes or locks rows",
	"DELETE":   "writes",
	"MERGE":    "writes",
	"INTO":     "writes a table, a file or a variable (SELECT ... INTO)",
	"OUTFILE":  "writes a file",
	"DUMPFILE": "writes a file",
	"ATTACH":   "opens another database file",
	"DETACH":   "changes the attached databases",
	"PRAGMA":   "changes connection settings",
	"VACUUM":   "writes a database file",
	"COPY":     "reads or writes files or programs",
}

// Statement returns the one query in sql, cut before its trailing semicolons, or an *Error saying
// why it is refused: more than one statement, transaction control, a statement that is not
// a query, or a word that writes. Where the dialect's lexing depends on a server setting
// (backslashes in strings on MySQL), the text must pass under every setting.
func Statement(sql string, d Dialect) (string, error) {
	end := -1
	for _, backslash := range backslashModes(d) {
		toks, err := lex(sql, d, backslash)
		if err != nil {
			return "", err
		}
		e, err := shape(toks, d, len(sql))
		if err != nil {
			return "", err
		}
		end = max(end, e)
	}
	return strings.TrimRight(sql[:end], " \t\n\r\f\v"), nil
}

// backslashModes lists the readings of backslashes in strings a query must be safe under.
// PostgreSQL sessions get standard_conforming_strings = on (see the source package), so only
// E'...' strings take escapes there.
func backslashModes(d Dialect) []bool {
	if d == MySQL {
		return []bool{true, false}
	}
	return []bool{false}
}

// shape checks the token sequence and returns where the statement ends: at its first
// semicolon, or at the end of the text.
func shape(toks []token, d Dialect, n int) (int, error) {
	if len(toks) == 0 || toks[0].semicolon {
		return 0, &Error{Offset: 0, Msg: "no statement: write one SELECT"}
	}
	for i, t := range toks {
		if t.semicolon {
			if rest := slices.IndexFunc(toks[i:], func(t token) bool { return !t.semicolon }); rest >= 0 {
				return 0, &Error{Offset: t.start, Msg: "more than one statement: a query is one SELECT; remove this ';' and what follows"}
			}
			return t.start, first(toks[0], d)
		}
		if why, bad := forbidden[t.word]; bad {
			return 0, &Error{Offset: t.start, Msg: fmt.Sprintf("%s is refused: it %s; kpic only reads", t.word, why)}
		}
	}
	return n, first(toks[0], d)
}

// first checks the statement's first token.
func first(t token, d Dialect) error {
	switch {
	case t.punct == '(': // a parenthesised query
		return nil
	case slices.Contains(starts[d], t.word):
		return nil
	case slices.Contains(transactionControl, t.word):
		return &Error{Offset: t.start, Msg: fmt.Sprintf("transaction or session control (%s) is refused: kpic runs each query in a read-only transaction of its own", t.word)}
	}
	return &Error{Offset: t.start, Msg: fmt.Sprintf("a %s statement is refused: a query starts with %s", t.word, strings.Join(starts[d], ", "))}
}

func (d Dialect) String() string {
	return [...]string{"sqlite", "postgres", "mysql"}[d]
}
