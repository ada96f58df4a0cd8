package definition

import (
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// dsnSeeds are DSNs in every syntax, with passwords in awkward places.
var dsnSeeds = []string{
	"postgres://kpic:s3cret@db:5432/w", "postgres://kpic:s3@cr:et@db/w", "postgresql://k:p%40ss@h1,h2/db?sslmode=disable",
	"postgres://kpic@db/w?password=x", "host=db password = 'a\\' b' user=x", "host=db password=a\\ b", "user=u password=",
	"kpic:pa://ss@tcp(db:3306)/orders", "kpic:p@ss@tcp(db)/o?tls=true", "u:a/b?c@unix(/tmp/s)/d", "kpic@tcp(db:3306)/orders",
	"kpic:${P}@tcp(db)/o", "postgres://kpic:${P}@db/w",
}

// FuzzLiteralPasswordAgainstPostgres checks that a DSN in which pgx's own parser finds a
// literal password is refused.
func FuzzLiteralPasswordAgainstPostgres(f *testing.F) {
	for _, s := range dsnSeeds {
		f.Add(s)
	}
	// pgx reads passwords from the environment and password files too; leave them out.
	f.Setenv("PGPASSWORD", "")
	f.Setenv("PGPASSFILE", "/nonexistent")
	f.Setenv("PGSERVICEFILE", "/nonexistent")
	f.Setenv("PGSSLPASSWORD", "")
	f.Fuzz(func(t *testing.T, dsn string) {
		if strings.Contains(dsn, "${") {
			return
		}
		cfg, err := pgconn.ParseConfig(dsn)
		if err == nil && cfg.Password != "" && !literalPassword("postgres", dsn) {
			t.Errorf("pgx reads password %q from %q; the check missed it", cfg.Password, dsn)
		}
	})
}

// FuzzLiteralPasswordAgainstMySQL checks the same against go-sql-driver's parser.
func FuzzLiteralPasswordAgainstMySQL(f *testing.F) {
	for _, s := range dsnSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		if strings.Contains(dsn, "${") {
			return
		}
		cfg, err := mysql.ParseDSN(dsn)
		if err == nil && cfg.Passwd != "" && !literalPassword("mysql", dsn) {
			t.Errorf("go-sql-driver reads password %q from %q; the check missed it", cfg.Passwd, dsn)
		}
	})
}
