package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"hooklens/backend/decode"
)

// Dialect is the JSON Schema version of every generated schema.
const Dialect = "https://json-schema.org/draft/2020-12/schema"

// BaseURL starts the $id of every generated schema: an identifier, not a place to fetch from.
const BaseURL = "https://hooklens.dev/schema/"

// BundleID is the $id of the vendor's bundle.
func (s *Set) BundleID() string { return BaseURL + s.slug() + ".schema.json" }

// EventID is the $id of one event type's schema.
func (s *Set) EventID(e *Event) string { return BaseURL + s.slug() + "/" + e.Name + ".schema.json" }

func (s *Set) slug() string {
	if s.Version == "" {
		return s.Vendor
	}
	return s.Vendor + "/" + s.Version
}

// Bundle is the vendor's JSON Schema: every event type and shared definition in $defs, and a
// top-level oneOf that tells the event types apart by the discriminator field.
func (s *Set) Bundle() ([]byte, error) { return marshal(s.bundle("#/$defs/")) }

func (s *Set) bundle(refBase string) *omap {
	r := &renderer{set: s, ref: func(name string) string { return refBase + name }}
	m := newMap().set("$schema", Dialect).set("$id", s.BundleID()).
		set("title", s.title()+" webhooks").
		set("description", s.bundleDescription())
	var pinned, other []any
	for _, e := range s.Events {
		ref := newMap().set("$ref", r.ref(TypeName(e.Name)))
		if e.Pinned {
			pinned = append(pinned, ref)
		} else {
			other = append(other, ref)
		}
	}
	switch len(other) {
	case 0:
	case 1:
		pinned = append(pinned, other[0])
	default:
		// event types of another format, told apart by their own fields
		pinned = append(pinned, newMap().set("anyOf", other))
	}
	if len(pinned) > 0 {
		m.set("oneOf", pinned)
	}
	if s.Discriminator != "" {
		m.set("x-hooklens-discriminator", s.Discriminator)
	}
	defs := newMap()
	for _, e := range s.Events {
		defs.set(TypeName(e.Name), r.event(e, false))
	}
	for _, d := range s.Defs {
		defs.set(d.Name, r.node(d.Node, true))
	}
	m.set("$defs", defs)
	return m
}

func (s *Set) title() string {
	t := s.DisplayName
	if t == "" {
		t = s.Vendor
	}
	if s.Version != "" {
		t += " " + s.Version
	}
	return t
}

func (s *Set) bundleDescription() string {
	d := "Every event type Hooklens knows of " + s.title() + ", generated from its catalog"
	if s.Generic {
		d = "Types inferred from captured deliveries"
	}
	if s.Discriminator != "" {
		d += "; the field " + s.Discriminator + " names the event type"
	}
	return d + "."
}

// EventSchema is the standalone JSON Schema of one event type, with the shared definitions it
// uses in its own $defs.
func (s *Set) EventSchema(name string) ([]byte, error) {
	e := s.Event(name)
	if e == nil {
		return nil, fmt.Errorf("%s: no event type %q", s.Vendor, name)
	}
	return marshal(s.eventSchema(e))
}

func (s *Set) eventSchema(e *Event) *omap {
	r := &renderer{set: s, ref: func(name string) string { return "#/$defs/" + name }}
	m := newMap().set("$schema", Dialect).set("$id", s.EventID(e))
	body := r.event(e, true)
	for _, k := range body.keys {
		m.set(k, body.vals[k])
	}
	if used := s.usedDefs(e.Root); len(used) > 0 {
		defs := newMap()
		for _, d := range used {
			defs.set(d.Name, r.node(d.Node, true))
		}
		m.set("$defs", defs)
	}
	return m
}

// usedDefs returns the shared definitions reachable from n, in the set's order.
func (s *Set) usedDefs(n *Node) []*Def {
	seen := map[*Def]bool{}
	var walk func(n *Node, top bool)
	walk = func(n *Node, top bool) {
		if n.def != nil && !top {
			if seen[n.def] {
				return
			}
			seen[n.def] = true
			walk(n.def.Node, true)
			return
		}
		for _, c := range n.children() {
			walk(c, false)
		}
	}
	walk(n, true)
	var out []*Def
	for _, d := range s.Defs {
		if seen[d] {
			out = append(out, d)
		}
	}
	return out
}

type renderer struct {
	set *Set
	ref func(name string) string
}

