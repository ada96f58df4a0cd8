package source

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// errPrivileged is a source whose role could reach the server's file system or programs, or
// bypass permissions: a single statement could then write files or run programs, which no
// read-only transaction stops.
var errPrivileged = errors.New("privileged role")

// privileges refuses a run whose role holds a privilege that escapes read-only transactions,
// unless the source allows it, and notes once whether the role can write tables.
func (s *Source) privileges(ctx context.Context, q querier) error {
	var held []string
	var err error
	switch s.Driver {
	case "postgres":
		held, err = postgresPrivileges(ctx, q)
	case "mysql":
		held, err = mysqlPrivileges(ctx, q, s.noteGrants)
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking the role's privileges: %w", err)
	}
	if len(held) > 0 && !s.allowPrivileged {
		return fmt.Errorf("%w: %s; kpic runs no query as a role that can reach the server's files or programs or bypass permissions. %s, or set allow_privileged: true on source %q",
			errPrivileged, strings.Join(held, ", "), readOnlyRole[s.Driver], s.Name)
	}
	if s.Driver == "postgres" && !s.writeChecked.Load() {
		var can bool
		if err := q.QueryRowContext(ctx, postgresCanWrite).Scan(&can); err != nil {
			return fmt.Errorf("checking whether the role can write: %w", err)
		}
		s.setCanWrite(can)
	}
	return nil
}

// readOnlyRole tells how to make a role that only reads.
var readOnlyRole = map[string]string{
	"postgres": "Use a read-only role: CREATE ROLE kpic_reader LOGIN; GRANT CONNECT ON DATABASE <db> TO kpic_reader; GRANT pg_read_all_data TO kpic_reader (or GRANT USAGE ON SCHEMA <schema> and SELECT ON ALL TABLES IN SCHEMA <schema>)",
	"mysql":    "Use a read-only user: CREATE USER 'kpic_reader'@'%' IDENTIFIED BY '...'; GRANT SELECT ON <db>.* TO 'kpic_reader'@'%'",
}

// postgresPrivilegedRoles lists the roles the session's role is or may become (SET ROLE)
// that are superusers, bypass row security, or read or write server files or run programs.
const postgresPrivilegedRoles = `SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolname = session_user
FROM pg_roles r
WHERE (r.rolsuper OR r.rolbypassrls OR r.rolname IN ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'))
  AND pg_has_role(session_user, r.oid, 'MEMBER')
ORDER BY r.rolname`

func postgresPrivileges(ctx context.Context, q querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, postgresPrivilegedRoles)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var held []string
	for rows.Next() {
		var name string
		var super, bypass, self bool
		if err := rows.Scan(&name, &super, &bypass, &self); err != nil {
			return nil, err
		}
		held = append(held, describeRole(name, super, bypass, self))
	}
	return held, rows.Err()
}

// describeRole says why a role found by postgresPrivilegedRoles is refused.
func describeRole(name string, super, bypass, self bool) string {
	switch {
	case self && super:
		return fmt.Sprintf("role %q is a superuser", name)
	case self:
		return fmt.Sprintf("role %q has BYPASSRLS", name)
	case super:
		return fmt.Sprintf("member of superuser role %q", name)
	case bypass:
		return fmt.Sprintf("member of role %q, which has BYPASSRLS", name)
	}
	return "member of " + name
}

// postgresCanWrite is true when the role may change a table, or create one.
const postgresCanWrite = `SELECT EXISTS (
    SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'f') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
      AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'))
  OR EXISTS (
    SELECT 1 FROM pg_namespace n
    WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%' AND has_schema_privilege(n.oid, 'CREATE'))`

// mysqlPrivileges reads SHOW GRANTS: global FILE, SUPER or ALL PRIVILEGES are refused; any
// privilege that changes data or schema is noted as writing.
func mysqlPrivileges(ctx context.Context, q querier, note func(canWrite bool)) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SHOW GRANTS")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var held []string
	write := false
	for rows.Next() {
		var grant string
		if err := rows.Scan(&grant); err != nil {
			return nil, err
		}
		privs, object, ok := parseGrant(grant)
		if !ok {
			continue
		}
		for _, p := range privs {
			if object == "*.*" && (p == "ALL PRIVILEGES" || p == "ALL" || p == "FILE" || p == "SUPER") {
				held = append(held, p+" ON *.*")
			}
			write = write || mysqlWrites[p]
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	note(write)
	return held, nil
}

var mysqlWrites = map[string]bool{"ALL PRIVILEGES": true, "ALL": true, "INSERT": true, "UPDATE": true, "DELETE": true,
	"CREATE": true, "DROP": true, "ALTER": true, "INDEX": true, "CREATE TEMPORARY TABLES": true, "TRIGGER": true,
	"CREATE VIEW": true, "CREATE ROUTINE": true, "ALTER ROUTINE": true, "EVENT": true, "DELETE HISTORY": true}

// parseGrant splits "GRANT SELECT, INSERT (a, b) ON `db`.* TO `u`@`%`" into its privileges
// (column lists dropped) and object; a role grant (no ON) is not ok.
func parseGrant(g string) (privs []string, object string, ok bool) {
	rest, ok := strings.CutPrefix(g, "GRANT ")
	if !ok {
		return nil, "", false
	}
	list, after, ok := strings.Cut(rest, " ON ")
	if !ok {
		return nil, "", false
	}
	object, _, _ = strings.Cut(after, " TO ")
	depth, start := 0, 0
	for i := 0; i <= len(list); i++ {
		switch {
		case i < len(list) && list[i] == '(':
			depth++
		case i < len(list) && list[i] == ')':
			depth--
		case i == len(list) || list[i] == ',' && depth == 0:
			p, _, _ := strings.Cut(strings.TrimSpace(list[start:i]), " (")
			privs = append(privs, strings.ToUpper(strings.TrimSpace(p)))
			start = i + 1
		}
	}
	return privs, strings.TrimSpace(object), true
}

// querier is a transaction or a connection.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
