package source_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

func TestWritingQueriesFailAndLeaveDataUntouched(t *testing.T) {
	writes := map[string]string{
		"an UPDATE":        "UPDATE %s SET n = 2",
		"a DELETE":         "DELETE FROM %s",
		"an INSERT":        "INSERT INTO %s (n) VALUES (3)",
		"a DROP TABLE":     "DROP TABLE %s",
		"a write in a CTE": "WITH x AS (SELECT 1) UPDATE %s SET n = 4",
	}
	for _, d := range testDBs(t) {
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			s := d.open(t)
			for name, stmt := range writes {
				t.Run(name+" is refused", func(t *testing.T) {
					table := d.table(t)
					_, _, err := run(t, s, source.Query{Name: "w", SQL: fmt.Sprintf(stmt, table)})
					if err == nil {
						t.Errorf("%s succeeded in a read-only run", stmt)
					}
					var n int
					if err := d.admin.QueryRow("SELECT n FROM " + table).Scan(&n); err != nil || n != 1 {
						t.Errorf("data changed: n=%d, err=%v", n, err)
					}
				})
			}
		})
	}
}

// slowQuery runs until cancelled, tagged with marker so the server's activity list shows it.
// Not SLEEP on MySQL: MariaDB ends a SLEEP itself within seconds of its client leaving, which
// would hide a guard that failed; BENCHMARK runs on for hours.
var slowQuery = map[string]string{
	"sqlite":   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT /* %s */ max(x) AS value FROM c",
	"postgres": "SELECT /* %s */ 1 AS value FROM pg_sleep(60)",
	"mysql":    "SELECT /* %s */ BENCHMARK(100000000000, SHA2('kpic', 256)) AS value",
}

// running lists statements still running on the server that contain marker.
var running = map[string]string{
	"postgres": "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%%%s%%' AND pid <> pg_backend_pid()",
	"mysql":    "SELECT count(*) FROM information_schema.processlist WHERE info LIKE '%%%s%%' AND id <> CONNECTION_ID()",
}

func TestTimeoutCancelsTheStatementInTheDatabase(t *testing.T) {
	for _, d := range testDBs(t) {
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			timesOut(t, d, d.open(t))
		})
	}
}

// TestEitherMySQLGuardAloneStopsTheStatement turns off the side connection's KILL (as when the
// server is full), then the server's statement timer (as on a server without one): the other
// still stops the statement in the database.
func TestEitherMySQLGuardAloneStopsTheStatement(t *testing.T) {
	for _, d := range testDBs(t) {
		if d.driver != "mysql" {
			continue
		}
		d.need(t)
		for _, off := range []string{"kill", "timer"} {
			t.Run("without the "+off, func(t *testing.T) {
				s := d.open(t)
				s.SkipGuard(off)
				timesOut(t, d, s)
			})
		}
	}
}

// timesOut runs a slow query with a short timeout on s: it must fail as a timeout, promptly,
// and leave no statement running on the server.
func timesOut(t *testing.T, d testDB, s *source.Source) {
	t.Helper()
	marker := fmt.Sprintf("kpic-slow-%d", rand.Uint32())
	start := time.Now()
	_, _, err := run(t, s, source.Query{Name: "slow", SQL: fmt.Sprintf(slowQuery[d.driver], marker), Timeout: 300 * time.Millisecond})
	if reason(err) != source.ReasonTimeout {
		t.Fatalf("error %v, want a timeout", err)
	}
	if strings.Contains(err.Error(), "cancelling the statement in the database failed") {
		t.Errorf("the guard reported: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the query returned after %v", took)
	}
	if q, ok := running[d.driver]; ok {
		waitGone(t, d.admin, fmt.Sprintf(q, marker))
	}
}

// waitGone polls the server until the statement has left its activity list.
func waitGone(t *testing.T, admin *sql.DB, q string) {
	t.Helper()
	var n int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if err := admin.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Errorf("the statement is still running in the database %d time(s)", n)
	if strings.Contains(q, "processlist") { // stop what the guards left running
		ids, err := admin.Query(strings.Replace(q, "count(*)", "id", 1))
		if err != nil {
			t.Fatal(err)
		}
		defer ids.Close()
		for ids.Next() {
			var id int64
			if ids.Scan(&id) == nil {
				_, _ = admin.Exec(fmt.Sprintf("KILL %d", id))
			}
		}
		if err := ids.Err(); err != nil {
			t.Error(err)
		}
	}
}

