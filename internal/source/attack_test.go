package source_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

// The tests of this file run hostile queries as a definition author could write them, on
// real databases, through kpic's DSN as written and with DSN options that would undo a
// read-only run, and through both the checked path (Run) and the unchecked one
// (RunUnchecked, which skips sqlcheck, so the drivers' and databases' own guards must hold).
// After each attack the victim table is unchanged, no file appeared, and nothing is held.

// victim is a table with known content that no attack may change.
type victim struct {
	d     testDB
	name  string
	dir   string   // where attacks try to create files
	files []string // the files in dir and beside the SQLite database before the attack
}

func newVictim(t *testing.T, d testDB) *victim {
	t.Helper()
	v := &victim{d: d, name: d.table(t), dir: t.TempDir()}
	v.files = v.listFiles(t)
	return v
}

func (v *victim) listFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{v.dir, filepath.Dir(v.d.path)} {
		if v.d.path == "" && dir == "." {
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(files)
	return files
}

// intact fails the test when the victim's rows or the files changed.
func (v *victim) intact(t *testing.T, attack string) {
	t.Helper()
	var n, sum int
	if err := v.d.admin.QueryRow("SELECT count(*), coalesce(sum(n), 0) FROM "+v.name).Scan(&n, &sum); err != nil || n != 1 || sum != 1 {
		t.Errorf("%s: the victim table changed: %d rows, sum %d, err %v", attack, n, sum, err)
	}
	if got := v.listFiles(t); !slices.Equal(got, v.files) {
		t.Errorf("%s: files appeared or went: before %v, after %v", attack, v.files, got)
	}
}

// expand fills the placeholders of an attack: {victim}, {dir} (a directory the exporter's
// user can write) and {db} (the SQLite file).
func (v *victim) expand(sql string) string {
	return strings.NewReplacer("{victim}", v.name, "{dir}", v.dir, "{db}", v.d.path).Replace(sql)
}

// runBoth runs sql through Run and RunUnchecked and returns their errors.
func runBoth(t *testing.T, s *source.Source, sql string) (checked, unchecked error) {
	t.Helper()
	q := source.Query{Name: "attack", SQL: sql, Timeout: 10 * time.Second}
	_, checked = s.Run(context.Background(), q, func([][]byte, float64) {})
	_, unchecked = s.RunUnchecked(context.Background(), q, func([][]byte, float64) {})
	return checked, unchecked
}

// writes are attacks that must fail on both paths, by driver ("" for every driver).
var writes = []struct{ driver, name, sql string }{
	{"", "a multi-statement DELETE after a SELECT", "SELECT 1 AS value; DELETE FROM {victim}"},
	{"", "a multi-statement INSERT after a SELECT", "SELECT 1 AS value; INSERT INTO {victim} (n) VALUES (2)"},
	{"", "a DELETE hidden behind a comment", "SELECT 1 AS value /* x */ ; -- y\n DELETE FROM {victim}"},
	{"", "a single DELETE", "DELETE FROM {victim}"},
	{"", "a single UPDATE", "UPDATE {victim} SET n = 5"},
	{"", "a single INSERT", "INSERT INTO {victim} (n) VALUES (7)"},
	{"", "a DROP TABLE", "DROP TABLE {victim}"},
	{"", "a CREATE TABLE", "CREATE TABLE {victim}_new (a INTEGER)"},
	{"sqlite", "the issue's ATTACH of the source file with query_only off", "PRAGMA query_only=0; ATTACH DATABASE '{db}' AS w; DELETE FROM w.{victim}; COMMIT; SELECT 1 AS value"},
	{"sqlite", "an ATTACH creating a file", "ATTACH DATABASE '{dir}/new.db' AS x"},
	{"sqlite", "an ATTACH creating a file, then a table in it", "ATTACH DATABASE '{dir}/new2.db' AS x; CREATE TABLE x.t (a); SELECT 1 AS value"},
	{"sqlite", "VACUUM INTO a new file", "VACUUM INTO '{dir}/copy.db'"},
	{"sqlite", "PRAGMA query_only off, then a DELETE", "PRAGMA query_only = 0; DELETE FROM {victim}"},
	{"sqlite", "a writable_schema pragma", "PRAGMA writable_schema = ON"},
	{"sqlite", "a temporary table", "CREATE TEMP TABLE t AS SELECT 1 AS value"},
	{"sqlite", "a write in a WITH", "WITH x AS (SELECT 1) DELETE FROM {victim}"},
	{"sqlite", "a REPLACE", "REPLACE INTO {victim} (n) VALUES (3)"},
	{"sqlite", "an immediate transaction", "BEGIN IMMEDIATE"},
	{"sqlite", "load_extension", "SELECT load_extension('{dir}/x.so') AS value"},
	{"postgres", "the issue's COMMIT; BEGIN READ WRITE; DELETE", "SELECT 1 AS value; COMMIT; BEGIN READ WRITE; DELETE FROM {victim}; COMMIT"},
	{"postgres", "the issue's INSERT variant", "SELECT 1 AS value; COMMIT; BEGIN READ WRITE; INSERT INTO {victim} (n) VALUES (9); COMMIT"},
	{"postgres", "a data-modifying WITH", "WITH d AS (DELETE FROM {victim} RETURNING n) SELECT count(*) AS value FROM d"},
	{"postgres", "a TRUNCATE", "TRUNCATE {victim}"},
	{"postgres", "a dollar-quoted DO block that writes", "DO $$BEGIN DELETE FROM {victim}; END$$"},
	{"postgres", "SELECT INTO a new table", "SELECT n AS value INTO {victim}_copy FROM {victim}"},
	{"postgres", "a temporary table", "CREATE TEMP TABLE t AS SELECT 1 AS value"},
	{"postgres", "PREPARE TRANSACTION, which would keep the transaction's locks", "PREPARE TRANSACTION 'kpic_attack'"},
	{"postgres", "COPY to a server file", "COPY (SELECT 1) TO '{dir}/copy.txt'"},
	{"mysql", "a multi-statement DELETE with a MySQL comment", "SELECT 1 AS value # x\n; DELETE FROM {victim}"},
	{"mysql", "an executable comment holding a DELETE", "SELECT 1 AS value /*!50000 ; DELETE FROM {victim} */"},
	{"mysql", "a TRUNCATE", "TRUNCATE TABLE {victim}"},
	{"mysql", "SELECT INTO OUTFILE", "SELECT 1 AS value INTO OUTFILE '{dir}/out.txt'"},
	{"mysql", "a REPLACE", "REPLACE INTO {victim} (n) VALUES (3)"},
}

// hostileDSNs are DSN options that would undo a read-only run if kpic did not force its own.
func hostileDSNs(d testDB) map[string]string {
	switch d.driver {
	case "sqlite":
		return map[string]string{
			"as written":             d.dsn,
			"mode=rw, _query_only=0": "file:" + d.dsn + "?mode=rw&_query_only=0",
			"_pragma=query_only(0)":  "file:" + d.dsn + "?_pragma=query_only(0)",
		}
	case "postgres":
		return map[string]string{
			"as written":                         d.dsn,
			"simple protocol":                    d.dsn + "&default_query_exec_mode=simple_protocol",
			"read-only off in options":           d.dsn + "&options=-c%20default_transaction_read_only%3Doff",
			"read-only off as a runtime setting": d.dsn + "&default_transaction_read_only=off",
		}
	}
	return map[string]string{
		"as written":                          d.dsn,
		"multi-statements and all files":      d.dsn + "?multiStatements=true&allowAllFiles=true",
		"read-only off as a session variable": d.dsn + "?multiStatements=true&transaction_read_only=0",
	}
}

func TestAttacksChangeNothing(t *testing.T) {
	for _, d := range testDBs(t) {
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			for dsnName, dsn := range hostileDSNs(d) {
				t.Run(dsnName, func(t *testing.T) {
					s := openSource(t, &definition.Source{Name: "db", Driver: d.driver, DSN: definition.Secret(dsn)})
					for _, a := range writes {
						if a.driver != "" && a.driver != d.driver {
							continue
						}
						t.Run(a.name, func(t *testing.T) {
							v := newVictim(t, d)
							sql := v.expand(a.sql)
							checked, unchecked := runBoth(t, s, sql)
							if checked == nil {
								t.Errorf("Run(%q) succeeded", sql)
							}
							if unchecked == nil {
								t.Errorf("RunUnchecked(%q) succeeded", sql)
							}
							v.intact(t, sql)
						})
					}
					assertNothingHeld(t, d)
				})
			}
		})
	}
}

