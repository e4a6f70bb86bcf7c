// Package lenient turns JSON written by hand in vendor docs (comments, stray commas, prose around it) into strict JSON.
package lenient

import "fmt"

// MaxDepth is the deepest nesting of objects and arrays Parse accepts. It stays well under the
// limit of encoding/json so that whatever Parse returns can also be decoded.
const MaxDepth = 1000

// maxRepairs caps how many repairs are recorded; further repairs are still made.
const maxRepairs = 100

// Parse reads a vendor doc sample as written and returns it as compact, strict JSON. String
// contents and number texts are kept byte for byte. It accepts JSON5-style unquoted keys
// (identifiers: groups: [0, 42]) and 'single-quoted' strings, // and /* */ comments, "..."
// placeholders, trailing commas, a comma missing at a line break, closing brackets missing at
// the end of the text, a stray or mismatched closing bracket, an object left open before the next
// array element, and prose or a code fence before and after the first JSON object or array. It
// returns nil and an *Error when the text cannot be read as one JSON value.
func Parse(text []byte) ([]byte, error) {
	out, _, err := ParseRepairs(text)
	return out, err
}

// ParseRepairs is Parse that also lists the repairs it made (at most 100), in text order.
// On failure it returns nil, the repairs made so far and an *Error.
func ParseRepairs(text []byte) (normalized []byte, repairs []Repair, err error) {
	p := &parser{src: text, out: make([]byte, 0, len(text))}
	if err := p.run(); err != nil {
		return nil, p.repairs, err
	}
	return p.out, p.repairs, nil
}

// Container states.
const (
	objFirst = iota // just after '{'
	objKey          // after ',' in an object: a key must follow
	objColon        // after a key
	objValue        // after ':'
	objAfter        // after a member value
	arrFirst        // just after '['
	arrValue        // after ',' in an array
	arrAfter        // after an element
)

type frame struct {
	open  byte // '{' or '['
	state int
	n     int // members or elements written
	comma int // offset of the last ',' read in this container
}

type parser struct {
	src     []byte
	pos     int
	out     []byte
	stack   []frame
	repairs []Repair
	nl      bool // a line break was skipped just before the current token
}

// run parses the first JSON value of the text.
func (p *parser) run() error {
	start, scalar, err := p.findStart()
	if err != nil {
		return err
	}
	p.pos = start
	for {
		if err := p.skipSpace(); err != nil {
			return err
		}
		if p.atEnd() {
			return p.finish()
		}
		if len(p.stack) == 0 {
			if err := p.value(); err != nil {
				return err
			}
			if len(p.stack) == 0 {
				return p.trailer(scalar)
			}
			continue
		}
		done, err := p.step()
		if err != nil {
			return err
		}
		if done {
			return p.trailer(false)
		}
	}
}

// step handles one token inside the innermost container; done is true once the outermost
// container is closed.
func (p *parser) step() (done bool, err error) {
	f := &p.stack[len(p.stack)-1]
	c := p.src[p.pos]
	switch {
	case c == '}' || c == ']':
		return p.closer(c)
	case c == ',':
		switch f.state {
		case objAfter:
			f.state = objKey
		case arrAfter:
			f.state = arrValue
		case objColon:
			return false, p.errf(p.pos, "expected ':' after the key, found ','")
		case objValue:
			return false, p.errf(p.pos, "expected a value after ':', found ','")
		default:
			return false, p.errf(p.pos, "unexpected ',' where a %s was expected", p.wanted(f))
		}
		f.comma = p.pos
		p.pos++
		return false, nil
	case c == ':':
		if f.state != objColon {
			return false, p.errf(p.pos, "unexpected ':' where a %s was expected", p.wanted(f))
		}
		f.state = objValue
		p.out = append(p.out, ':')
		p.pos++
		return false, nil
	}
	switch f.state {
	case objFirst, objKey:
		if c == '"' || c == '\'' || isIdentStart(c) {
			return false, p.key(f)
		}
		if (c == '{' || c == '[') && f.state == objKey && p.parentIsArray() {
			// An object left open before the next array element: close it there.
			p.repair(p.pos, "inserted a missing '}' before the next array element")
			p.closeTop()
			p.stack[len(p.stack)-1].state = arrValue
			return false, nil
		}
		return false, p.unexpected("a key (in quotes or a name)")
	case objColon:
		return false, p.unexpected("':' after the key")
	case objAfter:
		if (c == '"' || c == '\'' || isIdentStart(c)) && p.nl {
			p.repair(p.pos, "inserted a missing ','")
			return false, p.key(f)
		}
		return false, p.unexpected("',' or '}'")
	case arrAfter:
		if p.nl && startsValue(c) {
			p.repair(p.pos, "inserted a missing ','")
			f.state = arrValue
			return false, p.value()
		}
		return false, p.unexpected("',' or ']'")
	}
	// objValue, arrFirst, arrValue: a value.
	return false, p.value()
}

