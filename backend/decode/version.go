package decode

import (
	"fmt"
	"strings"
	"sync"
)

// APIVersion is one version of a vendor's webhooks: an API version ("3.4"), a retired format
// ("v2"), or a dated shape of a vendor that does not number its versions ("2017-08").
// A catalog lists its versions oldest first; that order is the only one versions have.
type APIVersion struct {
	Name  string `json:"name"`  // "3.4", "v2", "2017-08"
	Label string `json:"label"` // what people read: "v3.4", "v2 (retired REST format)"
	// Retired is true when the vendor no longer sends this version to new registrations.
	Retired bool `json:"retired,omitempty"`
	// Note says in a few words (ours) what changed for webhooks in this version.
	Note string `json:"note,omitempty"`
}

// Range is the versions something exists in, both ends included: Since "" means from the
// catalog's first version, Until "" means up to its newest.
type Range struct {
	Since string `json:"since,omitempty"`
	Until string `json:"until,omitempty"`
}

// Index returns the position of version v in c.Versions (0 = oldest), or -1.
func (c *Catalog) Index(v string) int {
	for i := range c.Versions {
		if c.Versions[i].Name == v {
			return i
		}
	}
	return -1
}

// Newest returns the name of the newest version, or "" for a catalog without versions.
func (c *Catalog) Newest() string {
	if len(c.Versions) == 0 {
		return ""
	}
	return c.Versions[len(c.Versions)-1].Name
}

// span returns the indices [lo, hi] of r in c; an unknown version name counts as open.
func (c *Catalog) span(r Range) (lo, hi int) {
	lo, hi = 0, len(c.Versions)-1
	if i := c.Index(r.Since); i >= 0 {
		lo = i
	}
	if i := c.Index(r.Until); i >= 0 {
		hi = i
	}
	return lo, hi
}

// In reports whether r includes version v. Every range includes "" (no version chosen) and
// every version of a catalog without versions.
func (c *Catalog) In(r Range, v string) bool {
	i := c.Index(v)
	if v == "" || i < 0 {
		return true
	}
	lo, hi := c.span(r)
	return lo <= i && i <= hi
}

// Label names the versions [lo, hi] for people: "3.1", "3.4+", "3.1–3.3", or "" when the
// range is every version.
func (c *Catalog) Label(lo, hi int) string {
	n := len(c.Versions)
	switch {
	case n == 0 || lo < 0 || hi >= n || lo > hi:
		return ""
	case lo == hi:
		return c.Versions[lo].Name
	case lo == 0 && hi == n-1:
		return ""
	case hi == n-1:
		return c.Versions[lo].Name + "+"
	case lo == 0:
		return "up to " + c.Versions[hi].Name
	}
	return c.Versions[lo].Name + "–" + c.Versions[hi].Name
}

// RangeLabel is Label for a Range.
func (c *Catalog) RangeLabel(r Range) string { return c.Label(c.span(r)) }

// At returns the catalog as it stands in version v: the event types and fields that exist in
// v. The result is computed once per version and shared; v "" or unknown returns c itself.
func (c *Catalog) At(v string) *Catalog {
	if c.Index(v) < 0 {
		return c
	}
	c.atMu.Lock()
	defer c.atMu.Unlock()
	if at, ok := c.at[v]; ok {
		return at
	}
	at := &Catalog{Vendor: c.Vendor, Versions: c.Versions, Common: c.fieldsAt(c.Common, v)}
	for _, et := range c.Events {
		if !c.In(et.Range, v) {
			continue
		}
		et.Fields = c.fieldsAt(et.Fields, v)
		at.Events = append(at.Events, et)
	}
	at.at = map[string]*Catalog{v: at}
	if c.at == nil {
		c.at = map[string]*Catalog{}
	}
	c.at[v] = at
	return at
}

func (c *Catalog) fieldsAt(fields []Field, v string) []Field {
	var out []Field
	for _, f := range fields {
		if c.In(f.Range, v) {
			out = append(out, f)
		}
	}
	return out
}

// catalogCache is the state At keeps; embedded so Catalog stays copyable by value in tests.
type catalogCache struct {
	atMu sync.Mutex
	at   map[string]*Catalog
}

// Evidence is one fact of a delivery that narrows which versions could have sent it.
type Evidence struct {
	Path   string `json:"path,omitempty"` // the field that says so; "" for the event type itself
	Range  Range  `json:"range"`
	Reason string `json:"reason"` // "organization_id present → 3.4 or later"
}

// Narrow works out which versions of c could have sent doc as eventType, from the versions
// the event type and every present field exist in. It returns the narrowest range [lo, hi]
// (indices into c.Versions) and the evidence that set each end. When the evidence conflicts
// (no version has all of it), it keeps the event type's range and ok is false. A catalog
// without versions returns lo = hi = -1.
func (c *Catalog) Narrow(eventType string, doc any) (lo, hi int, evidence []Evidence, ok bool) {
	if len(c.Versions) == 0 {
		return -1, -1, nil, true
	}
	lo, hi = 0, len(c.Versions)-1
	ok = true
	take := func(path string, r Range, what string) {
		l, h := c.span(r)
		if l <= lo && h >= hi {
			return // says nothing new
		}
		if max(l, lo) > min(h, hi) {
			ok = false
			return
		}
		lo, hi = max(l, lo), min(h, hi)
		evidence = append(evidence, Evidence{Path: path, Range: r, Reason: what + " → " + c.words(l, h)})
	}
	var et *EventType
	for i := range c.Events {
		e := &c.Events[i]
		if e.Name == eventType && (et == nil || c.presentCount(e, doc) > c.presentCount(et, doc)) {
			et = e
		}
	}
	if et != nil {
		take("", et.Range, fmt.Sprintf("event type %s", eventType))
	}
	elo, ehi := lo, hi
	fields := c.Common
	if et != nil {
		fields = append(append([]Field(nil), c.Common...), et.Fields...)
	}
	for _, f := range fields {
		if (f.Since != "" || f.Until != "") && Present(doc, f.Path) {
			take(f.Path, f.Range, f.Path+" present")
		}
	}
	if !ok {
		lo, hi = elo, ehi
	}
	return lo, hi, evidence, ok
}

