package sqlcheck

import (
	"strings"
)

// token is one lexical unit of SQL text: a bare word (keyword, name or number), a string or
// quoted name (neither word nor punct), a semicolon or another punctuation character.
// Comments make no token.
type token struct {
	start, end int
	word       string // upper-cased, for words only
	punct      byte   // for punctuation only
	semicolon  bool
}

// lexer splits SQL text the way the dialect's own tokenizer would, far enough to know where
// strings, quoted names and comments start and end. backslash says whether a backslash
// escapes the next character inside '...' (and, on MySQL, "...") strings.
type lexer struct {
	src       string
	d         Dialect
	backslash bool
	at        int
	toks      []token
}

func lex(src string, d Dialect, backslash bool) ([]token, error) {
	l := &lexer{src: src, d: d, backslash: backslash}
	for l.at < len(src) {
		if err := l.next(); err != nil {
			return nil, err
		}
	}
	return l.toks, nil
}

// next consumes one token, quoted item, comment or run of whitespace.
func (l *lexer) next() error {
	c := l.src[l.at]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
		l.at++
		return nil
	case c == '\'':
		return l.quoted('\'', l.stringEscapes())
	case c == '"':
		return l.quoted('"', l.d == MySQL && l.backslash)
	case c == '`' && l.d != PostgreSQL:
		return l.quoted('`', false)
	case c == '[' && l.d == SQLite:
		return l.bracketed()
	case c == '-' && l.lineComment():
		l.skipLine()
		return nil
	case c == '#' && l.d == MySQL:
		l.skipLine()
		return nil
	case c == '/' && strings.HasPrefix(l.src[l.at:], "/*"):
		return l.blockComment()
	case c == '$' && l.d == PostgreSQL:
		if ok, err := l.dollarQuoted(); ok || err != nil {
			return err
		}
		l.punct()
		return nil
	case isWordStart(c):
		l.word()
		return nil
	}
	l.punct()
	return nil
}

// stringEscapes reports whether a '...' string starting here takes backslash escapes: an
// E'...' string on PostgreSQL (and, with standard_conforming_strings off, every string),
// every string on MySQL unless NO_BACKSLASH_ESCAPES is set.
func (l *lexer) stringEscapes() bool {
	switch l.d {
	case MySQL:
		return l.backslash
	case PostgreSQL:
		if l.backslash {
			return true
		}
		n := len(l.toks)
		return n > 0 && l.toks[n-1].end == l.at && l.toks[n-1].word == "E"
	}
	return false
}

// quoted consumes a string or quoted name: the quote doubled is the quote itself, and with
// escapes a backslash takes the next character literally.
func (l *lexer) quoted(q byte, escapes bool) error {
	start := l.at
	for i := l.at + 1; i < len(l.src); i++ {
		switch c := l.src[i]; {
		case escapes && c == '\\':
			i++
		case c == q && i+1 < len(l.src) && l.src[i+1] == q:
			i++
		case c == q:
			l.item(start, i+1)
			return nil
		}
	}
	return &Error{Offset: start, Msg: "unterminated " + quoteName(q) + " opened here"}
}

func quoteName(q byte) string {
	if q == '\'' {
		return "string"
	}
	return "quoted name (" + string(q) + ")"
}

// bracketed consumes a SQLite [name].
func (l *lexer) bracketed() error {
	end := strings.IndexByte(l.src[l.at:], ']')
	if end < 0 {
		return &Error{Offset: l.at, Msg: "unterminated quoted name ([) opened here"}
	}
	l.item(l.at, l.at+end+1)
	return nil
}

// lineComment reports a -- comment here. MySQL needs a space or control character after the
// dashes; without one they are two minus signs.
func (l *lexer) lineComment() bool {
	rest := l.src[l.at:]
	if !strings.HasPrefix(rest, "--") {
		return false
	}
	return l.d != MySQL || len(rest) == 2 || rest[2] <= ' '
}

func (l *lexer) skipLine() {
	if end := strings.IndexByte(l.src[l.at:], '\n'); end >= 0 {
		l.at += end + 1
		return
	}
	l.at = len(l.src)
}

// blockComment consumes /* ... */, nested on PostgreSQL. MySQL runs the text of /*! ... */
// and MariaDB that of /*M! ... */ as SQL, so those are refused rather than skipped.
func (l *lexer) blockComment() error {
	start := l.at
	if l.d == MySQL && (strings.HasPrefix(l.src[l.at:], "/*!") || strings.HasPrefix(l.src[l.at:], "/*M!")) {
		return &Error{Offset: start, Msg: "executable comment (/*! ... */): MySQL runs its text as SQL; write the SQL itself"}
	}
	depth := 0
	for i := l.at; i+1 < len(l.src); i++ {
		switch l.src[i : i+2] {
		case "/*":
			if depth == 0 || l.d == PostgreSQL {
				depth++
			}
			i++
		case "*/":
			depth--
			i++
			if depth == 0 {
				l.at = i + 1
				return nil
			}
		}
	}
	if l.d == SQLite { // SQLite ends an unterminated comment at the end of the text
		l.at = len(l.src)
		return nil
	}
	return &Error{Offset: start, Msg: "unterminated comment (/*) opened here"}
}

// dollarQuoted consumes a PostgreSQL $tag$ ... $tag$ string; a $ that does not open one
// (a parameter like $1) is left to the caller.
func (l *lexer) dollarQuoted() (bool, error) {
	rest := l.src[l.at+1:]
	n := 0
	for n < len(rest) && (isLetter(rest[n]) || n > 0 && isDigit(rest[n])) {
		n++
	}
	if n >= len(rest) || rest[n] != '$' {
		return false, nil
	}
	delim := l.src[l.at : l.at+n+2]
	body := l.at + len(delim)
	end := strings.Index(l.src[body:], delim)
	if end < 0 {
		return true, &Error{Offset: l.at, Msg: "unterminated dollar-quoted string (" + delim + ") opened here"}
	}
	l.item(l.at, body+end+len(delim))
	return true, nil
}

// word consumes a bare word: a keyword, a name or a number. On PostgreSQL a number is digits
// only, so that in 1$a$ the dollar quote starts after the 1, as the server reads it.
func (l *lexer) word() {
	start := l.at
	in := func(c byte) bool { return isWordStart(c) || c == '$' }
	if l.d == PostgreSQL && isDigit(l.src[l.at]) {
		in = func(c byte) bool { return isDigit(c) || c == '_' }
	}
	for l.at < len(l.src) && in(l.src[l.at]) {
		l.at++
	}
	l.toks = append(l.toks, token{start: start, end: l.at, word: strings.ToUpper(l.src[start:l.at])})
}

// item records a string or quoted name from start to end and moves past it.
func (l *lexer) item(start, end int) {
	l.toks = append(l.toks, token{start: start, end: end})
	l.at = end
}

func (l *lexer) punct() {
	c := l.src[l.at]
	l.toks = append(l.toks, token{start: l.at, end: l.at + 1, punct: c, semicolon: c == ';'})
	l.at++
}

// isWordStart reports a byte that starts a bare word: a letter, _, a digit (numbers are
// words too) or any non-ASCII byte, which the three dialects allow in names.
func isWordStart(c byte) bool { return isLetter(c) || isDigit(c) }

func isLetter(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
