package definition

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Drivers are the values `driver` accepts on a source.
func Drivers() []string { return []string{"sqlite", "postgres", "mysql"} }

// driverAliases maps the names people often type to the driver kpic calls it.
func driverAlias(name string) string {
	switch strings.ToLower(name) {
	case "postgresql", "pgx", "pg", "psql":
		return "postgres"
	case "mariadb":
		return "mysql"
	case "sqlite3":
		return "sqlite"
	}
	return ""
}

// source checks a SQL source: a known driver and exactly one of dsn and dsn_file, and no
// password written in the definitions.
func (c *checker) source(s *Source) {
	what := fmt.Sprintf("source %q", s.Name)
	c.required(s.Meta, what, "name", s.Name != "")
	c.idOK(s.Meta, "source", s.Name)
	if c.required(s.Meta, what, "driver", s.Driver != "") && !slices.Contains(Drivers(), s.Driver) {
		hint := didYouMean(s.Driver, Drivers())
		if alias := driverAlias(s.Driver); alias != "" {
			hint = fmt.Sprintf("; did you mean %q?", alias)
		}
		c.errorf(s.At("driver"), "unknown driver %q in %s; use one of %s%s", s.Driver, what, joinOr(Drivers()), hint)
	}
	switch {
	case s.DSN != "" && s.DSNFile != "":
		c.errorf(s.At("dsn_file"), "%s sets both dsn and dsn_file; use one", what)
	case s.DSN == "" && s.DSNFile == "":
		c.errorf(s.Pos, "missing field \"dsn\" or \"dsn_file\" in %s", what)
	case literalPassword(s.Driver, string(s.DSN)):
		c.errorf(s.At("dsn"), "dsn of %s contains a literal password; reference it as ${ENV_VAR} or move the DSN to a dsn_file", what)
	}
	if s.AllowPrivileged {
		if s.Driver == "sqlite" {
			c.errorf(s.At("allow_privileged"), "allow_privileged of %s applies to postgres and mysql sources only; SQLite files are always opened read-only", what)
		} else {
			c.warnf(s.At("allow_privileged"), "%s allows a privileged role: a query run as a superuser (or with FILE or SUPER) can read and write the server's files and run programs; use a read-only role instead", what)
		}
	}
	if s.Has("max_open_conns") && s.MaxOpenConns < 1 {
		c.errorf(s.At("max_open_conns"), "max_open_conns of %s must be at least 1", what)
	}
}

var (
	envRef  = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*\}$`)
	envRefs = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
)

// literal reports a password written out, as opposed to empty or an ${ENV} reference.
func literal(p string) bool { return p != "" && !envRef.MatchString(p) }

// ResolveDSN returns the source's DSN for connecting: dsn_file's content (trimmed) or dsn with
// ${ENV} references expanded by getenv. Errors name the source and variable, never the DSN.
func (s *Source) ResolveDSN(getenv func(string) string, readFile func(string) ([]byte, error)) (string, error) {
	if s.DSNFile != "" {
		data, err := readFile(s.DSNFile)
		if err != nil {
			return "", fmt.Errorf("source %q: reading dsn_file: %w", s.Name, err)
		}
		return strings.TrimSpace(string(data)), nil
	}
	var missing []string
	dsn := envRefs.ReplaceAllStringFunc(string(s.DSN), func(ref string) string {
		name := ref[2 : len(ref)-1]
		v := getenv(name)
		if v == "" {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("source %q: environment variable %s is not set", s.Name, strings.Join(missing, ", "))
	}
	if strings.TrimSpace(dsn) == "" {
		return "", fmt.Errorf("source %q: %w", s.Name, errNoDSN)
	}
	return dsn, nil
}

// errNoDSN says a source resolved to an empty DSN.
var errNoDSN = errors.New("empty dsn")
