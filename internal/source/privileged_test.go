package source_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/source"
)

// privilegedRole makes a login role holding one privilege that escapes read-only
// transactions, and returns its DSN and the text the refusal must name.
type privilegedRole struct {
	name  string
	setup func(t *testing.T, admin *sql.DB, role string)
	names string
}

var privilegedRoles = map[string][]privilegedRole{
	"postgres": {
		{"a superuser", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "ALTER ROLE "+role+" SUPERUSER")
		}, "is a superuser"},
		{"a member of a superuser role", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "CREATE ROLE "+role+"_su SUPERUSER NOLOGIN")
			t.Cleanup(func() { dropRole(admin, "postgres", role+"_su") })
			mustExec(t, admin, "GRANT "+role+"_su TO "+role)
		}, "member of superuser role"},
		{"a member of pg_write_server_files", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "GRANT pg_write_server_files TO "+role)
		}, "member of pg_write_server_files"},
		{"a member of pg_execute_server_program", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "GRANT pg_execute_server_program TO "+role)
		}, "member of pg_execute_server_program"},
		{"a role with BYPASSRLS", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "ALTER ROLE "+role+" BYPASSRLS")
		}, "has BYPASSRLS"},
	},
	"mysql": {
		{"a user with FILE", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "GRANT FILE ON *.* TO '"+role+"'@'%'")
		}, "FILE ON *.*"},
		{"a user with SUPER", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "GRANT SUPER ON *.* TO '"+role+"'@'%'")
		}, "SUPER ON *.*"},
		{"a user with ALL PRIVILEGES", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "GRANT ALL PRIVILEGES ON *.* TO '"+role+"'@'%'")
		}, "ALL PRIVILEGES ON *.*"},
		{"a user whose default role has FILE", func(t *testing.T, admin *sql.DB, role string) {
			mustExec(t, admin, "CREATE ROLE "+role+"_r")
			t.Cleanup(func() { _, _ = admin.Exec("DROP ROLE IF EXISTS " + role + "_r") })
			mustExec(t, admin, "GRANT FILE ON *.* TO "+role+"_r")
			mustExec(t, admin, "GRANT "+role+"_r TO '"+role+"'@'%'")
			mustExec(t, admin, "SET DEFAULT ROLE "+role+"_r FOR '"+role+"'@'%'")
		}, "FILE ON *.*"},
	},
}

// escapes are single statements that reach the server's file system or programs, which a
// privileged role could run; none may run.
var escapes = map[string][]string{
	"postgres": {"COPY (SELECT 1) TO PROGRAM 'touch {dir}/program-ran'", "COPY (SELECT 1) TO '{dir}/copied'",
		"SELECT lo_export(lo_from_bytea(0, 'x'), '{dir}/lo') AS value"},
	"mysql": {"SELECT 1 AS value INTO OUTFILE '{dir}/outfile'", "SELECT 1 AS value INTO DUMPFILE '{dir}/dumpfile'"},
}

func TestPrivilegedRolesRunNothing(t *testing.T) {
	for _, d := range testDBs(t) {
		if d.driver == "sqlite" {
			continue
		}
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			for _, p := range privilegedRoles[d.driver] {
				t.Run(p.name, func(t *testing.T) {
					role, dsn := writerRole(t, d.driver, d.admin)
					p.setup(t, d.admin, role)
					s := openSource(t, &definition.Source{Name: "db", Driver: d.driver, DSN: definition.Secret(dsn)})
					_, _, err := run(t, s, source.Query{Name: "q", SQL: "SELECT 1 AS value"})
					if reason(err) != source.ReasonPrivileged || !strings.Contains(err.Error(), p.names) ||
						!strings.Contains(err.Error(), "kpic_reader") || !strings.Contains(err.Error(), "allow_privileged") {
						t.Errorf("error %v, want reason privileged naming %q, a read-only role and allow_privileged", err, p.names)
					}
					dir := worldWritableDir(t)
					for _, e := range escapes[d.driver] {
						q := strings.ReplaceAll(e, "{dir}", dir)
						if _, err := s.RunUnchecked(context.Background(), source.Query{Name: "q", SQL: q, Timeout: 10 * time.Second}, func([][]byte, float64) {}); reason(err) != source.ReasonPrivileged {
							t.Errorf("%s: %v, want refused for the role", q, err)
						}
					}
					if entries, _ := os.ReadDir(dir); len(entries) > 0 {
						t.Errorf("a privileged statement wrote %v", entries)
					}
				})
			}
		})
	}
}

// worldWritableDir is a directory the database server's user could write to, so that an
// escape that ran would leave a file there.
func worldWritableDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("kpic-escape-%d", rand.Uint32()))
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestAllowPrivilegedRunsAPrivilegedRole(t *testing.T) {
	for _, d := range testDBs(t) {
		if d.driver == "sqlite" {
			continue
		}
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			admin := map[string]string{"postgres": postgresDSN, "mysql": mysqlDSN}[d.driver]
			s := openSource(t, &definition.Source{Name: "db", Driver: d.driver, DSN: definition.Secret(admin), AllowPrivileged: true})
			got, _, err := run(t, s, source.Query{Name: "q", SQL: "SELECT 7 AS value"})
			if err != nil || len(got) != 1 || got[0].value != 7 {
				t.Errorf("got %v, %v; want 7", got, err)
			}
		})
	}
}

func TestWritingRolesAreNoted(t *testing.T) {
	for _, d := range testDBs(t) {
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			s := d.open(t)
			if d.driver != "sqlite" {
				if _, known := s.CanWrite(); known {
					t.Fatal("known before any run")
				}
			}
			d.table(t) // the writer role may change it
			if _, _, err := run(t, s, source.Query{Name: "q", SQL: "SELECT 1 AS value"}); err != nil {
				t.Fatal(err)
			}
			can, known := s.CanWrite()
			if want := d.driver != "sqlite"; can != want || !known {
				t.Errorf("CanWrite() = %v, %v; want %v, true", can, known, want)
			}
		})
	}
}

func TestAReadOnlyRoleIsNotNotedAsWriting(t *testing.T) {
	for _, d := range testDBs(t) {
		if d.driver == "sqlite" {
			continue
		}
		t.Run(d.driver, func(t *testing.T) {
			d.need(t)
			role := fmt.Sprintf("kpic_t_%d", rand.Uint32())
			var dsn string
			if d.driver == "postgres" {
				mustExec(t, d.admin, "CREATE ROLE "+role+" LOGIN")
				t.Cleanup(func() { dropRole(d.admin, "postgres", role) })
				mustExec(t, d.admin, "GRANT pg_read_all_data TO "+role)
				dsn = "postgres://" + role + "@127.0.0.1:5432/test?sslmode=disable"
			} else {
				mustExec(t, d.admin, "CREATE USER '"+role+"'@'%'")
				t.Cleanup(func() { dropRole(d.admin, "mysql", role) })
				mustExec(t, d.admin, "GRANT SELECT ON test.* TO '"+role+"'@'%'")
				dsn = role + "@tcp(127.0.0.1:3306)/test"
			}
			s := openSource(t, &definition.Source{Name: "db", Driver: d.driver, DSN: definition.Secret(dsn)})
			if _, _, err := run(t, s, source.Query{Name: "q", SQL: "SELECT 1 AS value"}); err != nil {
				t.Fatal(err)
			}
			if can, known := s.CanWrite(); can || !known {
				t.Errorf("CanWrite() = %v, %v; want false, true", can, known)
			}
		})
	}
}
