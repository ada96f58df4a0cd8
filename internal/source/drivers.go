package source

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// connector builds the driver's connector and lists the secrets its errors must not show.
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

// sqliteConnector opens the file read-only (mode=ro) and refuses writes on the connection
// (query_only), so even a writing statement in a read transaction fails.
func sqliteConnector(dsn string) (driver.Connector, []string, error) {
	uri := dsn
	if !strings.HasPrefix(uri, "file:") {
		uri = "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(dsn)
	}
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	uri += sep + "mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)"
	c, err := sqlite.NewConnector(uri)
	return c, nil, err
}

// postgresConnector makes every session read-only by default and cancels a timed-out statement
// on the server with a cancel request, not only by dropping the connection.
func postgresConnector(dsn string) (driver.Connector, []string, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid postgres dsn: %w", err)
	}
	secrets := []string{cfg.Password}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "kpic"
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 2 * time.Second}
	}
	return stdlib.GetConnector(*cfg), secrets, nil
}

// mysqlConnector parses a go-sql-driver DSN; multi-statements stay off.
func mysqlConnector(dsn string) (driver.Connector, []string, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid mysql dsn: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	cfg.MultiStatements = false
	c, err := mysql.NewConnector(cfg)
	return c, []string{cfg.Passwd}, err
}