// closedAddr is a local address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestDownDatabaseIsAConnectionErrorWithoutThePassword(t *testing.T) {
	const password = "Hunter2-s3cret"
	addr := closedAddr(t)
	dsns := map[string]string{
		"postgres": "postgres://kpic:" + password + "@" + addr + "/test?sslmode=disable&connect_timeout=2",
		"mysql":    "kpic:" + password + "@tcp(" + addr + ")/test?timeout=2s",
		"sqlite":   "/nonexistent/dir/" + password + ".db",
	}
	for driver, dsn := range dsns {
		t.Run(driver, func(t *testing.T) {
			t.Setenv("KPIC_TEST_DSN", dsn)
			s, err := source.Open(&definition.Source{Name: "down", Driver: driver, DSN: "${KPIC_TEST_DSN}"}, source.OSEnv())
			if err != nil {
				t.Fatalf("open must not connect: %v", err)
			}
			defer s.Close()
			_, _, err = run(t, s, source.Query{Name: "q", SQL: "SELECT 1 AS value"})
			if reason(err) != source.ReasonConnection {
				t.Errorf("error %v, want reason connection", err)
			}
			if pingErr := s.Ping(context.Background()); pingErr == nil || strings.Contains(pingErr.Error()+err.Error(), password) {
				t.Errorf("errors show the password: %v / %v", err, pingErr)
			}
		})
	}
}

// TestServerTimeoutsAreTimeouts takes the errors PostgreSQL and MariaDB give when their own
// statement timers fire (which can beat the client's deadline) and checks they are counted as
// timeouts, not as failed queries.
func TestServerTimeoutsAreTimeouts(t *testing.T) {
	stmts := map[string][]string{
		"postgres": {"SET statement_timeout = 50", "SELECT pg_sleep(2)"},
		"mysql":    {"SET SESSION max_statement_time = 0.05", "SELECT SLEEP(2) FROM (SELECT 1 UNION ALL SELECT 2) x"},
	}
	for _, d := range testDBs(t) {
		if d.driver == "sqlite" {
			continue
		}
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			conn, err := d.admin.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			mustExecConn(t, conn, stmts[d.driver][0])
			_, serverErr := conn.ExecContext(context.Background(), stmts[d.driver][1])
			if serverErr == nil {
				t.Fatal("the server's timer did not fire")
			}
			if got := reason(d.open(t).Classify(serverErr)); got != source.ReasonTimeout {
				t.Errorf("%v is counted as %q, want timeout", serverErr, got)
			}
		})
	}
}

func mustExecConn(t *testing.T, conn *sql.Conn, q string) {
	t.Helper()
	if _, err := conn.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestAHugeValueFailsTheQueryNotTheMemory makes one value larger than MaxRowBytes: the
// database or the driver refuses it, and the run fails instead of reading it into memory.
func TestAHugeValueFailsTheQueryNotTheMemory(t *testing.T) {
	huge := map[string]string{
		"sqlite":   fmt.Sprintf("SELECT length(hex(zeroblob(%d))) AS value", source.MaxRowBytes/2+1), // hex doubles it
		"postgres": fmt.Sprintf("SELECT length(x) AS value, x AS label FROM (SELECT repeat('x', %d) AS x) s", source.MaxRowBytes+1),
	}
	for _, d := range testDBs(t) {
		q, ok := huge[d.driver]
		if !ok {
			continue
		}
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			var labels []string
			if d.driver == "postgres" {
				labels = []string{"label"}
			}
			_, _, err := run(t, d.open(t), source.Query{Name: "huge", SQL: q, Labels: labels, Timeout: 30 * time.Second})
			if reason(err) != source.ReasonQuery {
				t.Errorf("error %v, want the query failed", err)
			}
		})
	}
}
