package sqlcheck

import (
	"errors"
	"strings"
	"testing"
)

func TestStatement(t *testing.T) {
	all := []Dialect{SQLite, PostgreSQL, MySQL}
	tests := []struct {
		name     string
		sql      string
		dialects []Dialect
		want     string // the statement kept, or the refusal's text
		at       string // the refusal points at the first occurrence of this text
	}{
		{name: "a plain query passes", sql: "SELECT 1 AS value", dialects: all, want: "SELECT 1 AS value"},
		{name: "trailing semicolons and comments are dropped", sql: "SELECT 1 AS value; ; -- done\n", dialects: all, want: "SELECT 1 AS value"},
		{name: "a semicolon in a string is text", sql: "SELECT ';DELETE' AS x, 1 AS value", dialects: all, want: "SELECT ';DELETE' AS x, 1 AS value"},
		{name: "a semicolon in a comment is text", sql: "SELECT 1 /* ; DROP */ AS value -- ;\n", dialects: all, want: "SELECT 1 /* ; DROP */ AS value -- ;"},
		{name: "a doubled quote does not end a string", sql: "SELECT 'it''s; fine' AS value", dialects: all, want: "SELECT 'it''s; fine' AS value"},
		{name: "a WITH query passes", sql: "WITH x AS (SELECT 1 AS v) SELECT v AS value FROM x", dialects: all, want: "WITH x AS (SELECT 1 AS v) SELECT v AS value FROM x"},
		{name: "a parenthesised query passes", sql: "(SELECT 1 AS value)", dialects: all, want: "(SELECT 1 AS value)"},
		{name: "a second statement is refused", sql: "SELECT 1 AS value; DELETE FROM t", dialects: all, want: "more than one statement", at: ";"},
		{name: "a second statement after a comment is refused", sql: "SELECT 1 AS value; /* x */ SELECT 2", dialects: all, want: "more than one statement", at: ";"},
		{name: "COMMIT first is refused", sql: "COMMIT", dialects: all, want: "transaction or session control (COMMIT)", at: "COMMIT"},
		{name: "BEGIN READ WRITE is refused", sql: "begin read write", dialects: all, want: "transaction or session control (BEGIN)", at: "begin"},
		{name: "SET is refused", sql: "SET default_transaction_read_only = off", dialects: all, want: "transaction or session control (SET)", at: "SET"},
		{name: "a DELETE is refused", sql: "DELETE FROM t", dialects: all, want: "DELETE is refused", at: "DELETE"},
		{name: "a data-changing WITH is refused", sql: "WITH d AS (DELETE FROM t RETURNING 1) SELECT 1 AS value", dialects: all, want: "DELETE is refused", at: "DELETE"},
		{name: "SELECT INTO is refused", sql: "SELECT 1 AS value INTO OUTFILE '/tmp/x'", dialects: all, want: "INTO is refused", at: "INTO"},
		{name: "ATTACH is refused", sql: "ATTACH DATABASE '/tmp/x.db' AS x", dialects: all, want: "ATTACH is refused", at: "ATTACH"},
		{name: "PRAGMA is refused", sql: "PRAGMA query_only=0", dialects: all, want: "PRAGMA is refused", at: "PRAGMA"},
		{name: "VACUUM INTO is refused", sql: "VACUUM INTO '/tmp/copy.db'", dialects: all, want: "VACUUM is refused", at: "VACUUM"},
		{name: "COPY TO PROGRAM is refused", sql: "COPY (SELECT 1) TO PROGRAM 'touch /tmp/x'", dialects: all, want: "COPY is refused", at: "COPY"},
		{name: "FOR UPDATE is refused", sql: "SELECT n AS value FROM t FOR UPDATE", dialects: all, want: "UPDATE is refused", at: "UPDATE"},
		{name: "an empty query is refused", sql: " -- nothing\n", dialects: all, want: "no statement"},
		{name: "a lone semicolon is refused", sql: ";", dialects: all, want: "no statement"},
		{name: "an unterminated string is refused", sql: "SELECT 'abc AS value", dialects: all, want: "unterminated string", at: "'"},
		{name: "a keyword in a quoted name is a name", sql: `SELECT "delete" AS value FROM t`, dialects: []Dialect{SQLite, PostgreSQL}, want: `SELECT "delete" AS value FROM t`},

		{name: "PostgreSQL: a dollar-quoted semicolon is text", sql: "SELECT $$a;b$$ AS x, 1 AS value", dialects: []Dialect{PostgreSQL}, want: "SELECT $$a;b$$ AS x, 1 AS value"},
		{name: "PostgreSQL: a tagged dollar quote holds $$", sql: "SELECT $q$ $$; $q$ AS x, 1 AS value", dialects: []Dialect{PostgreSQL}, want: "SELECT $q$ $$; $q$ AS x, 1 AS value"},
		{name: "PostgreSQL: a statement after a dollar quote is refused", sql: "SELECT $q$x$q$ AS x; COMMIT", dialects: []Dialect{PostgreSQL}, want: "more than one statement", at: ";"},
		{name: "PostgreSQL: an unterminated dollar quote is refused", sql: "SELECT $a$ x", dialects: []Dialect{PostgreSQL}, want: "unterminated dollar-quoted string ($a$)", at: "$a$"},
		{name: "PostgreSQL: a dollar quote right after a number starts there", sql: "SELECT 1$a$ $a$; DELETE FROM t; $a$ $a$", dialects: []Dialect{PostgreSQL}, want: "more than one statement", at: ";"},
		{name: "PostgreSQL: a parameter is not a dollar quote", sql: "SELECT $1 AS value; COMMIT", dialects: []Dialect{PostgreSQL}, want: "more than one statement", at: ";"},
		{name: "PostgreSQL: a backslash in a standard string is a character", sql: `SELECT 'a\' AS x; COMMIT`, dialects: []Dialect{PostgreSQL}, want: "more than one statement", at: ";"},
		{name: "PostgreSQL: an E string takes escapes", sql: `SELECT E'a\';b' AS x, 1 AS value`, dialects: []Dialect{PostgreSQL}, want: `SELECT E'a\';b' AS x, 1 AS value`},
		{name: "PostgreSQL: comments nest", sql: "SELECT 1 /* a /* b */ ; */ AS value", dialects: []Dialect{PostgreSQL}, want: "SELECT 1 /* a /* b */ ; */ AS value"},

		{name: "MySQL: a # comment hides a semicolon", sql: "SELECT 1 AS value # ; DROP\n", dialects: []Dialect{MySQL}, want: "SELECT 1 AS value # ; DROP"},
		{name: "MySQL: --x is two minus signs, not a comment", sql: "SELECT 1 --1; DELETE FROM t", dialects: []Dialect{MySQL}, want: "more than one statement", at: ";"},
		{name: "MySQL: a string that ends differently with and without backslash escapes is refused", sql: `SELECT 'a\' AS x; DELETE FROM t; SELECT '1' AS value`, dialects: []Dialect{MySQL}, want: "unterminated string"},
		{name: "MySQL: an executable comment is refused", sql: "SELECT 1 AS value /*!50000 ; DELETE FROM t */", dialects: []Dialect{MySQL}, want: "executable comment", at: "/*!"},
		{name: "MySQL: SHOW passes", sql: "SHOW GLOBAL STATUS LIKE 'Threads_connected'", dialects: []Dialect{MySQL}, want: "SHOW GLOBAL STATUS LIKE 'Threads_connected'"},
		{name: "SQLite: a bracketed name hides a semicolon", sql: "SELECT [a;b] AS value FROM t", dialects: []Dialect{SQLite}, want: "SELECT [a;b] AS value FROM t"},
		{name: "SQLite: SHOW is refused", sql: "SHOW TABLES", dialects: []Dialect{SQLite}, want: "a SHOW statement is refused", at: "SHOW"},
	}
	for _, tt := range tests {
		for _, d := range tt.dialects {
			t.Run(tt.name+"/"+d.String(), func(t *testing.T) {
				got, err := Statement(tt.sql, d)
				if err == nil {
					if got != tt.want {
						t.Errorf("Statement(%q) = %q, want %q", tt.sql, got, tt.want)
					}
					return
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Statement(%q): %v is not an *Error", tt.sql, err)
				}
				if !strings.Contains(e.Msg, tt.want) {
					t.Errorf("Statement(%q): %v, want %q", tt.sql, err, tt.want)
				}
				if want := strings.Index(tt.sql, tt.at); tt.at != "" && e.Offset != want {
					t.Errorf("Statement(%q): refused at offset %d, want %d (%q)", tt.sql, e.Offset, want, tt.at)
				}
			})
		}
	}
}

// FuzzStatement checks that any text is either refused with an offset inside it, or gives a
// prefix of itself that passes again unchanged, in every dialect.
func FuzzStatement(f *testing.F) {
	for _, s := range []string{"SELECT 1 AS value", "SELECT ';' AS x; DELETE", "SELECT $a$;$a$", "SELECT 'a\\';b'", "/* ; */ SELECT 1 -- ;", "SELECT [x;y]", "WITH x AS (SELECT 1) SELECT * FROM x;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		for _, d := range []Dialect{SQLite, PostgreSQL, MySQL} {
			got, err := Statement(sql, d)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(sql) {
					t.Fatalf("%s: offset %d outside %q", d, e.Offset, sql)
				}
				continue
			}
			if !strings.HasPrefix(sql, got) {
				t.Fatalf("%s: %q is not a prefix of %q", d, got, sql)
			}
			if again, err := Statement(got, d); err != nil || again != strings.TrimRight(got, " \t\n\r\f\v") {
				t.Fatalf("%s: %q passes, its statement %q gives %q, %v", d, sql, got, again, err)
			}
		}
	})
}
