package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"hooklens/backend"
)

// Expectations are the rules an expectations file (`--expect FILE`, YAML or JSON) adds to the
// default one (every answer 2xx within the vendor's timeout): for every delivery, per event
// type ("incoming_chat" or "livechat/incoming_chat") and per delivery id. A later, narrower
// rule overrides the fields it sets; its body and header checks add to the others.
type Expectations struct {
	Default    Rule            `yaml:"default" json:"default"`
	Events     map[string]Rule `yaml:"events" json:"events,omitempty"`
	Deliveries map[string]Rule `yaml:"deliveries" json:"deliveries,omitempty"`
}

// Rule is what the answers to one delivery must be.
type Rule struct {
	// Status is the status of an answer to a signed delivery: 200, "2xx", [200, 202].
	Status *StatusSpec `yaml:"status" json:"status,omitempty"`
	// UnsignedStatus is the status of an answer to an unsigned or tampered delivery ("4xx" unless set).
	UnsignedStatus *StatusSpec `yaml:"unsigned_status" json:"unsigned_status,omitempty"`
	// MaxLatency is the longest an answer may take ("500ms", "2s").
	MaxLatency *Duration `yaml:"max_latency" json:"max_latency,omitempty"`
	// Body are checks of the answer's body; Headers of its headers.
	Body    []BodyCheck   `yaml:"body" json:"body,omitempty"`
	Headers []HeaderCheck `yaml:"headers" json:"headers,omitempty"`
	// SameOnRetry asks a retry or duplicate to get the same status and body as the first
	// attempt (without it: the same status).
	SameOnRetry *bool `yaml:"same_on_retry" json:"same_on_retry,omitempty"`
}

// BodyCheck checks the answer's body, or the value at Path in its JSON.
type BodyCheck struct {
	Path     string `yaml:"path" json:"path,omitempty"`
	Equals   any    `yaml:"equals" json:"equals,omitempty"`
	Matches  string `yaml:"matches" json:"matches,omitempty"`
	Contains string `yaml:"contains" json:"contains,omitempty"`
	re       *regexp.Regexp
	hasEq    bool
}

// HeaderCheck checks one header of the answer.
type HeaderCheck struct {
	Name     string `yaml:"name" json:"name"`
	Equals   string `yaml:"equals" json:"equals,omitempty"`
	Matches  string `yaml:"matches" json:"matches,omitempty"`
	Contains string `yaml:"contains" json:"contains,omitempty"`
	Absent   bool   `yaml:"absent" json:"absent,omitempty"`
	re       *regexp.Regexp
}

// StatusSpec is a set of accepted statuses: exact codes and classes ("2xx").
type StatusSpec struct {
	Codes   []int
	Classes []int // 2 for 2xx
}

// Class returns the spec of one status class (2 is 2xx).
func Class(c int) *StatusSpec { return &StatusSpec{Classes: []int{c}} }

// Accepts reports whether status is in the spec.
func (s *StatusSpec) Accepts(status int) bool {
	return slices.Contains(s.Codes, status) || slices.Contains(s.Classes, status/100)
}

func (s *StatusSpec) String() string {
	var parts []string
	for _, c := range s.Codes {
		parts = append(parts, strconv.Itoa(c))
	}
	for _, c := range s.Classes {
		parts = append(parts, strconv.Itoa(c)+"xx")
	}
	return strings.Join(parts, " or ")
}

// MarshalJSON writes the spec as written: "2xx", or "200 or 202".
func (s *StatusSpec) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalYAML reads 200, "2xx", "200" or a list of them.
func (s *StatusSpec) UnmarshalYAML(n *yaml.Node) error {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for _, it := range items {
		v := strings.ToLower(strings.TrimSpace(it.Value))
		if it.Kind != yaml.ScalarNode {
			return at(it, "status: want a code (200), a class (\"2xx\") or a list of them")
		}
		if len(v) == 3 && strings.HasSuffix(v, "xx") && v[0] >= '1' && v[0] <= '5' {
			s.Classes = append(s.Classes, int(v[0]-'0'))
			continue
		}
		c, err := strconv.Atoi(v)
		if err != nil || c < 100 || c > 599 {
			return at(it, fmt.Sprintf("status %q: want a code from 100 to 599 or a class like \"2xx\"", it.Value))
		}
		s.Codes = append(s.Codes, c)
	}
	return nil
}

// Duration is a time written "500ms", "2s" (or a number of milliseconds).
type Duration struct{ time.Duration }

// MarshalJSON writes the duration as Go writes it ("1.5s").
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalYAML reads "500ms", "2s" or a number of milliseconds.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return at(n, "want a duration like \"500ms\" or \"2s\"")
	}
	if ms, err := strconv.ParseFloat(n.Value, 64); err == nil {
		d.Duration = time.Duration(ms * float64(time.Millisecond))
		return nil
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil || v <= 0 {
		return at(n, fmt.Sprintf("%q is not a duration like \"500ms\" or \"2s\"", n.Value))
	}
	d.Duration = v
	return nil
}

// posError is an error at a line and column of the file.
type posError struct {
	line, col int
	msg       string
}

func (e *posError) Error() string { return fmt.Sprintf("line %d, column %d: %s", e.line, e.col, e.msg) }

func at(n *yaml.Node, msg string) error { return &posError{n.Line, n.Column, msg} }

