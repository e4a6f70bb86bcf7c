package decode

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"hooklens/backend"
)

// Check compares doc with the fields cat documents for eventType (plus the common fields) and
// returns drift flags with concrete paths, sorted by path:
//   - unknown_field for a field the catalog does not know (only the outermost such path; the
//     children of an unknown field are not reported again);
//   - missing_required for a required field absent from an object that is present;
//   - wrong_type when the JSON type differs ("integer" is a number without fraction or
//     exponent; "number" also accepts integers; "any" accepts everything);
//   - unknown_enum for a value (or an array element) outside the documented values.
//
// Sub-fields of an Open field are accepted. Elements of an array field whose elements the
// catalog does not describe ("x[]") are accepted. Check never panics and returns nil for a nil
// catalog.
func Check(cat *Catalog, eventType string, doc any) []backend.Flag {
	return check(cat, eventType, doc, false)
}

// check is Check; form relaxes types, since every value of a form body arrives as a string.
func check(cat *Catalog, eventType string, doc any, form bool) []backend.Flag {
	if cat == nil {
		return nil
	}
	c := &checker{event: eventType, form: form}
	root := trie(cat, eventType)
	c.children(doc, match{node: root, known: true}, nil, 0)
	sort.SliceStable(c.flags, func(i, j int) bool { return c.flags[i].Path < c.flags[j].Path })
	return c.flags
}

type checker struct {
	event string
	form  bool
	flags []backend.Flag
}

func (c *checker) add(p []seg, code, reason string) {
	c.flags = append(c.flags, backend.Flag{Path: pathString(p), Code: code, Reason: reason})
}

// children checks the members of v, an object or array matched by m at path p.
func (c *checker) children(v any, m match, p []seg, depth int) {
	if depth > MaxDepth || m.node == nil {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		keys := sortedKeys(x)
		for _, k := range keys {
			c.node(x[k], m, extend(p, seg{key: k}), depth+1)
		}
		for _, k := range m.node.sortedKeys() {
			f := m.node.keys[k].field
			if _, ok := x[k]; !ok && f != nil && f.Required {
				c.add(extend(p, seg{key: k}), FlagMissingRequired,
					fmt.Sprintf("%s is required for %s but absent", pathString(extend(p, seg{key: k})), c.eventName()))
			}
		}
	case []any:
		for i, e := range x {
			c.node(e, m, extend(p, seg{index: i, elem: true}), depth+1)
		}
	}
}

// node checks value v found at path p under a parent matched by parent.
func (c *checker) node(v any, parent match, p []seg, depth int) {
	m := parent.step(p[len(p)-1])
	if !m.known {
		c.add(p, FlagUnknownField, fmt.Sprintf("%s is not documented for %s", pathString(p), c.eventName()))
		return
	}
	if m.node == nil {
		return // covered by an open field or an undescribed array
	}
	if f := m.node.field; f != nil {
		got := JSONType(v)
		if !c.typeOK(v, f.Type) {
			c.add(p, FlagWrongType, fmt.Sprintf("%s is %s; documented as %s", pathString(p), article(got), f.Type))
			return
		}
		if len(f.Enum) > 0 {
			c.enum(v, f, p)
		}
		if got == "object" && !m.node.hasChildren() && f.Type == "any" {
			return
		}
	}
	c.children(v, m, p, depth)
}

func (c *checker) enum(v any, f *Field, p []seg) {
	if l, ok := v.([]any); ok {
		for i, e := range l {
			c.enum(e, f, extend(p, seg{index: i, elem: true}))
		}
		return
	}
	s := String(v)
	if _, isObj := v.(map[string]any); isObj || v == nil || slices.Contains(f.Enum, s) {
		return
	}
	c.add(p, FlagUnknownEnum, fmt.Sprintf("%s is %s; documented values: %s", pathString(p), strconv.Quote(s), strings.Join(f.Enum, ", ")))
}

func (c *checker) eventName() string {
	if c.event == "" {
		return "this event"
	}
	return c.event
}

// typeOK reports whether v fits the catalog type typ.
func (c *checker) typeOK(v any, typ string) bool {
	got := JSONType(v)
	for _, t := range strings.Split(typ, "|") {
		switch t = strings.TrimSpace(t); t {
		case "", "any", got:
			return true
		case "number":
			if got == "integer" {
				return true
			}
		case "string", "integer", "boolean", "object", "array", "null":
		default:
			return true // a type the checker does not know: do not guess
		}
		if c.form {
			if s, ok := v.(string); ok && formFits(s, t) {
				return true
			}
			if t != "array" && got == "array" { // repeated key
				return true
			}
		}
	}
	return false
}

// formFits reports whether a form string can stand for a value of type t.
func formFits(s, t string) bool {
	switch t {
	case "integer":
		_, err := strconv.ParseInt(s, 10, 64)
		return err == nil
	case "number":
		_, err := strconv.ParseFloat(s, 64)
		return err == nil
	case "boolean":
		_, err := strconv.ParseBool(s)
		return err == nil
	case "null":
		return s == "" || s == "null"
	}
	return false
}

func article(t string) string {
	switch t {
	case "":
		return "not JSON"
	case "null":
		return "null"
	case "integer", "object", "array":
		return "an " + t
	}
	return "a " + t
}
