package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"hooklens/backend"
)

// FieldNote explains one field present in a delivery body, for the detail view.
type FieldNote struct {
	Path        string         `json:"path"`    // concrete path ("payload.chat.users[0].id")
	Pattern     string         `json:"pattern"` // catalog pattern it matched ("payload.chat.users[].id"), "" if none
	Type        string         `json:"type"`    // documented type, or the JSON type seen when undocumented
	Description string         `json:"description"`
	Enum        []string       `json:"enum"`
	Since       string         `json:"since"`
	Until       string         `json:"until,omitempty"`        // last API version that has the field
	RenamedTo   string         `json:"renamed_to,omitempty"`   // its path in the version after Until
	RenamedFrom []string       `json:"renamed_from,omitempty"` // the paths it had before Since
	Deprecated  string         `json:"deprecated"`
	Known       bool           `json:"known"` // false when the catalog does not document the field
	Flags       []backend.Flag `json:"flags"` // findings at this path (missing children are flagged on the parent)
}

// Explain returns one FieldNote per field present in d's body, in document order (containers
// before their members), from ev, the event stored for d: its vendor's catalog entry for its
// event type, and its flags placed on the fields. Nothing is decoded again; a delivery not
// decoded yet (ev nil) is decoded for the occasion. It returns an empty slice for a body that is
// empty or does not parse; fields of an unknown vendor are all returned with Known false.
func (r *Registry) Explain(d *backend.Delivery, ev *backend.Event) []FieldNote {
	notes := []FieldNote{}
	if d == nil || d.Refused != "" {
		return notes
	}
	in := Prepare(d)
	if in.Doc == nil {
		return notes
	}
	if ev == nil {
		decoded := r.Decode(d, nil)
		ev = &decoded
	}
	root := &tnode{}
	if cat := safeCatalog(r.Vendor(ev.Vendor)); cat != nil && ev.Documented {
		root = trie(cat, ev.EventType)
	} else if cat != nil {
		root = trie(cat, "")
	}
	flags := map[string][]backend.Flag{}
	for _, f := range ev.Flags {
		p := f.Path
		if f.Code == FlagMissingRequired {
			p = parentPath(p)
		}
		if p != "" {
			flags[p] = append(flags[p], f)
		}
	}
	visit := func(p []seg, v any) {
		notes = append(notes, note(root, p, v, flags))
	}
	if in.Form {
		walkForm(in, visit)
	} else if err := walkJSON(in.Body, visit); err != nil {
		notes = notes[:0]
		walkSorted(in.Doc, nil, visit, 0)
	}
	return notes
}

// note builds the FieldNote of value v at path p.
func note(root *tnode, p []seg, v any, flags map[string][]backend.Flag) FieldNote {
	path := pathString(p)
	n := FieldNote{Path: path, Type: JSONType(v), Enum: []string{}, Flags: flags[path]}
	if n.Flags == nil {
		n.Flags = []backend.Flag{}
	}
	m := resolve(root, p)
	n.Known = m.known
	switch {
	case !m.known:
	case m.node == nil:
		n.Pattern = m.covered
		n.Description = "Part of " + m.covered + ", whose content is free-form and not described field by field."
	default:
		n.Pattern = m.node.pattern
		if f := m.node.field; f != nil {
			if f.Type != "" {
				n.Type = f.Type
			}
			n.Description, n.Since, n.Deprecated = f.Description, f.Since, f.Deprecated
			n.Until, n.RenamedTo, n.RenamedFrom = f.Until, f.RenamedTo, f.RenamedFrom
			n.Enum = append(n.Enum, f.Enum...)
		}
	}
	return n
}

// parentPath drops the last step of a concrete path ("a.b[2].c" → "a.b[2]", "a" → "").
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// walkJSON visits every value of the JSON document in b in document order (not the root).
func walkJSON(b []byte, visit func([]seg, any)) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return walkTokens(dec, nil, visit, 0)
}

func walkTokens(dec *json.Decoder, p []seg, visit func([]seg, any), depth int) error {
	if depth > MaxDepth {
		return errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, isDelim := tok.(json.Delim)
	if !isDelim {
		if len(p) > 0 {
			visit(p, tok)
		}
		return nil
	}
	switch d {
	case '{':
		if len(p) > 0 {
			visit(p, map[string]any{})
		}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			k, ok := kt.(string)
			if !ok {
				return errors.New("object key is not a string")
			}
			if err := walkTokens(dec, extend(p, seg{key: k}), visit, depth+1); err != nil {
				return err
			}
		}
	case '[':
		if len(p) > 0 {
			visit(p, []any{})
		}
		for i := 0; dec.More(); i++ {
			if err := walkTokens(dec, extend(p, seg{index: i, elem: true}), visit, depth+1); err != nil {
				return err
			}
		}
	default:
		return errors.New("unexpected closing delimiter")
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

// walkSorted visits v's members with object keys sorted (used when order is unknown).
func walkSorted(v any, p []seg, visit func([]seg, any), depth int) {
	if depth > MaxDepth {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		keys := sortedKeys(x)
		for _, k := range keys {
			walkValue(x[k], extend(p, seg{key: k}), visit, depth)
		}
	case []any:
		for i, e := range x {
			walkValue(e, extend(p, seg{index: i, elem: true}), visit, depth)
		}
	}
}

func walkValue(v any, p []seg, visit func([]seg, any), depth int) {
	visit(p, v)
	walkSorted(v, p, visit, depth+1)
}

// walkForm visits a form body's fields in the order their keys first appear.
func walkForm(in *Input, visit func([]seg, any)) {
	doc := in.Object()
	seen := map[string]bool{}
	for _, k := range formKeys(in.Body) {
		top := splitBrackets(k)[0]
		if v, ok := doc[top]; ok && !seen[top] {
			seen[top] = true
			walkValue(v, []seg{{key: top}}, visit, 0)
		}
		if v, ok := doc[k]; ok && !seen[k] { // a flat key kept because of a shape conflict
			seen[k] = true
			walkValue(v, []seg{{key: k}}, visit, 0)
		}
	}
}
