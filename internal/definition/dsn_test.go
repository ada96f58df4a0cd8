package definition

import (
	"errors"
	"strings"
	"testing"
)

// TestLiteralPassword checks each DSN form for a password written out.
func TestLiteralPassword(t *testing.T) {
	tests := []struct {
		name string
		dsn  string
		want bool
	}{
		{"a postgres URL with a password is refused", "postgres://kpic:s3cret@db:5432/w", true},
		{"a postgresql URL with a password is refused", "postgresql://kpic:s3cret@db/w", true},
		{"a URL password from the environment is allowed", "postgres://kpic:${PGPASSWORD}@db/w", false},
		{"a URL without password is allowed", "postgres://kpic@db/w?sslmode=disable", false},
		{"a password query parameter is refused", "postgres://kpic@db/w?password=s3cret", true},
		{"a key=value password is refused", "host=db user=kpic password=s3cret", true},
		{"a quoted key=value password is refused", "host=db password='s3 cret'", true},
		{"a key=value password from the environment is allowed", "host=db password=${PGPASSWORD}", false},
		{"a MySQL user:pass@ is refused", "kpic:s3cret@tcp(db:3306)/orders", true},
		{"a MySQL user without password is allowed", "kpic@tcp(db:3306)/orders", false},
		{"a MySQL password from the environment is allowed", "kpic:${MYSQL_PASSWORD}@tcp(db:3306)/orders", false},
		{"a whole DSN from the environment is allowed", "${WAREHOUSE_DSN}", false},
		{"a SQLite path is allowed", "file:/var/lib/kpic/shop.db?mode=ro", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hasLiteralPassword(tt.dsn); got != tt.want {
				t.Errorf("hasLiteralPassword(%q) = %v, want %v", tt.dsn, got, tt.want)
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
