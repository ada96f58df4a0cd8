package definition

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// literalPassword reports a DSN that carries a password other than an ${ENV} reference, read
// the way the source's driver reads it: a PostgreSQL URL (userinfo, ?password=,
// ?sslpassword=) or key=value string (password=, sslpassword=, quoted or escaped), a MySQL
// DSN parsed by the driver itself (user:pass@tcp(...) whatever the password holds), and any
// password-like query parameter. A DSN its driver cannot parse is searched for every form.
func literalPassword(driver, dsn string) bool {
	masked, refs := maskEnvRefs(dsn)
	isLiteral := func(p string) bool { return literal(refs.Replace(p)) }
	for _, p := range passwords(driver, masked) {
		if isLiteral(p) {
			return true
		}
	}
	return false
}

// maskEnvRefs replaces each ${VAR} with a plain word the parsers keep as it is, and returns a
// replacer that turns the words back into the references.
func maskEnvRefs(dsn string) (string, *strings.Replacer) {
	var back []string
	n := 0
	masked := envRefs.ReplaceAllStringFunc(dsn, func(ref string) string {
		word := fmt.Sprintf("kpicenvref%dx", n)
		n++
		back = append(back, word, ref)
		return word
	})
	return masked, strings.NewReplacer(back...)
}

// passwords lists every value in dsn that the driver would take as a password.
func passwords(driver, dsn string) []string {
	var found []string
	switch {
	case driver == "mysql":
		if cfg, err := mysql.ParseDSN(dsn); err == nil {
			found = append(found, cfg.Passwd)
		} else {
			found = append(found, userinfoPasswords(dsn)...)
		}
	case driver == "postgres" && isPostgresURL(dsn):
		found = append(found, userinfoPasswords(strings.SplitN(dsn, "://", 2)[1])...)
	case driver == "postgres":
		kv, ok := keywordValues(dsn)
		if !ok {
			return append(fallbackPasswords(dsn), userinfoPasswords(dsn)...)
		}
		found = append(found, kv...)
	case driver != "sqlite":
		found = append(found, fallbackPasswords(dsn)...)
	}
	return append(found, queryPasswords(dsn)...)
}

func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// userinfoPasswords reads user:password@ before a host, both as pgx does (userinfo ends at
// the first @ before any /) and as MySQL's parser does (at the last @), since either may be
// what a driver uses.
func userinfoPasswords(s string) []string {
	var found []string
	if i := strings.IndexAny(s, "@/"); i >= 0 && s[i] == '@' {
		found = append(found, afterColon(s[:i]))
	}
	head := s
	if i := strings.IndexAny(s, "?"); i >= 0 {
		head = s[:i]
	}
	if i := strings.LastIndexByte(head, '@'); i >= 0 {
		found = append(found, afterColon(head[:i]))
	}
	return found
}

func afterColon(userinfo string) string {
	_, p, _ := strings.Cut(userinfo, ":")
	if d, err := url.PathUnescape(p); err == nil {
		return d
	}
	return p
}

// queryPasswords reads password-like parameters (a name holding "pass" or "pwd", except
// passfile, a path) of a ?query.
func queryPasswords(dsn string) []string {
	_, query, ok := strings.Cut(dsn, "?")
	if !ok {
		return nil
	}
	var found []string
	for _, kv := range strings.FieldsFunc(query, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		if passwordKey(k) {
			found = append(found, v)
		}
	}
	return found
}

// passwordKey reports a parameter name that holds a secret.
func passwordKey(k string) bool {
	k = strings.ToLower(strings.TrimSpace(k))
	return (strings.Contains(k, "pass") || strings.Contains(k, "pwd")) && k != "passfile"
}

// keywordValues parses a libpq key=value string (values plain or single-quoted, backslash
// escaping the next character in both) and returns the values of password-like keys.
func keywordValues(s string) ([]string, bool) {
	var found []string
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	for s != "" {
		key, rest, ok := strings.Cut(s, "=")
		if !ok {
			return nil, false
		}
		val, rest, ok := keywordValue(strings.TrimLeft(rest, " \t\n\r\v\f"))
		if !ok {
			return nil, false
		}
		if passwordKey(key) {
			found = append(found, val)
		}
		s = strings.TrimLeft(rest, " \t\n\r\v\f")
	}
	return found, true
}

// keywordValue reads one value at the start of s and returns it unescaped with the rest.
func keywordValue(s string) (string, string, bool) {
	quoted := strings.HasPrefix(s, "'")
	if quoted {
		s = s[1:]
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '\\':
			return b.String(), "", !quoted
		case quoted && c == '\'':
			return b.String(), s[i+1:], true
		case !quoted && strings.IndexByte(" \t\n\r\v\f", c) >= 0:
			return b.String(), s[i:], true
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), "", !quoted
}

var (
	kvPassword  = regexp.MustCompile(`(?i)(?:^|[\s?&;])[a-z_]*(?:password|pass|pwd)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&;]*)`)
	urlPassword = regexp.MustCompile(`://[^:/@]*:([^@]*)@`)
)

// fallbackPasswords searches text no parser accepted for each form of password.
func fallbackPasswords(dsn string) []string {
	var found []string
	for _, re := range []*regexp.Regexp{urlPassword, kvPassword} {
		for _, m := range re.FindAllStringSubmatch(dsn, -1) {
			found = append(found, strings.Trim(m[1], "'"))
		}
	}
	return found
}
