package backfill_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// testDB is one real database holding a daily history table under a unique name.
type testDB struct {
	driver string
	admin  *sql.DB
	dsn    string
}

const (
	postgresDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	mysqlDSN    = "root@tcp(127.0.0.1:3306)/test"
)

// testDBs returns SQLite, PostgreSQL and MariaDB; an unreachable server is nil-admin and its
// subtest skips (or fails when CI=true).
func testDBs(t *testing.T) []testDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	dbs := []testDB{{driver: "sqlite", dsn: path}, {driver: "postgres", dsn: postgresDSN}, {driver: "mysql", dsn: mysqlDSN}}
	for i := range dbs {
		dbs[i].admin = openAdmin(t, dbs[i].driver, dbs[i].dsn)
	}
	return dbs
}

func openAdmin(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	name := map[string]string{"sqlite": "sqlite", "postgres": "pgx", "mysql": "mysql"}[driver]
	db, err := sql.Open(name, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", driver, err)
	}
	t.Cleanup(func() { db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return nil
	}
	return db
}

func (d testDB) need(t *testing.T) {
	t.Helper()
	if d.admin != nil {
		return
	}
	msg := fmt.Sprintf("%s is not reachable on 127.0.0.1; start it to run this test", d.driver)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// table creates a table with a unique name from columns (SQL), fills it and drops it when the
// test ends.
func (d testDB) table(t *testing.T, prefix, columns string, rows []string) string {
	t.Helper()
	name := fmt.Sprintf("%s_%08x", prefix, rand.Uint32())
	exec(t, d.admin, fmt.Sprintf("CREATE TABLE %s (%s)", name, columns))
	t.Cleanup(func() { exec(t, d.admin, "DROP TABLE "+name) })
	for _, r := range rows {
		exec(t, d.admin, fmt.Sprintf("INSERT INTO %s VALUES %s", name, r))
	}
	return name
}

func exec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// privileged is the source setting the test servers need: their admin users are superusers,
// which kpic refuses unless told (SQLite has no roles).
func (d testDB) privileged() string {
	if d.driver == "sqlite" {
		return ""
	}
	return "allow_privileged: true"
}
