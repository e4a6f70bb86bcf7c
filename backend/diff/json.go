// Package diff compares what two deliveries or two conversations carry: JSON bodies field by
// field, headers, and event sequences aligned on their longest common subsequence.
package diff

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
)

// Kinds of change.
const (
	Added       = "added"        // only in B
	Removed     = "removed"      // only in A
	Changed     = "changed"      // in both, another value of the same type
	TypeChanged = "type_changed" // in both, a value of another JSON type
	Reordered   = "reordered"    // headers only: the same headers in another order
)

// Change is one difference between two JSON documents.
type Change struct {
	// Path names the field for people: object keys joined with ".", array elements by index
	// ("[2]") or, for arrays matched by an id-like key, by that key ("[id=abc]").
	Path string `json:"path"`
	// APath and BPath are the concrete paths in A and in B ("" where the field is absent).
	APath string `json:"a_path"`
	BPath string `json:"b_path"`
	// Pattern is the path with every array index as "[]" ("payload.chat.users[].id"), the form
	// catalogs and volatile rules use.
	Pattern string `json:"pattern"`
	Kind    string `json:"kind"`
	// A and B are the values as compact JSON ("" where absent); AType and BType their JSON types.
	A     string `json:"a"`
	B     string `json:"b"`
	AType string `json:"a_type"`
	BType string `json:"b_type"`
	// Volatile is true for a field that differs on every delivery (ids, times, secrets).
	Volatile bool `json:"volatile"`
}

// Options tune a JSON comparison; the zero value compares everything.
type Options struct {
	// Volatile reports whether the field at pattern (see Change.Pattern), whose values are a and
	// b (nil where absent), is one that differs on every delivery; its changes are marked
	// Volatile. Nil marks nothing.
	Volatile func(pattern string, a, b any) bool
	// IDKeys are the keys, in order of preference, that identify the elements of an array of
	// objects; nil means DefaultIDKeys.
	IDKeys []string
	// MaxDepth bounds the nesting compared; deeper values are compared whole (default 64).
	MaxDepth int
}

// DefaultIDKeys are the keys that identify array elements when Options.IDKeys is nil.
var DefaultIDKeys = []string{"id", "_id", "uuid", "key", "eventId", "event_id", "messageId", "message_id", "email"}

// JSON compares two parsed JSON documents (as from encoding/json with UseNumber, or
// decode.ParseJSON) and returns their changes, object keys in sorted order, array elements in A's order then B's.
// Arrays whose elements are all objects carrying one id-like key with distinct values on both
// sides are matched by that key; other arrays by position. It never panics.
func JSON(a, b any, opt Options) []Change {
	if opt.IDKeys == nil {
		opt.IDKeys = DefaultIDKeys
	}
	if opt.MaxDepth == 0 {
		opt.MaxDepth = 64
	}
	c := &comparer{opt: opt}
	c.value(a, b, loc{}, 0)
	return c.out
}

// loc is a path being built on one side and the display path.
type loc struct {
	show, a, b, pattern string
}

func (l loc) key(k string) loc {
	join := func(p string) string {
		if p == "" {
			return k
		}
		return p + "." + k
	}
	return loc{show: join(l.show), a: join(l.a), b: join(l.b), pattern: join(l.pattern)}
}

type comparer struct {
	opt Options
	out []Change
}

func (c *comparer) add(kind string, l loc, a, b any, hasA, hasB bool) {
	ch := Change{Path: l.show, Pattern: l.pattern, Kind: kind}
	if hasA {
		ch.APath, ch.A, ch.AType = l.a, compact(a), Type(a)
	}
	if hasB {
		ch.BPath, ch.B, ch.BType = l.b, compact(b), Type(b)
	}
	if c.opt.Volatile != nil {
		var va, vb any
		if hasA {
			va = a
		}
		if hasB {
			vb = b
		}
		ch.Volatile = c.opt.Volatile(l.pattern, va, vb)
	}
	c.out = append(c.out, ch)
}

func (c *comparer) value(a, b any, l loc, depth int) {
	ta, tb := Type(a), Type(b)
	if ta != tb {
		c.add(TypeChanged, l, a, b, true, true)
		return
	}
	if depth >= c.opt.MaxDepth {
		if compact(a) != compact(b) {
			c.add(Changed, l, a, b, true, true)
		}
		return
	}
	switch x := a.(type) {
	case map[string]any:
		c.object(x, b.(map[string]any), l, depth)
	case []any:
		c.array(x, b.([]any), l, depth)
	default:
		if !sameScalar(a, b) {
			c.add(Changed, l, a, b, true, true)
		}
	}
}

