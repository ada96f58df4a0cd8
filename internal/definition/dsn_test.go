package definition

import (
	"errors"
	"strings"
	"testing"
)

// TestLiteralPassword checks each DSN form of each driver for a password written out.
func TestLiteralPassword(t *testing.T) {
	tests := []struct {
		name, driver, dsn string
		want              bool
	}{
		{"a postgres URL with a password is refused", "postgres", "postgres://kpic:s3cret@db:5432/w", true},
		{"a postgresql URL with a password is refused", "postgres", "postgresql://kpic:s3cret@db/w", true},
		{"a URL password with an escaped @ is refused", "postgres", "postgres://kpic:s3%40cret@db/w", true},
		{"a URL password holding @ is refused", "postgres", "postgres://kpic:s3@cret@db/w", true},
		{"a URL password from the environment is allowed", "postgres", "postgres://kpic:${PGPASSWORD}@db/w", false},
		{"a URL password partly from the environment is refused", "postgres", "postgres://kpic:x${PGPASSWORD}@db/w", true},
		{"a URL without password is allowed", "postgres", "postgres://kpic@db/w?sslmode=disable", false},
		{"a password query parameter is refused", "postgres", "postgres://kpic@db/w?password=s3cret", true},
		{"an sslpassword query parameter is refused", "postgres", "postgres://kpic@db/w?sslmode=verify-full&sslpassword=s3cret", true},
		{"an escaped password parameter name is refused", "postgres", "postgres://kpic@db/w?pass%77ord=s3cret", true},
		{"a passfile path is allowed", "postgres", "postgres://kpic@db/w?passfile=/run/secrets/pgpass", false},
		{"a key=value password is refused", "postgres", "host=db user=kpic password=s3cret", true},
		{"a key=value sslpassword is refused", "postgres", "host=db user=kpic sslpassword=s3cret", true},
		{"a quoted key=value password is refused", "postgres", "host=db password='s3 cret'", true},
		{"a key=value password with spaces around = is refused", "postgres", "host=db password = s3cret", true},
		{"an escaped quote inside a quoted password is refused", "postgres", `host=db password='a\' b' user=x`, true},
		{"a key=value password from the environment is allowed", "postgres", "host=db password=${PGPASSWORD}", false},
		{"a quoted key=value password from the environment is allowed", "postgres", "host=db password='${PGPASSWORD}'", false},
		{"a key=value string without password is allowed", "postgres", "host=db user=kpic dbname=w sslmode=require", false},
		{"a MySQL user:pass@ is refused", "mysql", "kpic:s3cret@tcp(db:3306)/orders", true},
		{"a MySQL password holding :// is refused", "mysql", "kpic:pa://ss@tcp(db:3306)/orders", true},
		{"a MySQL password holding @ is refused", "mysql", "kpic:p@ss@tcp(db:3306)/orders", true},
		{"a MySQL password holding / and ? is refused", "mysql", "kpic:a/b?c@tcp(db:3306)/orders", true},
		{"a MySQL user without password is allowed", "mysql", "kpic@tcp(db:3306)/orders?tls=true", false},
		{"a MySQL password from the environment is allowed", "mysql", "kpic:${MYSQL_PASSWORD}@tcp(db:3306)/orders", false},
		{"a whole DSN from the environment is allowed", "postgres", "${WAREHOUSE_DSN}", false},
		{"a whole MySQL DSN from the environment is allowed", "mysql", "${SHOP_DSN}", false},
		{"a SQLite path is allowed", "sqlite", "file:/var/lib/kpic/shop.db?mode=ro", false},
		{"a SQLite path with a colon and @ is allowed", "sqlite", "/data/a:b@c.db", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := literalPassword(tt.driver, tt.dsn); got != tt.want {
				t.Errorf("literalPassword(%s, %q) = %v, want %v", tt.driver, tt.dsn, got, tt.want)
			}
		})
	}
}

// TestResolveDSN checks expansion at use, and that errors never carry the DSN.
func TestResolveDSN(t *testing.T) {
	env := map[string]string{"PGPASSWORD": "s3cret", "HOST": "db"}
	getenv := func(k string) string { return env[k] }
	readFile := func(name string) ([]byte, error) {
		if name == "/run/secrets/dsn" {
			return []byte("postgres://u:filepass@db/w\n"), nil
		}
		return nil, errors.New("no such file")
	}
	tests := []struct {
		name    string
		src     Source
		want    string
		wantErr string
	}{
		{"references are expanded from the environment", Source{Name: "w", DSN: "postgres://u:${PGPASSWORD}@${HOST}/w"}, "postgres://u:s3cret@db/w", ""},
		{"a dollar without braces is kept", Source{Name: "w", DSN: "host=$HOST"}, "host=$HOST", ""},
		{"dsn_file is read and trimmed", Source{Name: "w", DSNFile: "/run/secrets/dsn"}, "postgres://u:filepass@db/w", ""},
		{"an unset variable is named", Source{Name: "w", DSN: "postgres://u:${NOPE}@db/w"}, "", `source "w": environment variable NOPE is not set`},
		{"an unreadable dsn_file is reported", Source{Name: "w", DSNFile: "/nope"}, "", `source "w": reading dsn_file: no such file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.src.ResolveDSN(getenv, readFile)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || strings.Contains(err.Error(), "postgres") {
					t.Fatalf("got error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestSuggestions checks which names are offered as "did you mean".
func TestSuggestions(t *testing.T) {
	tests := []struct {
		name, typo string
		known      []string
		want       string
	}{
		{"a swapped pair of letters is one edit", "qurey", []string{"query", "unit"}, "query"},
		{"a missing letter is found", "grwth", []string{"growth", "support"}, "growth"},
		{"case differences are found", "Growth", []string{"growth"}, "growth"},
		{"an unrelated word gets no suggestion", "banana", []string{"query", "unit"}, ""},
		{"short names need a close match", "x", []string{"by"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nearest(tt.typo, tt.known); got != tt.want {
				t.Errorf("nearest(%q) = %q, want %q", tt.typo, got, tt.want)
			}
		})
	}
}
