package main

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/invopop/jsonschema"

	"hooklens/backend"
)

// schemaID names the schema document (docs/api.schema.json).
const schemaID = "https://hooklens.local/api/v1/schema.json"

// generator builds one JSON Schema whose $defs are every type the API sends or reads.
type generator struct {
	r      *jsonschema.Reflector
	defs   jsonschema.Definitions
	owners map[string]reflect.Type // TypeScript name → Go type
	done   map[reflect.Type]bool
	used   map[string]bool // "enum Type.field" and "nonnull Type.field" that matched a field
	errs   []error
}

// Build returns the schema of roots; an error when two Go types would share a TypeScript name or
// a name in enums or nonNull is not a field of the schema.
func Build(comments func(r *jsonschema.Reflector)) (*jsonschema.Schema, error) {
	g := &generator{defs: jsonschema.Definitions{}, owners: map[string]reflect.Type{},
		done: map[reflect.Type]bool{}, used: map[string]bool{}}
	g.r = &jsonschema.Reflector{
		Anonymous: true, // no $id per type: every type is a $def of the one document
		Namer:     g.name,
		Mapper:    g.mapType,
	}
	if comments != nil {
		comments(g.r)
	}
	for _, rt := range roots {
		t := reflect.TypeOf(rt.v)
		s := g.r.ReflectFromType(t)
		for name, d := range s.Definitions {
			if g.defs[name] == nil { // the first is kept: it may have been fixed already
				g.defs[name] = d
			}
		}
		g.fix(t, g.defs[g.name(t)], rt.request)
	}
	for key := range enums {
		if !g.used["enum "+key] {
			g.errs = append(g.errs, fmt.Errorf("typegen: enums: no field %s", key))
		}
	}
	for key := range nonNull {
		if !g.used["nonnull "+key] {
			g.errs = append(g.errs, fmt.Errorf("typegen: nonNull: no nullable field %s", key))
		}
	}
	if len(g.errs) > 0 {
		return nil, g.errs[0]
	}
	for name, d := range g.defs {
		d.Title = name
		bareRefs(d)
	}
	return &jsonschema.Schema{
		Version:     jsonschema.Version,
		ID:          schemaID,
		Title:       "Hooklens API v1",
		Description: "The bodies of the Hooklens HTTP API (/api/v1) and its live stream; generated from the Go types of backend/api by backend/api/internal/typegen. See docs/api.md.",
		Definitions: g.defs,
	}, nil
}

// name is the TypeScript name of t: names, else its Go name.
func (g *generator) name(t reflect.Type) string {
	n, ok := names[t]
	if !ok {
		n = t.Name()
	}
	if n == "" {
		return ""
	}
	if o, ok := g.owners[n]; ok && o != t {
		g.errs = append(g.errs, fmt.Errorf("typegen: %s and %s are both %s; add one to names", o, t, n))
	}
	g.owners[n] = t
	return n
}

// mapType gives the types with their own JSON encoding the schema of that encoding.
func (g *generator) mapType(t reflect.Type) *jsonschema.Schema {
	switch t {
	case reflect.TypeFor[backend.Header]():
		// Header.MarshalJSON: a [name, value] pair.
		name, two := g.name(t), uint64(2)
		g.defs[name] = &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Type: "string"},
			MinItems: &two, MaxItems: &two, Description: "A header as received: [name, value]."}
		return &jsonschema.Schema{Ref: "#/$defs/" + name}
	case reflect.TypeFor[time.Time]():
		return &jsonschema.Schema{Type: "string", Format: "date-time"}
	}
	return nil
}

// fix walks struct type t, whose schema is s, the way encoding/json does and states what
// jsonschema cannot know: fields of a nil embedded pointer are absent (not required), fields
// that can be null are typed so (unless nonNull), enums, and request bodies with every field
// optional (the API reads absent fields as zero).
func (g *generator) fix(t reflect.Type, s *jsonschema.Schema, request bool) {
	t = deref(t)
	if t.Kind() != reflect.Struct || s == nil || s.Properties == nil || g.done[t] && t.Name() != "" {
		return
	}
	if t.Name() != "" {
		g.done[t] = true
	}
	owner := g.name(t)
	var walk func(t reflect.Type, viaPtr bool)
	walk = func(t reflect.Type, viaPtr bool) {
		for f := range fields(t) {
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			omit := slices.Contains(strings.Split(opts, ","), "omitempty")
			if name == "-" || !f.IsExported() && !f.Anonymous {
				continue
			}
			if f.Anonymous && name == "" && deref(f.Type).Kind() == reflect.Struct {
				walk(deref(f.Type), viaPtr || f.Type.Kind() == reflect.Pointer)
				continue
			}
			if name == "" {
				name = f.Name
			}
			prop, ok := s.Properties.Get(name)
			if !ok {
				continue
			}
			key := owner + "." + name
			if request || viaPtr {
				s.Required = slices.DeleteFunc(s.Required, func(r string) bool { return r == name })
			}
			if vals, ok := enums[key]; ok {
				g.used["enum "+key] = true
				prop.Enum = nil
				for _, v := range vals {
					prop.Enum = append(prop.Enum, v)
				}
			}
			g.visit(f.Type, prop, request)
			k := f.Type.Kind()
			if !omit && !request && (k == reflect.Pointer || k == reflect.Slice || k == reflect.Map) {
				if nonNull[key] {
					g.used["nonnull "+key] = true
				} else {
					s.Properties.Set(name, &jsonschema.Schema{AnyOf: []*jsonschema.Schema{prop, {Type: "null"}}})
				}
			}
		}
	}
	walk(t, false)
}

// visit fixes the structs a field of type t reaches; prop is the field's schema.
func (g *generator) visit(t reflect.Type, prop *jsonschema.Schema, request bool) {
	for {
		switch t.Kind() {
		case reflect.Pointer:
			t = t.Elem()
			continue
		case reflect.Slice, reflect.Array:
			if t.Name() != "" {
				if d := g.defs[g.name(t)]; d != nil {
					g.visit(t.Elem(), d.Items, false)
				}
				return
			}
			t, prop = t.Elem(), prop.Items
			continue
		case reflect.Map:
			t, prop = t.Elem(), prop.AdditionalProperties
			continue
		case reflect.Struct:
			if t.Name() != "" {
				// Named types are shared by answers and requests: they keep their required fields.
				g.fix(t, g.defs[g.name(t)], false)
				return
			}
			g.fix(t, prop, request)
		}
		return
	}
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// fields yields the fields of struct t.
func fields(t reflect.Type) func(yield func(reflect.StructField) bool) {
	return func(yield func(reflect.StructField) bool) {
		for i := range t.NumField() {
			if !yield(t.Field(i)) {
				return
			}
		}
	}
}

// bareRefs drops the descriptions set beside a $ref (a field's comment): json-schema-to-typescript
// reads a $ref with siblings as a new type and would declare it again as TunnelStatus1.
func bareRefs(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if s.Ref != "" {
		s.Description = ""
	}
	for _, sub := range s.AnyOf {
		bareRefs(sub)
	}
	bareRefs(s.Items)
	bareRefs(s.AdditionalProperties)
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			bareRefs(p.Value)
		}
	}
}
