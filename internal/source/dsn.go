package source

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kpic/kpic/internal/spec"
)

// ResolveDSN returns the source's DSN with ${VAR} references expanded, or the content of its
// dsn_file. Errors name the variable or file, never the value.
func ResolveDSN(s *spec.Source, env Env) (string, error) {
	if s.DSNFile != "" {
		b, err := env.ReadFile(s.DSNFile)
		if err != nil {
			return "", fmt.Errorf("source %q: dsn_file: %w", s.Name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	dsn, err := expand(string(s.DSN), env.Getenv)
	if err != nil {
		return "", fmt.Errorf("source %q: dsn: %w", s.Name, err)
	}
	if dsn == "" {
		return "", fmt.Errorf("source %q: dsn is empty", s.Name)
	}
	return dsn, nil
}

// expand replaces ${NAME} only: a bare $ stays, since DSNs may contain it.
func expand(s string, getenv func(string) string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "", errors.New("unterminated ${ reference")
		}
		name := s[i+2 : i+j]
		v := getenv(name)
		if v == "" {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+1:]
	}
}
