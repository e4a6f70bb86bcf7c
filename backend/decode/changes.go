package decode

import (
	"fmt"
	"sort"

	"hooklens/backend"
)

// Kinds of Change.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeRenamed = "renamed"
	ChangeRetyped = "retyped" // same path, another type
)

// Change is one difference between two versions of a catalog: an event type or a field that
// is added, removed, renamed or retyped on the way from one version to the other.
type Change struct {
	Kind string `json:"kind"` // added, removed, renamed, retyped
	// EventType is the event type concerned, named as in the version moved from (as in the
	// version moved to when it is added there).
	EventType string `json:"event_type"`
	// Path is the field concerned; "" when the change is the event type's own.
	Path string `json:"path,omitempty"`
	// To is the new name or path of a renamed entry, or the new type of a retyped field.
	To string `json:"to,omitempty"`
	// Note explains the change in words.
	Note string `json:"note"`
	// Captured counts the stored events the change concerns (see ChangeSet.Count): of an event
	// type renamed, removed or added, its events; of a field renamed, removed or retyped, the
	// events that carry it; of a field added, the events of its event type that lack it (they
	// will gain it; events whose fields are not known are left out).
	Captured int `json:"captured"`
}

// ChangeSet is what changes between two versions of one vendor's catalog.
type ChangeSet struct {
	Vendor string `json:"vendor"`
	From   string `json:"from"`
	To     string `json:"to"`
	// Events are the changes of event types themselves; Fields the changes of fields of the
	// event types that exist in both versions (under one name or another), and of the envelope
	// (EventType "*"). Both are sorted by event type, then path.
	Events []Change `json:"events"`
	Fields []Change `json:"fields"`
	// Store is true once Count has read what a store captured; Unknown counts the stored
	// events whose fields are not known (decoded before the store kept them).
	Store   bool `json:"store"`
	Unknown int  `json:"unknown,omitempty"`
}

// Count fills Captured on every change from what a store holds of the vendor (the event
// types and fields of its events, as CapturedFields gives them) and sets Store and Unknown.
// A change concerns the event types named in the version moved from; the envelope (*)
// concerns them all.
func (cs *ChangeSet) Count(captured []backend.CapturedType) {
	cs.Store, cs.Unknown = true, 0
	byType := map[string]*backend.CapturedType{}
	for i := range captured {
		byType[captured[i].EventType] = &captured[i]
		cs.Unknown += captured[i].Unknown
	}
	for i := range cs.Events {
		c := &cs.Events[i]
		name := c.EventType
		if c.Kind == ChangeAdded {
			c.Captured = 0
			if ct := byType[name]; ct != nil {
				c.Captured = ct.Events // already sent: the store holds some of the new version
			}
			continue
		}
		if ct := byType[name]; ct != nil {
			c.Captured = ct.Events
		}
	}
	for i := range cs.Fields {
		c := &cs.Fields[i]
		c.Captured = 0
		for _, ct := range captured {
			if c.EventType != Envelope && ct.EventType != c.EventType {
				continue
			}
			if c.Kind == ChangeAdded {
				c.Captured += ct.Events - ct.Unknown - fieldCount(ct.Fields, c.Path)
				continue
			}
			c.Captured += fieldCount(ct.Fields, c.Path)
		}
	}
}

// fieldCount is how many events carry a path matching pattern: the most of any one concrete
// path, since an event counts once however many keys a "*" matches in it.
func fieldCount(fields map[string]int, pattern string) int {
	if n, ok := fields[pattern]; ok {
		return n
	}
	best := 0
	for p, n := range fields {
		if n > best && MatchPath(pattern, p) {
			best = n
		}
	}
	return best
}

// Affected returns the changes that concern captured events, most events first.
func (cs *ChangeSet) Affected() []Change {
	var out []Change
	for _, c := range append(append([]Change(nil), cs.Events...), cs.Fields...) {
		if c.Captured > 0 {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Captured > out[j].Captured })
	return out
}

// Envelope names the common fields in a Change.
const Envelope = "*"

// Changes works out what changes between versions from and to of cat, in either direction
// (from may be newer than to): event types and fields added, removed, renamed (following the
// renames both ways) or retyped. It fails when the catalog has no versions or either name is
// not one of them.
func Changes(cat *Catalog, from, to string) (*ChangeSet, error) {
	if cat == nil || len(cat.Versions) == 0 {
		return nil, fmt.Errorf("this vendor's catalog describes one version only")
	}
	for _, v := range []string{from, to} {
		if cat.Index(v) < 0 {
			return nil, fmt.Errorf("unknown version %q (known: %s)", v, cat.VersionNames())
		}
	}
	forward := cat.Index(from) <= cat.Index(to)
	a, b := cat.At(from), cat.At(to)
	cs := &ChangeSet{Vendor: cat.Vendor, From: from, To: to, Events: []Change{}, Fields: []Change{}}

	inB := map[string]*EventType{}
	for i := range b.Events {
		inB[b.Events[i].Name] = &b.Events[i]
	}
	matched := map[string]bool{} // event types of b that some event type of a became
	for i := range a.Events {
		ea := &a.Events[i]
		if eb := inB[ea.Name]; eb != nil {
			matched[ea.Name] = true
			cs.Fields = append(cs.Fields, fieldChanges(cat, ea.Name, ea.Fields, eb.Fields, forward)...)
			continue
		}
		if n := cat.follow(ea.Name, inB, forward); n != "" {
			matched[n] = true
			cs.Events = append(cs.Events, Change{Kind: ChangeRenamed, EventType: ea.Name, To: n,
				Note: fmt.Sprintf("%s is called %s in %s", ea.Name, n, to)})
			cs.Fields = append(cs.Fields, fieldChanges(cat, ea.Name, ea.Fields, inB[n].Fields, forward)...)
			continue
		}
		cs.Events = append(cs.Events, Change{Kind: ChangeRemoved, EventType: ea.Name,
			Note: fmt.Sprintf("%s does not exist in %s", ea.Name, to)})
	}
	for i := range b.Events {
		if eb := &b.Events[i]; !matched[eb.Name] {
			cs.Events = append(cs.Events, Change{Kind: ChangeAdded, EventType: eb.Name,
				Note: fmt.Sprintf("%s is new in %s", eb.Name, to)})
		}
	}
	cs.Fields = append(cs.Fields, fieldChanges(cat, Envelope, a.Common, b.Common, forward)...)
	sortChanges(cs.Events)
	sortChanges(cs.Fields)
	return cs, nil
}