// sessionState are single queries that pass the check and leave something on their session;
// the next run on the pool must not see it, and the database must not hold it.
func TestSessionStateDoesNotOutliveARun(t *testing.T) {
	for _, d := range testDBs(t) {
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			if d.driver == "sqlite" {
				t.Skip("SQLite sessions hold no server state; each run gets a new connection")
			}
			s := d.open(t)
			key := rand.Int32N(1 << 30)
			take := map[string]string{
				"postgres": fmt.Sprintf("SELECT pg_advisory_lock(%d) IS NOT NULL AS value", key),
				"mysql":    fmt.Sprintf("SELECT GET_LOCK('kpic_attack_%d', 0) AS value", key),
			}[d.driver]
			held := map[string]string{
				"postgres": fmt.Sprintf("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %d", key),
				"mysql":    fmt.Sprintf("SELECT IS_USED_LOCK('kpic_attack_%d') IS NOT NULL", key),
			}[d.driver]
			set := map[string]string{
				"postgres": "SELECT set_config('search_path', 'kpic_attack', false) IS NOT NULL AS value",
				"mysql":    "SELECT (@kpic_attack := 42) AS value",
			}[d.driver]
			seen := map[string]string{
				"postgres": "SELECT (current_setting('search_path') = 'kpic_attack')::int AS value",
				"mysql":    "SELECT coalesce(@kpic_attack, 0) AS value",
			}[d.driver]
			for _, unchecked := range []bool{false, true} {
				runOK(t, s, take, unchecked)
				eventuallyZero(t, d, held)
				runOK(t, s, set, unchecked)
				for range 3 { // the pool has two connections: any of them would show it
					if got := runOK(t, s, seen, unchecked); got != 0 {
						t.Errorf("a setting of an earlier run is still there (unchecked=%v)", unchecked)
					}
				}
			}
			assertNothingHeld(t, d)
		})
	}
}

