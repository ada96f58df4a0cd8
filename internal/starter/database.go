package starter

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// Plans of the example customers: how many are active and cancelled, at what monthly price.
var plans = []struct {
	name              string
	price             float64
	active, cancelled int
}{
	{"basic", 20, 26, 1},
	{"pro", 50, 13, 0},
}

// Figures of the seeded database, which the starter's test file and kpic's own tests expect.
const (
	ExampleCustomers = 40   // every customer, active or cancelled
	ExampleCancelled = 1    // cancelled customers
	ExampleMRR       = 1170 // dollars: the monthly price of the active customers
)

// writeDatabase creates the example database at path, atomically: it is seeded under a
// temporary name and linked into place, so a failure leaves nothing and an existing file is
// never replaced. Its journal mode is DELETE, so read-only opening (as kpic serve does) needs no
// write access to the folder.
func writeDatabase(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kpic-init-*.db")
	if err != nil {
		return fmt.Errorf("creating the example database: %w", err)
	}
	tmp.Close()
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("creating the example database: %w", err)
	}
	defer os.Remove(tmp.Name()) //nolint:errcheck // gone once linked; removed on failure
	if err := seed(tmp.Name()); err != nil {
		return fmt.Errorf("seeding the example database: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	return nil
}

// seed creates the customers table and fills it.
func seed(path string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	stmts := []string{
		`PRAGMA journal_mode = DELETE`,
		`CREATE TABLE customers (
			id            INTEGER PRIMARY KEY,
			plan          TEXT NOT NULL,
			monthly_price REAL NOT NULL,
			status        TEXT NOT NULL CHECK (status IN ('active', 'cancelled'))
		)`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			return err
		}
	}
	return insertCustomers(db)
}

func insertCustomers(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit there is nothing to roll back
	for _, p := range plans {
		for _, g := range []struct {
			status string
			n      int
		}{{"active", p.active}, {"cancelled", p.cancelled}} {
			for range g.n {
				if _, err := tx.Exec(`INSERT INTO customers (plan, monthly_price, status) VALUES (?, ?, ?)`, p.name, p.price, g.status); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}
