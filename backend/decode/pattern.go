package decode

import (
	"sort"
	"strconv"
	"strings"
	"sync"
)

// seg is one step of a concrete path: an object key or an array index.
type seg struct {
	key   string
	index int
	elem  bool // index step
}

// pathString renders a concrete path: keys joined by ".", indexes as "[i]".
func pathString(p []seg) string {
	var b strings.Builder
	for i, s := range p {
		if s.elem {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

func extend(p []seg, s seg) []seg {
	q := make([]seg, len(p), len(p)+1)
	copy(q, p)
	return append(q, s)
}

// tnode is one node of the pattern trie built from a catalog's fields.
type tnode struct {
	field   *Field
	pattern string
	keys    map[string]*tnode
	star    *tnode
	elem    *tnode
}

func (n *tnode) hasChildren() bool { return len(n.keys) > 0 || n.star != nil || n.elem != nil }

// sortedKeys returns the keys of n's exact-key children in order.
func (n *tnode) sortedKeys() []string { return sortedKeys(n.keys) }

// sortedKeys returns the keys of m in order (allocated once: it runs for every object decoded).
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// patternSegs splits "a.b[].*" into a, b, [], *. A concrete path's indices ("a.b[3].c") are
// element steps too, so a path read from a body splits into the steps of its pattern.
func patternSegs(p string) []string { return PathSteps(p) }

// PathSteps splits a path pattern ("a.b[].*") or a concrete path ("a.b[3].c") into its steps:
// object keys, "[]" for an array element, "*" for any key.
func PathSteps(p string) []string {
	var out []string
	for _, part := range strings.Split(p, ".") {
		n := 0
		for strings.HasSuffix(part, "]") {
			i := strings.LastIndexByte(part, '[')
			if i < 0 {
				break
			}
			part = part[:i]
			n++
		}
		if part != "" {
			out = append(out, part)
		}
		for ; n > 0; n-- {
			out = append(out, "[]")
		}
	}
	return out
}

// buildTrie indexes fields; a later field with the same pattern replaces an earlier one, so
// event fields override common ones.
func buildTrie(groups ...[]Field) *tnode {
	root := &tnode{}
	for _, fields := range groups {
		for i := range fields {
			f := &fields[i]
			n := root
			var walked []string
			for _, s := range patternSegs(f.Path) {
				walked = append(walked, s)
				var c *tnode
				switch s {
				case "[]":
					if n.elem == nil {
						n.elem = &tnode{}
					}
					c = n.elem
				case "*":
					if n.star == nil {
						n.star = &tnode{}
					}
					c = n.star
				default:
					if n.keys == nil {
						n.keys = map[string]*tnode{}
					}
					if c = n.keys[s]; c == nil {
						c = &tnode{}
						n.keys[s] = c
					}
				}
				n = c
				if n.pattern == "" {
					n.pattern = joinPattern(walked)
				}
			}
			if n != root {
				n.field = f
			}
		}
	}
	return root
}

func joinPattern(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if s != "[]" && i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

var trieCache sync.Map // trieKey → *tnode

type trieKey struct {
	cat   *Catalog
	event string
}

// trie returns the (cached) pattern trie of cat's common fields plus eventType's fields.
func trie(cat *Catalog, eventType string) *tnode {
	if cat == nil {
		return &tnode{}
	}
	if cat.EventType(eventType) == nil {
		eventType = "" // unknown names share the common-fields trie, so the cache stays bounded
	}
	k := trieKey{cat, eventType}
	if t, ok := trieCache.Load(k); ok {
		return t.(*tnode)
	}
	var ev []Field
	common := cat.Common
	if et := cat.EventType(eventType); et != nil {
		ev = et.Fields
		if et.Family != "" {
			common = nil // a separate format has its own envelope
		}
	}
	t := buildTrie(common, ev)
	trieCache.Store(k, t)
	return t
}

// match is where a concrete path lands in the trie.
type match struct {
	node    *tnode // trie node; nil when covered or unknown
	known   bool   // documented, or covered by an open/array ancestor
	covered string // pattern of the open ancestor covering this path, if any
}

// step resolves child s of a node matched by m. Exact keys win over "*"; a child the
// catalog does not describe is covered when its parent is Open, or is an array element of a
// field whose elements are not described.
func (m match) step(s seg) match {
	if !m.known {
		return m
	}
	if m.node == nil {
		return m // covered: stays covered
	}
	n := m.node
	var c *tnode
	if s.elem {
		c = n.elem
	} else if c = n.keys[s.key]; c == nil {
		c = n.star
	}
	switch {
	case c != nil:
		return match{node: c, known: true}
	case n.field != nil && n.field.Open:
		return match{known: true, covered: n.pattern}
	case s.elem && n.field != nil && typeAllows(n.field.Type, "array"):
		return match{known: true, covered: n.pattern}
	}
	return match{}
}

// typeAllows reports whether a catalog type ("a|b") lists want (or any).
func typeAllows(typ, want string) bool {
	for _, t := range strings.Split(typ, "|") {
		if t = strings.TrimSpace(t); t == want || t == "any" {
			return true
		}
	}
	return false
}

// resolve finds the match of a full concrete path from root.
func resolve(root *tnode, p []seg) match {
	m := match{node: root, known: true}
	for _, s := range p {
		m = m.step(s)
	}
	return m
}
