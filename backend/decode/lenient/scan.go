package lenient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

var (
	ellipsis = []byte("\u2026")
	nbsp     = []byte("\u00a0")
	bom      = []byte("\ufeff")
	dots     = []byte("...")
)

// findStart returns where the JSON value begins: at once if the text starts with '{' or '[',
// else at the first line that starts with one, else at the first '{' or '[' anywhere. With
// neither, the whole text must be a single scalar value (scalar is true).
func (p *parser) findStart() (start int, scalar bool, err error) {
	if err := p.skipSpace(); err != nil {
		return 0, false, err
	}
	i := p.pos
	if i >= len(p.src) {
		return 0, false, p.errf(i, "no JSON value found")
	}
	if c := p.src[i]; c == '{' || c == '[' {
		return i, false, nil
	}
	if json.Valid(p.src) {
		return i, true, nil // strict JSON scalar: a '{' inside a string must not be taken for the start
	}
	lineStart := false
	for j := i; j < len(p.src); j++ {
		switch c := p.src[j]; {
		case c == '\n':
			lineStart = true
		case c == ' ' || c == '\t' || c == '\r':
		case (c == '{' || c == '[') && lineStart:
			return j, false, nil
		default:
			lineStart = false
		}
	}
	if j := bytes.IndexAny(p.src[i:], "{["); j >= 0 {
		return i + j, false, nil
	}
	return i, true, nil
}

// skipSpace skips white space, comments and "..." placeholders, noting line breaks in p.nl.
func (p *parser) skipSpace() error {
	p.nl = false
	for p.pos < len(p.src) {
		rest := p.src[p.pos:]
		switch c := rest[0]; {
		case c == '\n':
			p.nl = true
			p.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			p.pos++
		case c == '/' && len(rest) > 1 && rest[1] == '/':
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				p.pos += i
			} else {
				p.pos = len(p.src)
			}
		case c == '/' && len(rest) > 1 && rest[1] == '*':
			i := bytes.Index(rest[2:], []byte("*/"))
			if i < 0 {
				return p.errf(p.pos, "unterminated /* comment")
			}
			if bytes.IndexByte(rest[2:2+i], '\n') >= 0 {
				p.nl = true
			}
			p.pos += i + 4
		case bytes.HasPrefix(rest, dots):
			p.pos += len(dots)
		case bytes.HasPrefix(rest, ellipsis):
			p.pos += len(ellipsis)
		case bytes.HasPrefix(rest, nbsp):
			p.pos += len(nbsp)
		case bytes.HasPrefix(rest, bom):
			p.pos += len(bom)
		default:
			return nil
		}
	}
	return nil
}

