package iadvize

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hooklens/backend/decode"
)

// doc is a read-only view of a payload that does not care how values are typed: JSON numbers,
// strings of a form body, or a repeated form key all read the same.
type doc struct {
	m    map[string]any
	form bool
}

func newDoc(in *decode.Input) doc {
	if in == nil {
		return doc{}
	}
	m := in.Object()
	if in.Form && m != nil {
		m = unflatten(m)
	}
	return doc{m: m, form: in.Form}
}

func (d doc) has(key string) bool {
	v, ok := d.m[key]
	return ok && v != nil
}

// str returns the value at key as text: strings trimmed, numbers in their JSON spelling, booleans
// as true/false, the first value of a repeated form key; "" for anything else.
func (d doc) str(key string) string { return scalar(d.m[key], d.form) }

// list returns the array at key. A form body may carry it as repeated keys, as bracketed keys
// (already unflattened), as JSON text, or as a comma-separated string.
func (d doc) list(key string) []any {
	switch x := d.m[key].(type) {
	case []any:
		return x
	case string:
		if !d.form {
			return nil
		}
		var out []any
		for _, p := range strings.Split(x, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	case nil:
		return nil
	default:
		if d.form {
			return []any{x}
		}
	}
	return nil
}

// ids returns the scalar elements of the array at key, empty ones skipped.
func (d doc) ids(key string) []string {
	var out []string
	for _, v := range d.list(key) {
		if s := scalar(v, false); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// objects returns the object elements of the array at key.
func (d doc) objects(key string) []doc {
	if m, ok := d.m[key].(map[string]any); ok {
		return []doc{{m: m, form: d.form}}
	}
	var out []doc
	for _, v := range d.list(key) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, doc{m: m, form: d.form})
		}
	}
	return out
}

func scalar(v any, form bool) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case []any:
		if form && len(x) > 0 {
			return scalar(x[0], false)
		}
	}
	return ""
}

const maxDepth = 8

// unflatten returns a copy of a form document in which objects whose keys are all indexes
// ("availabilities[0][channel]" parses to {"availabilities": {"0": {...}}}) become arrays in
// index order, the way PHP and Rails encode lists in a form. The input is not modified.
func unflatten(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = arrays(v, 1)
	}
	return out
}

func arrays(v any, depth int) any {
	switch x := v.(type) {
	case []any:
		if depth > maxDepth {
			return x
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = arrays(e, depth+1)
		}
		return out
	case map[string]any:
		if depth > maxDepth {
			return x
		}
		type entry struct {
			n int
			k string
			v any
		}
		numeric := len(x) > 0
		entries := make([]entry, 0, len(x))
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := strconv.Atoi(k)
			if err != nil || n < 0 {
				numeric = false
			}
			out[k] = arrays(e, depth+1)
			entries = append(entries, entry{n, k, out[k]})
		}
		if !numeric {
			return out
		}
		sort.Slice(entries, func(i, j int) bool {
			if entries[i].n != entries[j].n {
				return entries[i].n < entries[j].n
			}
			return entries[i].k < entries[j].k
		})
		list := make([]any, len(entries))
		for i, e := range entries {
			list[i] = e.v
		}
		return list
	}
	return v
}

// timeLayouts are the spellings of a date-time we accept, most likely first.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
}

// zoneless layouts are read as UTC, with a flag.
var zonelessLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// parseTime reads an ISO-8601 date-time and returns it in UTC; zoned is false when the text
// carried no offset and was read as UTC.
func parseTime(s string) (t time.Time, zoned, ok bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true, true
		}
	}
	for _, l := range zonelessLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), false, true
		}
	}
	return time.Time{}, false, false
}

// oneLine collapses whitespace and control characters so a value fits on a summary line,
// and cuts it to max runes with an ellipsis.
func oneLine(s string, max int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r < ' ' || r == 0x7f || r == ' ' || r == utf8.RuneError
	}), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// short abbreviates a long identifier (UUID, visitor hash) to its first 8 characters.
func short(id string) string {
	id = oneLine(id, 64)
	if utf8.RuneCountInString(id) <= 13 {
		return id
	}
	return string([]rune(id)[:8]) + "…"
}

// join lists words as "a", "a and b", "a, b and c".
func join(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
