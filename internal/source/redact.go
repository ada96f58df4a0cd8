package source

import (
	"errors"
	"net/url"
	"strings"
)

// redactor replaces secrets (the DSN, the password in its plain and escaped forms) in error text.
type redactor struct{ r *strings.Replacer }

func newRedactor(secrets ...string) redactor {
	var pairs []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			pairs = append(pairs, form, "<secret>")
		}
	}
	return redactor{r: strings.NewReplacer(pairs...)}
}

// err returns err's text with the secrets replaced. It deliberately does not wrap err: a
// caller that unwrapped and printed the cause would print the secret.
func (r redactor) err(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(r.r.Replace(err.Error()))
}