// runOK runs a query that must succeed and returns its single value.
func runOK(t *testing.T, s *source.Source, sql string, unchecked bool) float64 {
	t.Helper()
	q := source.Query{Name: "state", SQL: sql, Timeout: 10 * time.Second}
	var got float64
	visit := func(_ [][]byte, v float64) { got = v }
	run := s.Run
	if unchecked {
		run = s.RunUnchecked
	}
	if _, err := run(context.Background(), q, visit); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return got
}

func eventuallyZero(t *testing.T, d testDB, q string) {
	t.Helper()
	var n int
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err := d.admin.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Errorf("still held after the run: %s gives %d", q, n)
}

// assertNothingHeld checks the writer role holds no locks or prepared transactions.
func assertNothingHeld(t *testing.T, d testDB) {
	t.Helper()
	switch d.driver {
	case "postgres":
		eventuallyZero(t, d, fmt.Sprintf(`SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE a.usename = '%s' AND (l.locktype = 'advisory' OR l.granted AND l.mode LIKE '%%Exclusive%%' AND l.locktype = 'relation')`, d.role))
		eventuallyZero(t, d, fmt.Sprintf("SELECT count(*) FROM pg_prepared_xacts WHERE owner = '%s'", d.role))
	case "mysql":
		eventuallyZero(t, d, fmt.Sprintf("SELECT count(*) FROM information_schema.processlist WHERE user = '%s' AND command <> 'Sleep'", d.role))
	}
}

// TestSQLiteReadsStillWork checks what the authorizer lets through: reads, functions,
// recursive queries and reporting pragmas as table-valued functions.
func TestSQLiteReadsStillWork(t *testing.T) {
	d := testDBs(t)[0]
	v := newVictim(t, d)
	s := d.open(t)
	for _, q := range []string{
		"SELECT count(*) AS value FROM " + v.name,
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT sum(x) AS value FROM c",
		"SELECT count(*) AS value FROM pragma_table_info('" + v.name + "')",
		"SELECT abs(-1) + length('ab') AS value",
	} {
		if _, _, err := run(t, s, source.Query{Name: "q", SQL: q}); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	v.intact(t, "reads")
}
