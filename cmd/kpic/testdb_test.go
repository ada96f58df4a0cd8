package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testDB is a real database for a test: a writable handle and the DSN kpic reads it with.
type testDB struct {
	driver string
	dsn    string
	admin  *sql.DB
}

// testDBs returns SQLite and, when reachable, PostgreSQL and MariaDB on 127.0.0.1.
func testDBs(t *testing.T) []testDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	dbs := []testDB{{driver: "sqlite", dsn: path}, {driver: "postgres", dsn: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"}, {driver: "mysql", dsn: "root@tcp(127.0.0.1:3306)/test"}}
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

// need skips a test whose database is unreachable, or fails it when CI=true.
func (d testDB) need(t *testing.T) {
	t.Helper()
	if d.admin != nil {
		return
	}
	msg := fmt.Sprintf("%s is not reachable on 127.0.0.1; start it to run this test (PostgreSQL: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; MariaDB: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)", d.driver)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// table creates a table with a unique name from the columns and rows, dropped after the test.
func (d testDB) table(t *testing.T, columns string, rows ...string) string {
	t.Helper()
	name := fmt.Sprintf("kpic_checkux_%d", rand.Uint32())
	d.exec(t, "CREATE TABLE "+name+" ("+columns+")")
	t.Cleanup(func() { _, _ = d.admin.Exec("DROP TABLE IF EXISTS " + name) })
	for _, r := range rows {
		d.exec(t, "INSERT INTO "+name+" VALUES ("+r+")")
	}
	return name
}

func (d testDB) exec(t *testing.T, q string) {
	t.Helper()
	if _, err := d.admin.Exec(q); err != nil {
		t.Fatalf("%s: %s: %v", d.driver, q, err)
	}
}
