package decode

import (
	"fmt"

	"hooklens/backend"
)

// Pins are the API version the user pinned per vendor (vendor id → version name); a pinned
// version decides the catalog drift is checked against.
type Pins map[string]string

// WithPins returns a registry with the same vendors that checks drift against the pinned
// versions. Unpinned vendors use the newest version the delivery could come from.
func (r *Registry) WithPins(p Pins) *Registry {
	if r == nil {
		return nil
	}
	out := &Registry{vendors: r.vendors, pins: Pins{}}
	for k, v := range p {
		out.pins[k] = v
	}
	return out
}

// Pins returns the pinned versions (a copy).
func (r *Registry) Pins() Pins {
	out := Pins{}
	if r != nil {
		for k, v := range r.pins {
			out[k] = v
		}
	}
	return out
}

// CheckPin reports an error when version is not a version of vendor's catalog.
func (r *Registry) CheckPin(vendor, version string) error {
	v := r.Vendor(vendor)
	if v == nil {
		return fmt.Errorf("unknown vendor %q (known: %v)", vendor, r.Names())
	}
	cat := safeCatalog(v)
	if cat == nil || cat.Index(version) < 0 {
		known := ""
		if cat != nil {
			known = cat.VersionNames()
		}
		if known == "" {
			return fmt.Errorf("%s has no API versions to pin", vendor)
		}
		return fmt.Errorf("%q is not a %s API version (known: %s)", version, vendor, known)
	}
	return nil
}

// versionCheck detects the API version of a delivery, picks the catalog of the version to
// check against (the pinned one, else the newest the delivery could come from) and turns
// differences between versions into other_version flags with words. It returns the flags and
// whether the event type is documented in some version.
func versionCheck(cat *Catalog, pin string, ev *backend.Event, doc any, form bool) []backend.Flag {
	decls := declarations(cat, ev.EventType)
	if len(decls) == 0 {
		return nil
	}
	for _, d := range decls {
		if d.Deprecated != "" {
			ev.Notes = append(ev.Notes, backend.Flag{Code: FlagDeprecated,
				Reason: fmt.Sprintf("%s is a deprecated event type: %s", ev.EventType, d.Deprecated)})
			break
		}
	}
	res := checkAs(cat, pin, ev.EventType, doc, form)
	// A body under an old name may carry its successor's shape (LiveChat's references show the
	// 3.5+ auto_accesses_updated list under the 3.4 label auto_access_added): when the newest
	// name explains the body better, say so in a note and check it as that.
	// (Judged without the pin: under a pin, an old name is version drift of its own.)
	if canon := cat.Canonical(ev.EventType); canon != ev.EventType {
		own, alt := checkAs(cat, "", ev.EventType, doc, form), checkAs(cat, "", canon, doc, form)
		if (len(own.flags) > 0 || !own.ok) && alt.ok && len(alt.flags) < len(own.flags) {
			alt = checkAs(cat, pin, canon, doc, form)
			ev.Notes = append(ev.Notes, backend.Flag{Code: FlagOtherVersion, Reason: fmt.Sprintf(
				"%s is an older name of %s; this body has the shape %s has in %s", ev.EventType, canon, canon, orAll(alt.label))})
			res = alt
		}
	}
	ev.APIVersion, ev.VersionEvidence = res.label, res.evidence
	if fam := decls[0].Family; fam != "" && ev.APIVersion == "" {
		ev.APIVersion = fam
	}
	return res.flags
}

// checked is the outcome of checking a body as one event type.
type checked struct {
	label    string
	evidence []backend.VersionEvidence
	flags    []backend.Flag
	ok       bool // the body's version evidence agrees
}

// checkAs detects the versions doc could come from as event type name and checks it against
// the pinned version, else the newest of them.
func checkAs(cat *Catalog, pin, name string, doc any, form bool) checked {
	var res checked
	decls := declarations(cat, name)
	lo, hi, evidence, ok := cat.Narrow(name, doc)
	res.ok = ok
	if lo < 0 { // a catalog without versions: check it as it is
		res.flags = check(cat, name, doc, form)
		return res
	}
	res.label = cat.Label(lo, hi)
	for _, e := range evidence {
		res.evidence = append(res.evidence, backend.VersionEvidence{Path: e.Path, Since: e.Range.Since, Until: e.Range.Until, Reason: e.Reason})
	}
	v := cat.Versions[hi].Name
	if pin != "" && cat.Index(pin) >= 0 {
		v = pin
		if cat.At(pin).EventType(name) == nil {
			res.flags = append(res.flags, eventElsewhere(cat, name, pin))
			v = nearest(cat, decls, pin) // check the fields against the nearest version that has it
		}
	}
	at := cat.At(v)
	for _, fl := range check(at, name, doc, form) {
		if fl.Code == FlagUnknownField {
			if f, d := fieldElsewhere(cat, decls, fl.Path); f != nil {
				fl.Code, fl.Reason = FlagOtherVersion, fieldWords(cat, f, d, v)
			}
		}
		if fl.Code == FlagMissingRequired && renamedPresent(at, name, fl.Path, doc) {
			continue // the field is there under the name another version gives it
		}
		res.flags = append(res.flags, fl)
	}
	return res
}