func (c *comparer) object(a, b map[string]any, l loc, depth int) {
	for _, k := range sortedKeys(a) {
		kl := l.key(k)
		if bv, ok := b[k]; ok {
			c.value(a[k], bv, kl, depth+1)
		} else {
			c.add(Removed, kl, a[k], nil, true, false)
		}
	}
	for _, k := range sortedKeys(b) {
		if _, ok := a[k]; !ok {
			c.add(Added, l.key(k), nil, b[k], false, true)
		}
	}
}

func (c *comparer) array(a, b []any, l loc, depth int) {
	if key := c.idKey(a, b); key != "" {
		c.byKey(a, b, key, l, depth)
		return
	}
	for i := 0; i < max(len(a), len(b)); i++ {
		idx := "[" + strconv.Itoa(i) + "]"
		el := loc{show: l.show + idx, a: l.a + idx, b: l.b + idx, pattern: l.pattern + "[]"}
		switch {
		case i >= len(b):
			el.b = ""
			c.add(Removed, el, a[i], nil, true, false)
		case i >= len(a):
			el.a = ""
			c.add(Added, el, nil, b[i], false, true)
		default:
			c.value(a[i], b[i], el, depth+1)
		}
	}
}

// byKey matches the elements of a and b by the value of key.
func (c *comparer) byKey(a, b []any, key string, l loc, depth int) {
	index := map[string]int{}
	for j, e := range b {
		index[idOf(e, key)] = j
	}
	seen := map[string]bool{}
	for i, e := range a {
		id := idOf(e, key)
		seen[id] = true
		el := loc{show: l.show + "[" + key + "=" + id + "]", a: l.a + "[" + strconv.Itoa(i) + "]", pattern: l.pattern + "[]"}
		j, ok := index[id]
		if !ok {
			c.add(Removed, el, e, nil, true, false)
			continue
		}
		el.b = l.b + "[" + strconv.Itoa(j) + "]"
		c.value(e, b[j], el, depth+1)
	}
	for j, e := range b {
		if id := idOf(e, key); !seen[id] {
			el := loc{show: l.show + "[" + key + "=" + id + "]", b: l.b + "[" + strconv.Itoa(j) + "]", pattern: l.pattern + "[]"}
			c.add(Added, el, nil, e, false, true)
		}
	}
}

// idKey returns the first of the id keys that every element of a and b carries as a scalar, with
// distinct values on each side; "" when there is none (then arrays are matched by position).
func (c *comparer) idKey(a, b []any) string {
	if len(a) == 0 || len(b) == 0 {
		return ""
	}
	for _, k := range c.opt.IDKeys {
		if keyed(a, k) && keyed(b, k) {
			return k
		}
	}
	return ""
}

func keyed(list []any, key string) bool {
	seen := map[string]bool{}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return false
		}
		v, ok := m[key]
		if !ok {
			return false
		}
		switch v.(type) {
		case string, json.Number, float64, bool:
		default:
			return false
		}
		id := idOf(e, key)
		if seen[id] {
			return false
		}
		seen[id] = true
	}
	return true
}

func idOf(e any, key string) string {
	m, _ := e.(map[string]any)
	switch v := m[key].(type) {
	case string:
		return v
	default:
		return compact(v)
	}
}

// Type returns the JSON type of v: object, array, string, number, boolean or null.
func Type(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number, float64, float32, int, int64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// sameScalar compares two scalars of the same JSON type; numbers by value (1.0 equals 1).
func sameScalar(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	if na, ok := a.(json.Number); ok {
		if nb, ok := b.(json.Number); ok {
			if na == nb {
				return true
			}
			x, okx := new(big.Float).SetString(string(na))
			y, oky := new(big.Float).SetString(string(nb))
			return okx && oky && x.Cmp(y) == 0
		}
	}
	return compact(a) == compact(b)
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// Visible returns the changes that are not volatile, unless all is true, and how many were hidden.
func Visible(changes []Change, all bool) ([]Change, int) {
	return visible(changes, all, func(c Change) bool { return c.Volatile })
}

// visible drops the volatile changes, unless all is true, and says how many it dropped.
func visible[T any](changes []T, all bool, volatile func(T) bool) ([]T, int) {
	if all {
		return changes, 0
	}
	out := make([]T, 0, len(changes))
	for _, ch := range changes {
		if !volatile(ch) {
			out = append(out, ch)
		}
	}
	return out, len(changes) - len(out)
}
