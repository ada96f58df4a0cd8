//go:build e2e

package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// backend is a database kpic serve reads in the test, holding its own tables.
type backend struct {
	driver string  // the source driver in the definitions
	dsn    string  // handed to kpic serve as $E2E_DSN
	db     *sql.DB // the test's own connection, to write data
}

// schema creates the tables of testdata/kpis; the same SQL runs on SQLite and PostgreSQL.
var schema = []string{
	`CREATE TABLE accounts (id INTEGER PRIMARY KEY, active INTEGER NOT NULL)`,
	`CREATE TABLE payments (id INTEGER PRIMARY KEY, failed INTEGER NOT NULL)`,
}

func sqliteBackend(t *testing.T) backend {
	t.Helper()
	path := filepath.Join(t.TempDir(), "e2e.db")
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return backend{driver: "sqlite", dsn: path, db: db}
}

// postgresBackend uses a schema of its own in database test, dropped when the test ends.
func postgresBackend(t *testing.T) backend {
	t.Helper()
	base := "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		unavailable(t, "PostgreSQL is not reachable on 127.0.0.1:5432 (database test, user postgres): %v", err)
	}
	name := fmt.Sprintf("kpic_e2e_%d", rand.Uint32())
	// kpic reads as a role of its own that may only read the schema: it refuses superusers.
	mustExec(t, admin, "CREATE ROLE "+name+" LOGIN")
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP OWNED BY " + name)
		_, _ = admin.Exec("DROP ROLE " + name)
	})
	mustExec(t, admin, "CREATE SCHEMA "+name)
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + name + " CASCADE") })
	mustExec(t, admin, "GRANT USAGE ON SCHEMA "+name+" TO "+name)
	mustExec(t, admin, "ALTER DEFAULT PRIVILEGES IN SCHEMA "+name+" GRANT SELECT ON TABLES TO "+name)
	db, err := sql.Open("pgx", base+"&search_path="+name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	reader := "postgres://" + name + "@127.0.0.1:5432/test?sslmode=disable&search_path=" + name
	return backend{driver: "postgres", dsn: reader, db: db}
}

// seed creates the tables: 42 of 50 accounts active (green against a target of 40), 6 of 100
// payments failed (amber against a target of 5%).
func (b backend) seed(t *testing.T) {
	t.Helper()
	for _, s := range schema {
		mustExec(t, b.db, s)
	}
	for i := 1; i <= 50; i++ {
		mustExec(t, b.db, "INSERT INTO accounts (id, active) VALUES ($1, $2)", i, boolInt(i <= 42))
	}
	for i := 1; i <= 100; i++ {
		mustExec(t, b.db, "INSERT INTO payments (id, failed) VALUES ($1, $2)", i, boolInt(i <= 6))
	}
}

func mustExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
