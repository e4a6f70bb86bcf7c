package decode

import (
	"sort"
	"strings"
)

// MaxPaths bounds how many field paths Paths lists for one body.
const MaxPaths = 512

// Paths lists the field paths present in doc, sorted, in the catalog's notation: keys joined
// with ".", "[]" for the elements of an array (every element counts, once). A container is
// listed as well as what it holds. At most MaxPaths paths are returned, no deeper than
// MaxDepth; a doc that is not an object or array has none.
func Paths(doc any) []string {
	seen := map[string]bool{}
	var walk func(v any, prefix string, depth int)
	walk = func(v any, prefix string, depth int) {
		if depth > MaxDepth || len(seen) >= MaxPaths {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				if len(seen) >= MaxPaths {
					return
				}
				seen[p] = true
				walk(e, p, depth+1)
			}
		case []any:
			p := prefix + "[]"
			for _, e := range x {
				if len(seen) >= MaxPaths {
					return
				}
				seen[p] = true
				walk(e, p, depth+1)
			}
		}
	}
	walk(doc, "", 0)
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// MatchPath reports whether the concrete path (as Paths writes it) fits the catalog pattern:
// "*" in the pattern stands for any one key.
func MatchPath(pattern, path string) bool {
	if pattern == path {
		return true
	}
	if !strings.Contains(pattern, "*") {
		return false
	}
	ps, qs := patternSegs(pattern), patternSegs(path)
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != qs[i] && (ps[i] != "*" || qs[i] == "[]") {
			return false
		}
	}
	return true
}