// wanted names what the container expects next, for error messages.
func (p *parser) wanted(f *frame) string {
	switch f.state {
	case objFirst, objKey:
		return "key"
	case objAfter:
		return "',' or '}'"
	case arrAfter:
		return "',' or ']'"
	}
	return "value"
}

func (p *parser) parentIsArray() bool {
	n := len(p.stack)
	return n >= 2 && p.stack[n-2].open == '['
}

// key writes the member name at p.pos.
func (p *parser) key(f *frame) error {
	if f.n > 0 {
		p.out = append(p.out, ',')
	}
	f.n++
	if c := p.src[p.pos]; c != '"' && c != '\'' {
		p.ident()
		f.state = objColon
		return nil
	}
	if err := p.str(); err != nil {
		return err
	}
	f.state = objColon
	return nil
}

// value writes the value at p.pos, opening a container for '{' and '['.
func (p *parser) value() error {
	if n := len(p.stack); n > 0 {
		f := &p.stack[n-1]
		if f.open == '[' {
			if f.n > 0 {
				p.out = append(p.out, ',')
			}
			f.n++
		}
	}
	c := p.src[p.pos]
	switch {
	case c == '{' || c == '[':
		if len(p.stack) >= MaxDepth {
			return p.errf(p.pos, "nesting deeper than %d levels", MaxDepth)
		}
		st := objFirst
		if c == '[' {
			st = arrFirst
		}
		p.stack = append(p.stack, frame{open: c, state: st})
		p.out = append(p.out, c)
		p.pos++
		return nil
	case c == '"' || c == '\'':
		if err := p.str(); err != nil {
			return err
		}
	case c == '-' || ('0' <= c && c <= '9'):
		if err := p.number(); err != nil {
			return err
		}
	default:
		if err := p.literal(); err != nil {
			return err
		}
	}
	p.afterValue()
	return nil
}

// afterValue moves the innermost container past a completed value.
func (p *parser) afterValue() {
	if n := len(p.stack); n > 0 {
		f := &p.stack[n-1]
		if f.open == '{' {
			f.state = objAfter
		} else {
			f.state = arrAfter
		}
	}
}

// closeTop writes the closing bracket of the innermost container and pops it.
func (p *parser) closeTop() {
	f := p.stack[len(p.stack)-1]
	if f.open == '{' {
		p.out = append(p.out, '}')
	} else {
		p.out = append(p.out, ']')
	}
	p.stack = p.stack[:len(p.stack)-1]
	p.afterValue()
}

// closable reports whether the container can end here; a trailing comma is dropped.
func (p *parser) closable(f *frame) error {
	switch f.state {
	case objColon:
		return p.errf(p.pos, "expected ':' and a value after the key")
	case objValue:
		return p.errf(p.pos, "expected a value after ':'")
	case objKey, arrValue:
		p.repair(f.comma, "removed a trailing ','")
	}
	return nil
}

// closer handles '}' or ']' at p.pos.
func (p *parser) closer(c byte) (done bool, err error) {
	want := byte('{')
	if c == ']' {
		want = '['
	}
	match := -1
	for i := len(p.stack) - 1; i >= 0; i-- {
		if p.stack[i].open == want {
			match = i
			break
		}
	}
	if match < 0 {
		p.repair(p.pos, fmt.Sprintf("dropped an unmatched '%c'", c))
		p.pos++
		return false, nil
	}
	for len(p.stack) > match {
		f := &p.stack[len(p.stack)-1]
		if err := p.closable(f); err != nil {
			return false, err
		}
		if len(p.stack)-1 > match {
			miss := byte('}')
			if f.open == '[' {
				miss = ']'
			}
			p.repair(p.pos, fmt.Sprintf("inserted a missing '%c' before '%c'", miss, c))
		}
		p.closeTop()
	}
	p.pos++
	return len(p.stack) == 0, nil
}

// finish ends the text while containers are still open: closes them if nothing else is missing.
func (p *parser) finish() error {
	if len(p.stack) == 0 {
		return p.errf(p.pos, "no JSON value found")
	}
	if err := p.closable(&p.stack[len(p.stack)-1]); err != nil {
		return err
	}
	n := len(p.stack)
	for len(p.stack) > 0 {
		p.closeTop()
	}
	p.repair(p.pos, fmt.Sprintf("added %d missing closing bracket(s) at the end", n))
	return nil
}

// trailer checks what follows the complete value: prose, a fence or another sample is ignored,
// extra closing brackets are dropped, and a ',' or ':' means the brackets were unbalanced.
func (p *parser) trailer(scalar bool) error {
	for {
		if err := p.skipSpace(); err != nil {
			return err
		}
		if p.atEnd() {
			return nil
		}
		switch c := p.src[p.pos]; {
		case c == '}' || c == ']':
			p.repair(p.pos, fmt.Sprintf("dropped an extra '%c' after the end", c))
			p.pos++
		case c == ',' || c == ':' || scalar:
			return p.errf(p.pos, "unexpected %s after the end of the value (unbalanced brackets?)", quoteAt(p.src, p.pos))
		default:
			return nil
		}
	}
}