// atEnd reports whether the text ends here: its real end, or a code fence at the start of a line.
func (p *parser) atEnd() bool {
	if p.pos >= len(p.src) {
		return true
	}
	rest := p.src[p.pos:]
	if !bytes.HasPrefix(rest, []byte("```")) && !bytes.HasPrefix(rest, []byte("~~~")) {
		return false
	}
	for i := p.pos - 1; i >= 0; i-- {
		switch p.src[i] {
		case '\n':
			return true
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

// str copies the string at p.pos. Escapes are checked and kept as written; a raw control
// character other than a line break is escaped. A line break means the string is unterminated.
//
// A string in single quotes (JSON5) is written in double quotes: a '"' inside is escaped, and
// the escape \' becomes a plain '.
func (p *parser) str() error {
	start := p.pos
	src := p.src
	q := src[start]
	if q == '\'' {
		p.repair(start, "turned a single-quoted string into a double-quoted one")
	}
	p.out = append(p.out, '"')
	i := start + 1
	seg := i
	for i < len(src) {
		c := src[i]
		switch {
		case c == q:
			p.out = append(p.out, src[seg:i]...)
			p.out = append(p.out, '"')
			p.pos = i + 1
			return nil
		case c == '"': // only inside single quotes
			p.out = append(p.out, src[seg:i]...)
			p.out = append(p.out, '\\', '"')
			i++
			seg = i
		case c == '\\' && q == '\'' && i+1 < len(src) && src[i+1] == '\'':
			p.out = append(p.out, src[seg:i]...)
			p.out = append(p.out, '\'')
			i += 2
			seg = i
		case c == '\\':
			if i+1 >= len(src) {
				return p.errf(start, "unterminated string")
			}
			switch src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(src) || !isHex(src[i+2]) || !isHex(src[i+3]) || !isHex(src[i+4]) || !isHex(src[i+5]) {
					return p.errf(i, "invalid \\u escape in string")
				}
				i += 6
			default:
				return p.errf(i, "invalid escape %s in string", quoteAt(src, i+1))
			}
		case c == '\n' || c == '\r':
			if bytes.ContainsAny(src[start+1:i], "“”‘’") {
				return p.errf(start, "unterminated string: a curly quote (“ ” ‘ ’) cannot end it, use a straight one")
			}
			return p.errf(start, "unterminated string (line break inside the quotes)")
		case c < 0x20:
			p.out = append(p.out, src[seg:i]...)
			p.out = fmt.Appendf(p.out, `\u%04x`, c)
			p.repair(i, "escaped a control character inside a string")
			i++
			seg = i
		default:
			i++
		}
	}
	return p.errf(start, "unterminated string")
}

// number copies the number at p.pos after checking it against the JSON grammar.
func (p *parser) number() error {
	src, i := p.src, p.pos
	if src[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(src) && isDigit(src[i]) {
			i++
		}
		return i > j
	}
	bad := func() error {
		j := i
		for j < len(src) && (isWord(src[j]) || src[j] == '.' || src[j] == '-' || src[j] == '+') {
			j++
		}
		return p.errf(p.pos, "invalid number %q", src[p.pos:j])
	}
	switch {
	case i < len(src) && src[i] == '0':
		i++
	case !digits():
		return bad()
	}
	if i < len(src) && src[i] == '.' {
		i++
		if !digits() {
			return bad()
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if !digits() {
			return bad()
		}
	}
	if i < len(src) && (isWord(src[i]) || src[i] == '.') {
		return bad()
	}
	p.out = append(p.out, src[p.pos:i]...)
	p.pos = i
	return nil
}

// literal copies true, false or null at p.pos.
func (p *parser) literal() error {
	rest := p.src[p.pos:]
	for _, w := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(rest, []byte(w)) && (len(rest) == len(w) || !isWord(rest[len(w)])) {
			p.out = append(p.out, w...)
			p.pos += len(w)
			return nil
		}
	}
	return p.errf(p.pos, "expected a value, found %s", quoteAt(p.src, p.pos))
}

// startsValue reports whether c can begin a JSON value.
func startsValue(c byte) bool {
	return c == '{' || c == '[' || c == '"' || c == '\'' || c == '-' || isDigit(c) || c == 't' || c == 'f' || c == 'n'
}

// isIdentStart reports whether c can begin an unquoted (JSON5) key: a letter, '_', '$' or
// any non-ASCII byte.
func isIdentStart(c byte) bool { return isWord(c) && !isDigit(c) }

// ident writes the unquoted key at p.pos as a JSON string.
func (p *parser) ident() {
	start := p.pos
	for p.pos < len(p.src) && isWord(p.src[p.pos]) {
		p.pos++
	}
	p.repair(start, fmt.Sprintf("put the unquoted key %s in quotes", p.src[start:p.pos]))
	p.out = append(p.out, '"')
	p.out = append(p.out, p.src[start:p.pos]...)
	p.out = append(p.out, '"')
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F') }

func isWord(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '_' || c == '$' || c >= 0x80
}

// quoteAt describes the token at off for an error message.
func quoteAt(src []byte, off int) string {
	if off >= len(src) {
		return "the end of the text"
	}
	if isWord(src[off]) {
		j := off
		for j < len(src) && j-off < 40 && isWord(src[j]) {
			j++
		}
		if j-off > 1 {
			return fmt.Sprintf("%q", src[off:j])
		}
	}
	r, _ := utf8.DecodeRune(src[off:])
	return fmt.Sprintf("%q", r)
}
