package source

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// connector builds the driver's connector and lists the secrets its errors must not show.
// Whatever the DSN says, the settings that keep a query to one read-only statement are
// forced here.
func connector(name, dsn string) (driver.Connector, []string, error) {
	switch name {
	case "sqlite":
		return sqliteConnector(dsn)
	case "postgres":
		return postgresConnector(dsn)
	case "mysql":
		return mysqlConnector(dsn)
	default:
		return nil, nil, fmt.Errorf("unknown driver %q (want sqlite, postgres or mysql)", name)
	}
}

// MaxRowBytes bounds what a driver reads for one row (a PostgreSQL message, a SQLite string or
// blob); a larger one fails the query rather than the exporter's memory. MySQL and MariaDB
// servers bound it themselves with max_allowed_packet.
const MaxRowBytes = 64 << 20

// postgresConnector forces the extended protocol, where a statement string holds exactly one
// statement (the simple protocol, which default_query_exec_mode=simple_protocol would select,
// runs every statement of a string). Sessions default to read-only, with
// standard_conforming_strings on so that backslashes in strings mean what the lexer of
// sqlcheck assumes; parameters given as startup parameters override the DSN's options.
// A timed-out statement is cancelled on the server with a cancel request.
func postgresConnector(dsn string) (driver.Connector, []string, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid postgres dsn: %w", err)
	}
	secrets := []string{cfg.Password}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec // unnamed statements: nothing for DISCARD ALL to break
	for _, k := range []string{"transaction_read_only", "default_transaction_read_only"} {
		delete(cfg.RuntimeParams, k)
	}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	cfg.RuntimeParams["standard_conforming_strings"] = "on"
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "kpic"
	}
	cfg.BuildFrontend = func(r io.Reader, w io.Writer) *pgproto3.Frontend {
		f := pgproto3.NewFrontend(r, w)
		f.SetMaxBodyLen(MaxRowBytes)
		return f
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 2 * time.Second}
	}
	return stdlib.GetConnector(*cfg), secrets, nil
}

// mysqlConnector parses a go-sql-driver DSN and turns off what a DSN may turn on against a
// read-only run: multi-statements, LOAD DATA LOCAL INFILE of any file, and session variables
// about read-only transactions.
func mysqlConnector(dsn string) (driver.Connector, []string, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid mysql dsn: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	cfg.MultiStatements = false
	cfg.AllowAllFiles = false
	for k := range cfg.Params {
		if strings.Contains(strings.ToLower(k), "read_only") {
			delete(cfg.Params, k)
		}
	}
	c, err := mysql.NewConnector(cfg)
	return c, []string{cfg.Passwd}, err
}

// sqliteConnector opens the file read-only (mode=ro) with query_only on, whatever the DSN
// says, and installs an authorizer on every connection that lets SQLite compile reads only:
// no ATTACH, no writes, no DDL, no transaction control, no pragma but a few read-only ones.
func sqliteConnector(dsn string) (driver.Connector, []string, error) {
	uri, err := sqliteURI(dsn)
	if err != nil {
		return nil, nil, err
	}
	sqlite.StrictPragmas(true) // a DSN _pragma is one statement, not "x(1);ATTACH ..."
	c, err := sqlite.NewConnector(uri)
	if err != nil {
		return nil, nil, err
	}
	return authorized{c}, nil, nil
}

// sqliteURI turns a path or file: URI into a file: URI with kpic's read-only parameters in
// place of any the DSN had.
func sqliteURI(dsn string) (string, error) {
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(dsn)
	}
	path, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("invalid sqlite dsn: %w", err)
	}
	q.Del("mode")
	q.Del("_query_only")
	var pragmas []string
	for _, p := range q["_pragma"] {
		if name := pragmaName(p); name != "query_only" && name != "writable_schema" {
			pragmas = append(pragmas, p)
		}
	}
	if !slices.ContainsFunc(pragmas, func(p string) bool { return pragmaName(p) == "busy_timeout" }) {
		pragmas = append(pragmas, "busy_timeout(5000)")
	}
	q["_pragma"] = append(pragmas, "query_only(1)")
	q.Set("mode", "ro")
	return path + "?" + q.Encode(), nil
}

// pragmaName is the lower-cased name a DSN _pragma value sets, as in "busy_timeout(5000)".
func pragmaName(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	if i := strings.IndexFunc(p, func(r rune) bool { return r != '_' && (r < 'a' || r > 'z') }); i >= 0 {
		return p[:i]
	}
	return p
}

// authorized installs readOnly as the authorizer of every connection it opens.
type authorized struct{ driver.Connector }

func (a authorized) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := a.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	r, ok := c.(sqlite.AuthorizerRegisterer)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("the sqlite driver offers no authorizer")
	}
	if err := r.RegisterAuthorizer(readOnly); err != nil {
		c.Close()
		return nil, fmt.Errorf("installing the read-only authorizer: %w", err)
	}
	return c, nil
}

// readOnlyPragmas are pragmas that only report, allowed with or without an argument (as
// table-valued functions like pragma_table_info('t') too).
var readOnlyPragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "table_list": true, "index_info": true, "index_xinfo": true,
	"index_list": true, "foreign_key_list": true, "database_list": true, "collation_list": true,
	"function_list": true, "module_list": true, "pragma_list": true, "compile_options": true,
	"page_count": true, "freelist_count": true, "data_version": true,
}

// readOnly is the SQLite authorizer: reads, functions and recursive queries compile; every
// other action (writes, DDL, ATTACH, DETACH, transactions, savepoints, writable pragmas,
// load_extension) is denied while the statement is compiled, before anything runs.
func readOnly(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
	switch action {
	case sqlite.AuthSelect, sqlite.AuthRead, sqlite.AuthRecursive:
		return sqlite.AuthorizerOK
	case sqlite.AuthFunction:
		if strings.EqualFold(arg2, "load_extension") {
			return sqlite.AuthorizerDeny
		}
		return sqlite.AuthorizerOK
	case sqlite.AuthPragma:
		if readOnlyPragmas[strings.ToLower(arg1)] {
			return sqlite.AuthorizerOK
		}
	}
	return sqlite.AuthorizerDeny
}
