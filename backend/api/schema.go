package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/schema"
)

// Captures reads stored deliveries for schemas merged with what was observed (the store in
// production); nil answers observed=true with an error.
type Captures = schema.Source

// SchemaView is the answer of GET /api/v1/schema/{vendor} without a format: every event type
// of the vendor (and version) with its fields, explanations, values and an example, as the
// Catalog screen shows them.
type SchemaView struct {
	Vendor      string `json:"vendor"`
	DisplayName string `json:"display_name"`
	// Version is the version described; "" when the catalog has no versions or all are shown.
	Version  string              `json:"version"`
	Versions []decode.APIVersion `json:"versions"`
	// Discriminator is the body path that names the event type ("action").
	Discriminator string `json:"discriminator"`
	// Union is the name of the union of every event type in the generated code.
	Union string `json:"union"`
	// Observed is true when captured deliveries were merged; Deliveries counts them.
	Observed   bool          `json:"observed"`
	Deliveries int           `json:"deliveries"`
	Events     []SchemaEvent `json:"events"`
}

// SchemaEvent is one event type of a SchemaView.
type SchemaEvent struct {
	Name string `json:"name"`
	// TypeName is the name of its type in the generated TypeScript, Go and $defs.
	TypeName    string        `json:"type_name"`
	Description string        `json:"description"`
	Category    string        `json:"category"`
	Deprecated  string        `json:"deprecated"`
	Family      string        `json:"family"`
	Versions    string        `json:"versions"` // "3.4+", "" for every version
	RenamedTo   string        `json:"renamed_to"`
	RenamedFrom []string      `json:"renamed_from"`
	Documented  bool          `json:"documented"` // false: only seen in captures
	Seen        *SchemaSeen   `json:"seen"`       // captured deliveries of it, when merged
	Example     any           `json:"example"`    // a body of this event type
	Captured    bool          `json:"captured"`   // Example is a scrubbed capture, not made up
	Fields      []SchemaField `json:"fields"`
}

