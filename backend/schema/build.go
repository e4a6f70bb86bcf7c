package schema

import (
	"fmt"
	"slices"
	"strings"

	"hooklens/backend/decode"
)

// Options choose what Build puts in a set.
type Options struct {
	// Version picks the catalog of one version (cat.At); "" is the newest, "all" every version.
	Version string
	// Events limits the set to these event types; empty means all.
	Events []string
}

// GenericVendor is the name of the set inferred from captures of any platform.
const GenericVendor = "generic"

// Build makes the set of vendor v from its catalog. An unknown version or event type is an
// error that names what exists.
func Build(v decode.Vendor, opt Options) (*Set, error) {
	cat := v.Catalog()
	s := &Set{Vendor: v.Name(), DisplayName: v.Info().DisplayName, Versions: cat.Versions, Retry: v.Rules().Retry}
	switch {
	case opt.Version == "all" || (opt.Version == "" && len(cat.Versions) == 0):
	case opt.Version == "":
		s.Version = cat.Newest()
		cat = cat.At(s.Version)
	case cat.Index(opt.Version) < 0:
		if len(cat.Versions) == 0 {
			return nil, fmt.Errorf("%s: unknown version %q: the catalog has no versions yet (leave the version out, or all)", v.Name(), opt.Version)
		}
		var names []string
		for _, av := range cat.Versions {
			names = append(names, av.Name)
		}
		return nil, fmt.Errorf("%s: unknown version %q (known: %s, or all)", v.Name(), opt.Version, strings.Join(names, ", "))
	default:
		s.Version = opt.Version
		cat = cat.At(opt.Version)
	}
	if d, ok := v.(decode.Discriminator); ok {
		s.Discriminator = d.EventTypePath()
	}
	if sg, ok := v.(decode.Signer); ok {
		s.SignatureHeader = sg.SignatureHeader()
	} else if th, ok := v.(decode.TokenHeaders); ok {
		s.SignatureHeader = th.TokenHeader()
	}
	s.SignatureMeaning = v.Info().Verification
	if bs, ok := v.(decode.BodySecret); ok {
		s.BodySecret = bs.BodySecretPath()
	}
	for _, name := range opt.Events {
		if cat.EventType(name) == nil {
			return nil, fmt.Errorf("%s: unknown event type %q%s", v.Name(), name, versionWords(s.Version))
		}
	}
	// With every version at once, a field that exists in only some of its event type's versions
	// cannot be required: a body of another version lacks it.
	partial := func(et, f decode.Range) bool { return false }
	if s.Version == "" && len(cat.Versions) > 0 {
		partial = func(et, f decode.Range) bool {
			return !cat.In(f, rangeStart(cat, et)) || !cat.In(f, rangeEnd(cat, et))
		}
	}
	for i := range cat.Events {
		et := &cat.Events[i]
		if len(opt.Events) > 0 && !slices.Contains(opt.Events, et.Name) {
			continue
		}
		root := &Node{Types: []string{"object"}, Documented: true}
		addFields(root, cat.Common, func(f decode.Range) bool { return partial(et.Range, f) })
		addFields(root, et.Fields, func(f decode.Range) bool { return partial(et.Range, f) })
		e := s.Event(et.Name)
		if e == nil {
			e = &Event{Name: et.Name, Description: et.Description, Category: et.Category, Deprecated: et.Deprecated,
				Family: et.Family, Range: et.Range, RenamedTo: et.RenamedTo, RenamedFrom: et.RenamedFrom, Root: root}
			s.Events = append(s.Events, e)
		} else {
			// one name, several shapes in different versions: a body may have either shape
			e.Range = widen(cat, e.Range, et.Range)
			e.Description = et.Description // the newest shape's words
			union(e.Root, root)
		}
		e.pin(s.Discriminator)
	}
	s.share()
	return s, nil
}

func versionWords(v string) string {
	if v == "" {
		return ""
	}
	return " in version " + v
}

// widen returns the range covering a and b.
func widen(cat *decode.Catalog, a, b decode.Range) decode.Range {
	out := a
	if a.Since != "" && (b.Since == "" || cat.Index(b.Since) < cat.Index(a.Since)) {
		out.Since = b.Since
	}
	if a.Until != "" && (b.Until == "" || cat.Index(b.Until) > cat.Index(a.Until)) {
		out.Until = b.Until
	}
	return out
}

// pin sets the event type's name as the constant of the discriminator field when the event
// type documents that field as required, and requires the path to it: a body without it is
// not this event type. (An event type of another format may allow the field without
// requiring it: it is not pinned.)
func (e *Event) pin(path string) {
	if path == "" {
		return
	}
	n := e.Root
	var chain []*Node
	for _, k := range strings.Split(path, ".") {
		if n = n.Prop(k); n == nil {
			return
		}
		chain = append(chain, n)
	}
	if !n.Required {
		return
	}
	for _, c := range chain {
		c.Required = true
	}
	n.Const = e.Name
	e.Pinned = true
}

