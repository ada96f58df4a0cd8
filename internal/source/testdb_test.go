package source_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
	_ "modernc.org/sqlite"
)

// testDB is one real database under test: an admin handle that may write, and the DSN kpic
// uses. On PostgreSQL and MariaDB kpic connects as a role of the test's own that holds write
// grants on the test's tables, so that only kpic's guards keep it from writing.
type testDB struct {
	driver string
	admin  *sql.DB
	dsn    string // kpic's DSN: the writer role's
	role   string // the writer role's name (PostgreSQL, MariaDB)
	path   string // the SQLite file
}

const (
	postgresDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	mysqlDSN    = "root@tcp(127.0.0.1:3306)/test"
)

// testDBs returns SQLite and, when reachable, PostgreSQL and MariaDB. An unreachable server
// skips its subtests, or fails them when CI=true.
func testDBs(t *testing.T) []testDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	dbs := []testDB{{driver: "sqlite", admin: openAdmin(t, "sqlite", path), dsn: path, path: path}}
	for _, d := range []testDB{{driver: "postgres", dsn: postgresDSN}, {driver: "mysql", dsn: mysqlDSN}} {
		d.admin = openAdmin(t, d.driver, d.dsn)
		if d.admin != nil {
			d.role, d.dsn = writerRole(t, d.driver, d.admin)
		}
		dbs = append(dbs, d)
	}
	return dbs
}

// writerRole creates a login role that may write the test database (but holds no privilege
// reaching the server's files), drops it after the test and returns its name and DSN.
func writerRole(t *testing.T, driver string, admin *sql.DB) (string, string) {
	t.Helper()
	name := fmt.Sprintf("kpic_t_%d", rand.Uint32())
	if driver == "postgres" {
		mustExec(t, admin, "CREATE ROLE "+name+" LOGIN")
		mustExec(t, admin, "GRANT CONNECT, TEMPORARY ON DATABASE test TO "+name)
		mustExec(t, admin, "GRANT USAGE ON SCHEMA public TO "+name)
		t.Cleanup(func() { dropRole(admin, "postgres", name) })
		return name, "postgres://" + name + "@127.0.0.1:5432/test?sslmode=disable"
	}
	mustExec(t, admin, "CREATE USER '"+name+"'@'%'")
	mustExec(t, admin, "GRANT ALL ON test.* TO '"+name+"'@'%'")
	t.Cleanup(func() { dropRole(admin, "mysql", name) })
	return name, name + "@tcp(127.0.0.1:3306)/test"
}

func dropRole(admin *sql.DB, driver, name string) {
	if driver == "postgres" {
		_, _ = admin.Exec("DROP OWNED BY " + name)
		_, _ = admin.Exec("DROP ROLE IF EXISTS " + name)
		return
	}
	_, _ = admin.Exec("DROP USER IF EXISTS '" + name + "'@'%'")
}

// openAdmin returns a writable handle, or nil when the server is unreachable.
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

// need skips (or fails under CI) a subtest whose database is unreachable.
func (d testDB) need(t *testing.T) {
	t.Helper()
	if d.admin != nil {
		return
	}
	msg := fmt.Sprintf("%s is not reachable on 127.0.0.1; install and start it (see docs/serve.md) to run this test", d.driver)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// open gives kpic's view of d, through the writer role.
func (d testDB) open(t *testing.T) *source.Source {
	t.Helper()
	return openSource(t, &definition.Source{Name: "db", Driver: d.driver, DSN: definition.Secret(d.dsn)})
}

func openSource(t *testing.T, def *definition.Source) *source.Source {
	t.Helper()
	s, err := source.Open(def, source.OSEnv())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// table creates a fresh table with one row (n = 1), lets the writer role change it, and drops
// it after the test.
func (d testDB) table(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("kpic_test_%d", rand.Uint32())
	mustExec(t, d.admin, "CREATE TABLE "+name+" (n INTEGER)")
	mustExec(t, d.admin, "INSERT INTO "+name+" (n) VALUES (1)")
	if d.driver == "postgres" {
		mustExec(t, d.admin, "GRANT ALL ON "+name+" TO "+d.role)
	}
	t.Cleanup(func() { _, _ = d.admin.Exec("DROP TABLE IF EXISTS " + name) })
	return name
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