// SchemaSeen says how often and when something was seen in captured deliveries.
type SchemaSeen struct {
	Count     int       `json:"count"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// SchemaField is one field of an event type: its path pattern (keys joined by ".", "[]" for
// array elements, "*" for any key) and what is known of it.
type SchemaField struct {
	Path        string      `json:"path"`
	Type        string      `json:"type"` // "string", "integer|null", "" for any
	Required    bool        `json:"required"`
	Enum        []string    `json:"enum"`
	Format      string      `json:"format"`
	Description string      `json:"description"`
	Deprecated  string      `json:"deprecated"`
	Versions    string      `json:"versions"`
	Documented  bool        `json:"documented"`
	Seen        *SchemaSeen `json:"seen"`
	Widened     []string    `json:"widened"` // types seen that the catalog does not document
	Absent      int         `json:"absent"`  // deliveries where this required field was missing
}

// schemaFormats are the document formats of GET /api/v1/schema/{vendor}.
var schemaFormats = map[string]struct{ ext, mime string }{
	schema.FormatJSONSchema: {".schema.json", "application/schema+json"},
	schema.FormatOpenAPI:    {".openapi.json", "application/json"},
	schema.FormatTypeScript: {".ts", "text/plain; charset=utf-8"},
	schema.FormatGo:         {".go", "text/plain; charset=utf-8"},
}

// getSchema answers GET /api/v1/schema/{vendor}?format=&event=&version=&observed=true&download=1.
func (s *Server) getSchema(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := strings.ToLower(q.Get("format"))
	if _, ok := schemaFormats[format]; !ok && format != "" {
		writeError(w, backend.Errorf(backend.EINVALID, "format %q: want jsonschema, openapi, typescript, go, or none for the catalog view", format))
		return
	}
	observed := q.Get("observed") == "true" || q.Get("observed") == "1"
	set, seen, err := s.schemaSet(r.Context(), r.PathValue("vendor"), q.Get("version"), q["event"], observed)
	if err != nil {
		writeError(w, err)
		return
	}
	set.Examples()
	if format == "" {
		writeJSON(w, http.StatusOK, schemaView(s.Registry, set, observed, seen))
		return
	}
	files, err := schema.Render(set, format, false)
	if err != nil {
		writeError(w, fmt.Errorf("schema: %w", err))
		return
	}
	f := schemaFormats[format]
	w.Header().Set("Content-Type", f.mime)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if q.Get("download") != "" {
		name := set.Vendor
		if len(q["event"]) == 1 {
			name += "-" + q["event"][0]
		}
		if format == schema.FormatGo {
			name = schema.PackageName(set.Vendor)
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeFileName(name)+f.ext))
	}
	w.Write(files[0].Data)
}

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '"' || r < ' ' {
			return '_'
		}
		return r
	}, s)
}

// schemaSet builds the set of vendor, merged with the store's captures when observed.
func (s *Server) schemaSet(ctx context.Context, vendor, version string, events []string, observed bool) (*schema.Set, int, error) {
	var set *schema.Set
	if vendor == schema.GenericVendor {
		if !observed {
			return nil, 0, backend.Errorf(backend.EINVALID, "generic has no catalog: ask with observed=true to infer types from captured deliveries")
		}
		set = &schema.Set{Vendor: vendor, DisplayName: vendor, Generic: true}
	} else {
		v := s.Registry.Vendor(vendor)
		if v == nil {
			return nil, 0, backend.Errorf(backend.ENOTFOUND, "no vendor %q", vendor)
		}
		var err error
		if set, err = schema.Build(v, schema.Options{Version: version, Events: events}); err != nil {
			return nil, 0, backend.Errorf(backend.EINVALID, "%s", err.Error())
		}
	}
	if !observed {
		return set, 0, nil
	}
	if s.Captures == nil {
		return nil, 0, backend.Errorf(backend.EUNAVAILABLE, "observed schemas need the store, which this server does not have")
	}
	set, ob, err := schema.Observe(ctx, s.Captures, s.Registry, set, "", len(events) > 0)
	if err != nil {
		return nil, 0, err
	}
	return set, ob.Merged, nil
}

// schemaView flattens a set for the Catalog screen.
func schemaView(reg *decode.Registry, set *schema.Set, observed bool, merged int) SchemaView {
	out := SchemaView{Vendor: set.Vendor, DisplayName: set.DisplayName, Version: set.Version,
		Versions: append([]decode.APIVersion{}, set.Versions...), Discriminator: set.Discriminator,
		Union: set.UnionName(), Observed: observed, Deliveries: merged, Events: []SchemaEvent{}}
	var cat *decode.Catalog
	if v := reg.Vendor(set.Vendor); v != nil {
		cat = v.Catalog()
	}
	label := func(rg decode.Range) string {
		if cat == nil {
			return ""
		}
		return cat.RangeLabel(rg)
	}
	for _, e := range set.Events {
		se := SchemaEvent{Name: e.Name, TypeName: schema.TypeName(e.Name), Description: e.Description,
			Category: e.Category, Deprecated: e.Deprecated, Family: e.Family, Versions: label(e.Range),
			RenamedTo: e.RenamedTo, RenamedFrom: append([]string{}, e.RenamedFrom...),
			Documented: cat != nil && cat.EventType(e.Name) != nil,
			Seen:       seen(e.Observed), Example: e.Example, Captured: e.Captured, Fields: []SchemaField{}}
		for _, f := range schema.Flatten(e.Root) {
			n := f.Node
			se.Fields = append(se.Fields, SchemaField{Path: f.Path, Type: strings.Join(n.Types, "|"), Required: n.Required,
				Enum: append([]string{}, enumOrConst(n)...), Format: n.Format, Description: n.Description,
				Deprecated: n.Deprecated, Versions: label(n.Range), Documented: n.Documented, Seen: seen(n.Observed),
				Widened: append([]string{}, n.Widened...), Absent: n.Absent})
		}
		out.Events = append(out.Events, se)
	}
	return out
}

func enumOrConst(n *schema.Node) []string {
	if n.Const != "" {
		return []string{n.Const}
	}
	return slices.Clone(n.Enum)
}

func seen(o *schema.Observed) *SchemaSeen {
	if o == nil {
		return nil
	}
	return &SchemaSeen{Count: o.Count, FirstSeen: o.FirstSeen, LastSeen: o.LastSeen}
}
