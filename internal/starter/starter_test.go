package starter

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// TestDatabaseOpensReadOnly checks that the seeded database is in rollback-journal mode (a WAL
// database needs write access beside it even to be read) and holds the promised figures when
// opened read-only, as kpic serve opens it.
func TestDatabaseOpensReadOnly(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, Options{Year: 2026, Schema: []byte("{}\n")}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, DatabaseFile)
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "delete" {
		t.Errorf("journal_mode = %q (%v), want delete", mode, err)
	}
	var customers, cancelled int
	var mrr float64
	err = db.QueryRow(`SELECT count(*), sum(status = 'cancelled'), sum(CASE WHEN status = 'active' THEN monthly_price END) FROM customers`).
		Scan(&customers, &cancelled, &mrr)
	if err != nil || customers != ExampleCustomers || cancelled != ExampleCancelled || mrr != ExampleMRR {
		t.Errorf("got %d customers, %d cancelled, MRR %v (%v); want %d, %d, %d", customers, cancelled, mrr, err, ExampleCustomers, ExampleCancelled, ExampleMRR)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".kpic-init-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("database mode %v (%v), want 0644", info.Mode().Perm(), err)
	}
}