// presentCount counts the fields of et present in doc: the best of several declarations of
// one event type name (different shapes in different versions) is the one the body fills.
func (c *Catalog) presentCount(et *EventType, doc any) int {
	n := 0
	for _, f := range et.Fields {
		if Present(doc, f.Path) {
			n++
		}
	}
	return n
}

// words says a version range in a sentence's words: "3.4 or later", "3.1 only", "3.1 to 3.3".
func (c *Catalog) words(lo, hi int) string {
	n := len(c.Versions)
	switch {
	case lo == hi:
		return c.Versions[lo].Name + " only"
	case hi == n-1:
		return c.Versions[lo].Name + " or later"
	case lo == 0:
		return c.Versions[hi].Name + " or earlier"
	}
	return c.Versions[lo].Name + " to " + c.Versions[hi].Name
}

// Present reports whether doc holds a value at the path pattern (see Field: "." joins keys,
// "[]" is any element of an array, "*" any key).
func Present(doc any, pattern string) bool {
	return present(doc, patternSegs(pattern))
}

func present(v any, segs []string) bool {
	if len(segs) == 0 {
		return true
	}
	s, rest := segs[0], segs[1:]
	switch x := v.(type) {
	case map[string]any:
		if s == "*" {
			for _, e := range x {
				if present(e, rest) {
					return true
				}
			}
			return false
		}
		e, ok := x[s]
		return ok && present(e, rest)
	case []any:
		if s != "[]" {
			return false
		}
		for _, e := range x {
			if present(e, rest) {
				return true
			}
		}
	}
	return false
}

// Link checks the catalog's version data and links renames both ways: every Since, Until and
// RenamedTo must name a known version or entry, and each RenamedTo gains the matching
// RenamedFrom on its target. Vendor packages call it once when they build their catalog; it
// returns every problem found (nil when the catalog is consistent).
func (c *Catalog) Link() []error {
	var errs []error
	known := func(what, v string) {
		if v != "" && c.Index(v) < 0 {
			errs = append(errs, fmt.Errorf("%s: unknown version %q", what, v))
		}
	}
	for i := range c.Common {
		f := &c.Common[i]
		known("common "+f.Path, f.Since)
		known("common "+f.Path, f.Until)
	}
	for i := range c.Events {
		et := &c.Events[i]
		known(et.Name, et.Since)
		known(et.Name, et.Until)
		if et.RenamedTo != "" {
			to := c.EventType(et.RenamedTo)
			if to == nil {
				errs = append(errs, fmt.Errorf("%s: renamed to unknown event type %q", et.Name, et.RenamedTo))
			} else if !containsStr(to.RenamedFrom, et.Name) {
				to.RenamedFrom = append(to.RenamedFrom, et.Name)
			}
		}
		for j := range et.Fields {
			f := &et.Fields[j]
			known(et.Name+" "+f.Path, f.Since)
			known(et.Name+" "+f.Path, f.Until)
			if f.RenamedTo == "" {
				continue
			}
			found := false
			for k := range et.Fields {
				if et.Fields[k].Path == f.RenamedTo {
					found = true
					if !containsStr(et.Fields[k].RenamedFrom, f.Path) {
						et.Fields[k].RenamedFrom = append(et.Fields[k].RenamedFrom, f.Path)
					}
				}
			}
			if !found {
				errs = append(errs, fmt.Errorf("%s %s: renamed to unknown field %q", et.Name, f.Path, f.RenamedTo))
			}
		}
	}
	return errs
}

// Canonical returns the newest name of event type name, following renames ("thread_closed" →
// "chat_deactivated"), so that code downstream (lifecycle, search, summaries) needs to know
// only one name. A name that was never renamed is returned as is.
func (c *Catalog) Canonical(name string) string {
	for range 16 { // renames form short chains; the bound guards against a cycle in bad data
		et := c.EventType(name)
		if et == nil || et.RenamedTo == "" {
			return name
		}
		name = et.RenamedTo
	}
	return name
}

// Names returns every name event type name has had or will have (itself included), oldest
// first along the rename chain.
func (c *Catalog) Names(name string) []string {
	name = c.Canonical(name)
	var out []string
	var walk func(n string)
	walk = func(n string) {
		if containsStr(out, n) {
			return
		}
		if et := c.EventType(n); et != nil {
			for _, from := range et.RenamedFrom {
				walk(from)
			}
		}
		out = append(out, n)
	}
	walk(name)
	return out
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// VersionNames returns the names of the catalog's versions, oldest first, joined for messages.
func (c *Catalog) VersionNames() string {
	names := make([]string, len(c.Versions))
	for i, v := range c.Versions {
		names[i] = v.Name
	}
	return strings.Join(names, ", ")
}