// rangeStart and rangeEnd name the first and last version of r in cat.
func rangeStart(cat *decode.Catalog, r decode.Range) string {
	if r.Since != "" {
		return r.Since
	}
	return cat.Versions[0].Name
}

func rangeEnd(cat *decode.Catalog, r decode.Range) string {
	if r.Until != "" {
		return r.Until
	}
	return cat.Newest()
}

// union merges shape b into a: members of both keep their requirement only when both require
// them; members of one shape only are optional.
func union(a, b *Node) {
	for _, c := range a.Props {
		if b.Prop(c.Key) == nil {
			c.Required = false
		}
	}
	for _, bc := range b.Props {
		ac := a.Prop(bc.Key)
		if ac == nil {
			bc.Required = false
			a.Props = append(a.Props, bc)
			continue
		}
		ac.Required = ac.Required && bc.Required
		union(ac, bc)
	}
	for _, pair := range [][2]**Node{{&a.Star, &b.Star}, {&a.Elem, &b.Elem}} {
		switch {
		case *pair[0] == nil:
			*pair[0] = *pair[1]
		case *pair[1] != nil:
			union(*pair[0], *pair[1])
		}
	}
	if !slices.Equal(a.Types, b.Types) && a.Types != nil {
		if b.Types == nil {
			a.Types = nil
		} else {
			for _, t := range b.Types {
				a.Types = addType(a.Types, t)
			}
		}
	}
	switch {
	case len(a.Enum) == 0 || len(b.Enum) == 0:
		a.Enum = nil // one shape allows any value
	default:
		for _, v := range b.Enum {
			if !slices.Contains(a.Enum, v) {
				a.Enum = append(slices.Clone(a.Enum), v)
			}
		}
	}
	a.Open = a.Open || b.Open
}

// addFields adds catalog fields to root; a later field with the same path replaces an earlier
// one. partial reports whether a field's range leaves out some versions of its event type.
func addFields(root *Node, fields []decode.Field, partial func(decode.Range) bool) {
	for i := range fields {
		f := &fields[i]
		n := root
		for _, s := range decode.PathSteps(f.Path) {
			n = n.child(s, true)
		}
		if n == root {
			continue
		}
		n.Types = types(f.Type)
		n.Enum = f.Enum
		n.Format = f.Format
		n.Description = f.Description
		n.Required = f.Required && !partial(f.Range)
		n.Open = f.Open
		n.Deprecated = f.Deprecated
		n.Range = f.Range
		n.RenamedTo, n.RenamedFrom = f.RenamedTo, f.RenamedFrom
		n.Documented, n.Implied = true, false
	}
}

// child returns the child of n for segment s, creating it when create is set.
func (n *Node) child(s string, create bool) *Node {
	switch s {
	case "[]":
		if n.Elem == nil && create {
			n.Elem = &Node{Key: s, Documented: true, Implied: true}
		}
		return n.Elem
	case "*":
		if n.Star == nil && create {
			n.Star = &Node{Key: s, Documented: true, Implied: true}
		}
		return n.Star
	}
	c := n.Prop(s)
	if c == nil && create {
		c = &Node{Key: s, Documented: true, Implied: true}
		n.Props = append(n.Props, c)
	}
	return c
}

// types splits a catalog type ("string|boolean"); "any" and "" give nil (anything).
func types(t string) []string {
	var out []string
	for _, p := range strings.Split(t, "|") {
		p = strings.TrimSpace(p)
		if p == "" || p == "any" {
			return nil
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// Flat is one field of a flattened tree: its path pattern and node.
type Flat struct {
	Path string
	Node *Node
}

// Flatten lists every field below root, parents before their members, as path patterns: keys
// joined by ".", "[]" for array elements, "*" for any other key.
func Flatten(root *Node) []Flat {
	var out []Flat
	var walk func(n *Node, path string)
	walk = func(n *Node, path string) {
		join := func(k string) string {
			switch {
			case k == "[]":
				return path + "[]"
			case path == "":
				return k
			}
			return path + "." + k
		}
		for _, c := range n.Props {
			p := join(c.Key)
			out = append(out, Flat{p, c})
			walk(c, p)
		}
		if n.Star != nil {
			p := join("*")
			out = append(out, Flat{p, n.Star})
			walk(n.Star, p)
		}
		if n.Elem != nil {
			p := join("[]")
			out = append(out, Flat{p, n.Elem})
			walk(n.Elem, p)
		}
	}
	walk(root, "")
	return out
}