// follow walks the renames of event type name (forward: RenamedTo; backward: RenamedFrom)
// and returns the first name found in target, or "".
func (c *Catalog) follow(name string, target map[string]*EventType, forward bool) string {
	return walkRenames(name, func(n string) bool { return target[n] != nil }, func(n string) []string {
		var next []string
		for i := range c.Events {
			if et := &c.Events[i]; et.Name == n {
				next = append(next, renameSteps(et.RenamedTo, et.RenamedFrom, forward)...)
			}
		}
		return next
	})
}

// renameSteps is where one entry's renames lead: to RenamedTo going forward, to RenamedFrom
// going back.
func renameSteps(to string, from []string, forward bool) []string {
	if !forward {
		return from
	}
	if to == "" {
		return nil
	}
	return []string{to}
}

// walkRenames searches breadth first from start along next and returns the first name found
// reports true for, or "". It gives up after 64 names, a bound against cycles in bad data.
func walkRenames(start string, found func(string) bool, next func(string) []string) string {
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 && len(seen) < 64 {
		n := queue[0]
		queue = queue[1:]
		for _, m := range next(n) {
			if seen[m] {
				continue
			}
			if found(m) {
				return m
			}
			seen[m] = true
			queue = append(queue, m)
		}
	}
	return ""
}

// fieldChanges compares the fields of one event type in two versions. Renames are looked up
// in every declaration of the event type (and its other names) in the whole catalog, since
// a rename can pass through a version that is neither end.
func fieldChanges(cat *Catalog, event string, fa, fb []Field, forward bool) []Change {
	byA, byB := map[string]*Field{}, map[string]*Field{}
	for i := range fa {
		byA[fa[i].Path] = &fa[i]
	}
	for i := range fb {
		byB[fb[i].Path] = &fb[i]
	}
	all := cat.allFields(event)
	var out []Change
	on := event + ": "
	if event == Envelope {
		on = "every event: "
	}
	renamedInto := map[string]bool{}
	for _, f := range fa {
		if g := byB[f.Path]; g != nil {
			if g.Type != f.Type {
				out = append(out, Change{Kind: ChangeRetyped, EventType: event, Path: f.Path, To: g.Type,
					Note: fmt.Sprintf(on+"%s was %s, is %s", f.Path, article(f.Type), article(g.Type))})
			}
			continue
		}
		if n := followField(all, f.Path, byB, forward); n != "" {
			renamedInto[n] = true
			out = append(out, Change{Kind: ChangeRenamed, EventType: event, Path: f.Path, To: n,
				Note: fmt.Sprintf(on+"%s is called %s", f.Path, n)})
			continue
		}
		out = append(out, Change{Kind: ChangeRemoved, EventType: event, Path: f.Path,
			Note: fmt.Sprintf(on+"%s is no longer sent", f.Path)})
	}
	for _, g := range fb {
		if byA[g.Path] == nil && !renamedInto[g.Path] {
			out = append(out, Change{Kind: ChangeAdded, EventType: event, Path: g.Path,
				Note: fmt.Sprintf(on+"%s is new", g.Path)})
		}
	}
	return out
}

// allFields returns every declaration of the fields of the event type (under all its names),
// or of the envelope, across every version.
func (c *Catalog) allFields(event string) []Field {
	if event == Envelope {
		return c.Common
	}
	var out []Field
	for _, n := range c.Names(event) {
		for i := range c.Events {
			if c.Events[i].Name == n {
				out = append(out, c.Events[i].Fields...)
			}
		}
	}
	return out
}

// followField walks the renames of path through fields and returns the first path found in target.
func followField(fields []Field, path string, target map[string]*Field, forward bool) string {
	return walkRenames(path, func(p string) bool { return target[p] != nil }, func(p string) []string {
		var next []string
		for _, f := range fields {
			if f.Path == p {
				next = append(next, renameSteps(f.RenamedTo, f.RenamedFrom, forward)...)
			}
		}
		return next
	})
}

func sortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].EventType != cs[j].EventType {
			return cs[i].EventType < cs[j].EventType
		}
		return cs[i].Path < cs[j].Path
	})
}