// declarations are the entries of cat named name (one per shape, disjoint ranges).
func declarations(cat *Catalog, name string) []*EventType {
	var out []*EventType
	for i := range cat.Events {
		if cat.Events[i].Name == name {
			out = append(out, &cat.Events[i])
		}
	}
	return out
}

// eventElsewhere says how the event type relates to version v: renamed, or not (yet) sent.
func eventElsewhere(cat *Catalog, name, v string) backend.Flag {
	reason := fmt.Sprintf("%s is not a %s event type", name, v)
	for _, d := range declarations(cat, name) {
		i := cat.Index(d.Until)
		switch {
		case d.RenamedTo != "" && i >= 0 && i+1 < len(cat.Versions):
			reason = fmt.Sprintf("%s was renamed %s in %s", name, d.RenamedTo, cat.Versions[i+1].Label)
			if to := cat.Canonical(name); to != d.RenamedTo {
				reason += fmt.Sprintf(" (%s since)", to)
			}
		default:
			if l := cat.RangeLabel(d.Range); l != "" {
				reason = fmt.Sprintf("%s exists in %s only, not in %s", name, l, v)
			}
		}
	}
	return backend.Flag{Code: FlagOtherVersion, Reason: reason}
}

// nearest returns the version closest to v in which one of decls exists.
func nearest(cat *Catalog, decls []*EventType, v string) string {
	best, dist, iv := v, len(cat.Versions)+1, cat.Index(v)
	for _, d := range decls {
		lo, hi := cat.span(d.Range)
		for i := lo; i <= hi; i++ {
			if x := abs(i - iv); x < dist {
				best, dist = cat.Versions[i].Name, x
			}
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fieldElsewhere finds the documented field (in any version) that a concrete path matches.
// It also returns the declaration it belongs to (the first one for a common field).
func fieldElsewhere(cat *Catalog, decls []*EventType, path string) (*Field, *EventType) {
	segs := PathSteps(path)
	for _, d := range decls {
		for i := range d.Fields {
			if matchPattern(d.Fields[i].Path, segs) {
				return &d.Fields[i], d
			}
		}
	}
	for i := range cat.Common {
		if matchPattern(cat.Common[i].Path, segs) {
			return &cat.Common[i], decls[0]
		}
	}
	return nil, nil
}

// fieldWords says in a sentence which versions know field f, checked against version v.
// The field's versions are those of its event type too: a field open at the start spans from
// the event type's first version, not from the catalog's.
func fieldWords(cat *Catalog, f *Field, d *EventType, v string) string {
	lo, hi := cat.span(f.Range)
	elo, ehi := cat.span(d.Range)
	if max(lo, elo) <= min(hi, ehi) {
		lo, hi = max(lo, elo), min(hi, ehi)
	}
	span := cat.Label(lo, hi)
	if lo < hi && hi == len(cat.Versions)-1 && lo > 0 {
		span = cat.Versions[lo].Name + "+"
	} else if lo < hi {
		span = cat.Versions[lo].Name + "–" + cat.Versions[hi].Name
	}
	if f.RenamedTo != "" {
		return fmt.Sprintf("%s is how %s name %s", f.Path, orAll(span), f.RenamedTo)
	}
	if len(f.RenamedFrom) > 0 {
		return fmt.Sprintf("%s is the %s name of %s", f.Path, orAll(span), f.RenamedFrom[0])
	}
	return fmt.Sprintf("%s is documented in %s, not in %s", f.Path, orAll(span), orAll(v))
}

func orAll(span string) string {
	if span == "" {
		return "every version"
	}
	if span[0] >= '0' && span[0] <= '9' {
		return "v" + span
	}
	return span
}

// renamedPresent reports whether a required field reported missing at path is present under
// a name it had in another version.
func renamedPresent(at *Catalog, name, path string, doc any) bool {
	et := at.EventType(name)
	if et == nil {
		return false
	}
	for _, f := range et.Fields {
		if matchPattern(f.Path, PathSteps(path)) {
			for _, old := range f.RenamedFrom {
				if Present(doc, old) {
					return true
				}
			}
		}
	}
	return false
}

// matchPattern reports whether pattern (a Field path) matches the concrete steps segs.
func matchPattern(pattern string, segs []string) bool {
	ps := patternSegs(pattern)
	if len(ps) != len(segs) {
		return false
	}
	for i, p := range ps {
		if p != segs[i] && !(p == "*" && segs[i] != "[]") {
			return false
		}
	}
	return true
}
