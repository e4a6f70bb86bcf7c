package lenient

import (
	"fmt"
	"unicode/utf8"
)

// Error says what could not be read and where (1-based line and column, columns in characters).
type Error struct {
	Line int
	Col  int
	Msg  string
}

// Error formats the error as "line:col: message".
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Repair is one change Parse made to the text to make it strict JSON.
type Repair struct {
	Line int
	Col  int
	What string
}

// String formats the repair as "line:col: what".
func (r Repair) String() string { return fmt.Sprintf("%d:%d: %s", r.Line, r.Col, r.What) }

func (p *parser) repair(off int, what string) {
	if len(p.repairs) >= maxRepairs {
		return
	}
	line, col := position(p.src, off)
	p.repairs = append(p.repairs, Repair{Line: line, Col: col, What: what})
}

func (p *parser) errf(off int, format string, args ...any) error {
	line, col := position(p.src, off)
	return &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// unexpected reports the token at p.pos where want was expected.
func (p *parser) unexpected(want string) error {
	return p.errf(p.pos, "expected %s, found %s", want, quoteAt(p.src, p.pos))
}

// position returns the 1-based line and character column of byte offset off.
func position(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(src[start:off]) + 1
}
