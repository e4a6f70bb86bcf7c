package decode

import "strings"

// AsVersion rewrites doc, a body of event type name in the catalog's newest shape, as version
// v sends it (for simulating older integrations): it returns the event type's name in v, and
// doc with the fields v does not have removed and renamed fields under the name v gives them.
// ok is false when the event type (under any of its names) does not exist in v, or when v has
// several (a merge: auto_access_added/updated/deleted became auto_accesses_updated) and which
// one is meant cannot be told. doc is changed in place.
func (c *Catalog) AsVersion(name string, doc any, v string) (string, any, bool) {
	if c.Index(v) < 0 {
		return name, doc, false
	}
	var target *EventType
	found := 0
	for _, n := range c.Names(name) {
		for _, d := range declarations(c, n) {
			if c.In(d.Range, v) {
				target = d
				found++
			}
		}
	}
	if found != 1 {
		return name, doc, false
	}
	var from *EventType // the declaration doc was built from: the newest of name
	for _, d := range declarations(c, name) {
		if from == nil || c.In(d.Range, c.Newest()) {
			from = d
		}
	}
	have := append(append([]Field(nil), c.Common...), target.Fields...)
	fields := c.Common
	if from != nil {
		fields = append(append([]Field(nil), c.Common...), from.Fields...)
	}
	for _, f := range fields {
		if c.In(f.Range, v) || !Present(doc, f.Path) {
			continue
		}
		old := ""
		for _, g := range have {
			if g.RenamedTo == f.Path && c.In(g.Range, v) {
				old = g.Path
			}
		}
		rewrite(doc, patternSegs(f.Path), old)
	}
	return target.Name, doc, true
}

// rewrite removes the values at pattern segs from doc, or moves them to the sibling key that
// the last step of the pattern old names (a rename within the same object). "*" steps are left
// alone: free-form maps have no versions.
func rewrite(doc any, segs []string, old string) {
	if len(segs) == 0 {
		return
	}
	s, rest := segs[0], segs[1:]
	switch x := doc.(type) {
	case map[string]any:
		if s == "*" || s == "[]" {
			return
		}
		if len(rest) == 0 {
			if val, ok := x[s]; ok {
				delete(x, s)
				if old != "" {
					x[old[strings.LastIndexAny(old, ".")+1:]] = val
				}
			}
			return
		}
		rewrite(x[s], rest, old)
	case []any:
		if s != "[]" {
			return
		}
		for _, e := range x {
			rewrite(e, rest, old)
		}
	}
}