// event renders an event type's schema (without $schema/$id).
func (r *renderer) event(e *Event, examples bool) *omap {
	m := newMap().set("title", r.set.title()+" "+e.Name)
	desc := e.Description
	if e.Deprecated != "" {
		desc = strings.TrimSpace(desc + " Deprecated: " + e.Deprecated + ".")
	}
	if desc != "" {
		m.set("description", desc)
	}
	if e.Deprecated != "" {
		m.set("deprecated", true)
	}
	m.set("x-hooklens-event", e.Name)
	if v := versions(e.Range, e.RenamedTo, e.RenamedFrom); v != nil {
		m.set("x-hooklens-versions", v)
	}
	if e.Observed != nil {
		m.set("x-hooklens-observed", e.Observed)
	}
	body := r.node(e.Root, true)
	for _, k := range body.keys {
		if k == "description" {
			continue
		}
		m.set(k, body.vals[k])
	}
	if examples && e.Captured && e.Example != nil {
		m.set("examples", []any{e.Example})
	}
	return m
}

// versions is x-hooklens-versions: the versions something exists in and its renames.
func versions(rg decode.Range, to string, from []string) *omap {
	if rg.Since == "" && rg.Until == "" && to == "" && len(from) == 0 {
		return nil
	}
	v := newMap()
	if rg.Since != "" {
		v.set("since", rg.Since)
	}
	if rg.Until != "" {
		v.set("until", rg.Until)
	}
	if to != "" {
		v.set("renamed_to", to)
	}
	if len(from) > 0 {
		v.set("renamed_from", from)
	}
	return v
}

// node renders n; top is true for the root of an event type or of a shared definition (which
// are rendered in place, not as a $ref).
func (r *renderer) node(n *Node, top bool) *omap {
	m := newMap()
	if n.Description != "" {
		d := n.Description
		if n.Deprecated != "" {
			d = strings.TrimSpace(d + " Deprecated: " + n.Deprecated + ".")
		}
		m.set("description", d)
	}
	if n.Deprecated != "" {
		m.set("deprecated", true)
	}
	if v := versions(n.Range, n.RenamedTo, n.RenamedFrom); v != nil {
		m.set("x-hooklens-versions", v)
	}
	if n.Observed != nil {
		m.set("x-hooklens-observed", n.Observed)
		if !n.Documented {
			m.set("x-hooklens-documented", false)
		}
		if len(n.Widened) > 0 {
			m.set("x-hooklens-widened", n.Widened)
		}
	}
	if n.Absent > 0 {
		m.set("x-hooklens-absent", n.Absent)
	}
	if n.def != nil && !top {
		return m.set("$ref", r.ref(n.def.Name))
	}
	switch len(n.Types) {
	case 0:
	case 1:
		m.set("type", n.Types[0])
	default:
		m.set("type", n.Types)
	}
	if n.Const != "" {
		m.set("const", n.Const)
	}
	enum := enumValues(n)
	arrayEnum := len(enum) > 0 && len(n.Types) == 1 && n.Types[0] == "array"
	if len(enum) > 0 && !arrayEnum {
		m.set("enum", enum)
	}
	if n.Format != "" {
		m.set("format", n.Format)
	}
	if len(n.Props) > 0 {
		props := newMap()
		var req []string
		for _, c := range n.Props {
			props.set(c.Key, r.node(c, false))
			if c.Required {
				req = append(req, c.Key)
			}
		}
		m.set("properties", props)
		if len(req) > 0 {
			m.set("required", req)
		}
	}
	switch {
	case n.Open:
	case n.Star != nil:
		m.set("additionalProperties", r.node(n.Star, false))
	case r.set.Generic:
	case len(n.Props) > 0 || slices.Contains(n.Types, "object"):
		m.set("additionalProperties", false)
	}
	switch {
	case n.Elem != nil:
		items := r.node(n.Elem, false)
		if arrayEnum && items.get("enum") == nil && items.get("$ref") == nil {
			items.set("enum", enum)
		}
		m.set("items", items)
	case arrayEnum:
		m.set("items", newMap().set("enum", enum))
	}
	return m
}

// enumValues converts the catalog's values to the JSON values the node's types allow: "3"
// stands for 3 in an integer field. Null stays allowed where the type allows it (the catalog's
// checker does not hold null against a list of values).
func enumValues(n *Node) []any {
	if len(n.Enum) == 0 {
		return nil
	}
	var out []any
	add := func(v any) {
		for _, have := range out {
			if fmt.Sprint(have) == fmt.Sprint(v) && fmt.Sprintf("%T", have) == fmt.Sprintf("%T", v) {
				return
			}
		}
		out = append(out, v)
	}
	for _, e := range n.Enum {
		if n.Types == nil || n.Allows("string") || slices.Contains(n.Types, "array") {
			add(e)
		}
		if n.Allows("number") || n.Allows("integer") {
			if _, err := strconv.ParseFloat(e, 64); err == nil {
				add(json.Number(e))
			}
		}
		if n.Allows("boolean") {
			if b, err := strconv.ParseBool(e); err == nil {
				add(b)
			}
		}
	}
	if slices.Contains(n.Types, "null") {
		out = append(out, nil)
	}
	return out
}
