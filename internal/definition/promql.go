package definition

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/prometheus/promql/parser"
)

// promQL parses a PromQL expression at field key, reporting a parse error at its position in
// the file, and refuses expressions that do not give an instant vector or scalar.
func (c *checker) promQL(meta Meta, key, what, expr string) {
	if strings.TrimSpace(expr) == "" {
		c.errorf(meta.At(key), "%s of %s is empty", key, what)
		return
	}
	parsed, err := c.parser.ParseExpr(expr)
	if err != nil {
		msg, offset := parseErrorAt(err)
		c.errorf(c.exprPos(meta.At(key), expr, offset), "invalid PromQL in %s of %s: %s", key, what, msg)
		return
	}
	if t := parsed.Type(); t != parser.ValueTypeVector && t != parser.ValueTypeScalar {
		c.errorf(meta.At(key), "%s of %s must give an instant vector or a scalar, got a %s", key, what, t)
	}
}

// parseErrorAt returns the first parse error's message and its byte offset in the expression.
func parseErrorAt(err error) (string, int) {
	var errs parser.ParseErrors
	if errors.As(err, &errs) && len(errs) > 0 {
		return errs[0].Err.Error(), int(errs[0].PositionRange.Start)
	}
	var one *parser.ParseErr
	if errors.As(err, &one) {
		return one.Err.Error(), int(one.PositionRange.Start)
	}
	return err.Error(), 0
}

// exprPos maps a byte offset inside a YAML scalar's value back to the file. The value's text
// is matched rune by rune against the source from where the scalar starts, skipping what YAML
// removed (quotes, indentation, block indicators) and pairing folded line breaks with the
// spaces they became. When the text cannot be followed, the scalar's own position is kept.
func (c *checker) exprPos(start Pos, value string, offset int) Pos {
	cur, ok := newCursor(c.texts[start.File], start)
	if !ok {
		return start
	}
	for i, r := range value {
		if !cur.seek(r) {
			return start
		}
		if i >= offset {
			break
		}
		cur.advance()
	}
	return Pos{File: start.File, Line: cur.line, Col: cur.col}
}

// cursor walks a file's text keeping the line and column (in runes) of its position.
type cursor struct {
	data          []byte
	at, line, col int
}

// newCursor places a cursor at pos in data.
func newCursor(data []byte, pos Pos) (*cursor, bool) {
	cur := &cursor{data: data, line: 1, col: 1}
	for cur.at < len(data) && (cur.line < pos.Line || cur.line == pos.Line && cur.col < pos.Col) {
		cur.advance()
	}
	return cur, cur.line == pos.Line && cur.col == pos.Col
}

// advance moves past the current rune.
func (c *cursor) advance() {
	r, size := utf8.DecodeRune(c.data[c.at:])
	c.at += size
	if r == '\n' {
		c.line, c.col = c.line+1, 1
	} else {
		c.col++
	}
}

// seek moves to the next rune matching r (a space also matches a folded line break).
func (c *cursor) seek(r rune) bool {
	for c.at < len(c.data) {
		s, _ := utf8.DecodeRune(c.data[c.at:])
		if s == r || r == ' ' && s == '\n' {
			return true
		}
		c.advance()
	}
	return false
}