// ParseExpectations reads an expectations file: YAML, or JSON (a file ending in .json or
// starting with "{"). Errors are EINVALID and name the file, the line and the column: a syntax
// error, an unknown key, a value of the wrong kind, a regular expression that does not compile.
func ParseExpectations(name string, data []byte) (*Expectations, error) {
	fail := func(err error) error {
		return backend.Errorf(backend.EINVALID, "%s %s", filepath.Base(name), strings.TrimPrefix(err.Error(), "yaml: "))
	}
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if strings.EqualFold(filepath.Ext(name), ".json") || bytes.HasPrefix(t, []byte("{")) {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				l, c := lineCol(data, se.Offset-1) // Offset is just after the bad byte
				return nil, fail(&posError{l, c, se.Error()})
			}
			return nil, fail(err)
		}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fail(err)
	}
	e := &Expectations{}
	if len(root.Content) == 0 {
		return e, nil
	}
	doc := root.Content[0]
	if err := knownKeys(doc, reflect.TypeOf(e).Elem()); err != nil {
		return nil, fail(err)
	}
	if err := doc.Decode(e); err != nil {
		return nil, fail(err)
	}
	if err := compile(doc, e); err != nil {
		return nil, fail(err)
	}
	return e, nil
}

// compile compiles the regular expressions of every rule; an error names its line.
func compile(doc *yaml.Node, e *Expectations) error {
	var err error
	each := func(r *Rule, node *yaml.Node) {
		for i := range r.Body {
			b := &r.Body[i]
			_, b.hasEq = lookup(node, "body", i, "equals")
			if b.Matches != "" && err == nil {
				if b.re, err = regexp.Compile(b.Matches); err != nil {
					n, _ := lookup(node, "body", i, "matches")
					err = at(n, fmt.Sprintf("matches: %v", err))
				}
			}
			if b.Equals == nil && !b.hasEq && b.Matches == "" && b.Contains == "" && err == nil {
				n, _ := lookup(node, "body", i)
				err = at(n, "a body check needs equals, matches or contains")
			}
		}
		for i := range r.Headers {
			h := &r.Headers[i]
			if h.Name == "" && err == nil {
				n, _ := lookup(node, "headers", i)
				err = at(n, "a header check needs a name")
			}
			if h.Matches != "" && err == nil {
				if h.re, err = regexp.Compile(h.Matches); err != nil {
					n, _ := lookup(node, "headers", i, "matches")
					err = at(n, fmt.Sprintf("matches: %v", err))
				}
			}
		}
	}
	d, _ := lookup(doc, "default")
	each(&e.Default, d)
	for key, m := range map[string]map[string]Rule{"events": e.Events, "deliveries": e.Deliveries} {
		for k, r := range m {
			n, _ := lookup(doc, key, k)
			each(&r, n)
			m[k] = r
		}
	}
	return err
}

// lookup follows keys (strings) and indexes (ints) from n; it returns n's deepest node found.
func lookup(n *yaml.Node, path ...any) (*yaml.Node, bool) {
	for _, p := range path {
		if n == nil {
			return nil, false
		}
		switch k := p.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return n, false
			}
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return n, false
			}
			n = next
		case int:
			if n.Kind != yaml.SequenceNode || k >= len(n.Content) {
				return n, false
			}
			n = n.Content[k]
		}
	}
	if n == nil {
		return &yaml.Node{}, false
	}
	return n, true
}

// knownKeys fails on a key of a mapping node that names no field of t (by yaml tag), at any
// depth: yaml.v3's KnownFields, for a document read as nodes, with the key's line and column.
func knownKeys(n *yaml.Node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch t.Kind() {
	case reflect.Struct:
		if reflect.PointerTo(t).Implements(reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()) {
			return nil
		}
		if n.Kind != yaml.MappingNode {
			if n.Tag == "!!null" {
				return nil
			}
			return at(n, fmt.Sprintf("want a mapping of %s", strings.Join(keysOf(t), ", ")))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			f, ok := fieldOf(t, k.Value)
			if !ok {
				return at(k, fmt.Sprintf("unknown key %q (known: %s)", k.Value, strings.Join(keysOf(t), ", ")))
			}
			if err := knownKeys(n.Content[i+1], f.Type); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if err := knownKeys(n.Content[i+1], t.Elem()); err != nil {
					return err
				}
			}
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				if err := knownKeys(c, t.Elem()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func fieldOf(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name == key && name != "" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func keysOf(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// For returns the rule of one delivery: the default, overridden by the event type's rule
// ("type", then "vendor/type") and the delivery's own; body and header checks add up.
func (e *Expectations) For(vendor, eventType, id string) Rule {
	r := Rule{}
	if e == nil {
		return r
	}
	layers := []Rule{e.Default}
	if x, ok := e.Events[eventType]; ok && eventType != "" {
		layers = append(layers, x)
	}
	if x, ok := e.Events[vendor+"/"+eventType]; ok && eventType != "" {
		layers = append(layers, x)
	}
	if x, ok := e.Deliveries[id]; ok {
		layers = append(layers, x)
	}
	for _, l := range layers {
		r.Status = cmpPtr(l.Status, r.Status)
		r.UnsignedStatus = cmpPtr(l.UnsignedStatus, r.UnsignedStatus)
		r.MaxLatency = cmpPtr(l.MaxLatency, r.MaxLatency)
		r.SameOnRetry = cmpPtr(l.SameOnRetry, r.SameOnRetry)
		r.Body = append(r.Body, l.Body...)
		r.Headers = append(r.Headers, l.Headers...)
	}
	return r
}

func cmpPtr[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}
