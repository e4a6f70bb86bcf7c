package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"hooklens/backend/api"
	"hooklens/backend/settings"
)

func mustBuild(t *testing.T) map[string]map[string]any {
	t.Helper()
	s, err := Build(nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	b, err := marshal(s)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var doc struct {
		Defs map[string]map[string]any `json:"$defs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	return doc.Defs
}

// TestBuild_Roots checks that the zero value of every root encodes to what its schema says: every
// key it writes is a property, every required property is written.
func TestBuild_Roots(t *testing.T) {
	defs := mustBuild(t)
	for _, rt := range roots {
		typ := reflect.TypeOf(rt.v)
		name := names[typ]
		if name == "" {
			name = typ.Name()
		}
		t.Run(name, func(t *testing.T) {
			def, ok := defs[name]
			if !ok {
				t.Fatalf("no $defs/%s", name)
			}
			if def["type"] != "object" {
				return // DeliveriesMessage: an array
			}
			b, _ := json.Marshal(rt.v)
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			props, _ := def["properties"].(map[string]any)
			for k := range got {
				if _, ok := props[k]; !ok {
					t.Errorf("%s encodes %q; the schema has no such property", name, k)
				}
			}
			req, _ := def["required"].([]any)
			for _, r := range req {
				if _, ok := got[r.(string)]; !ok && !rt.request {
					t.Errorf("%s requires %q; the zero value does not encode it", name, r)
				}
			}
			if rt.request && len(req) > 0 {
				t.Errorf("request %s requires %v; the API reads absent fields as zero", name, req)
			}
		})
	}
}

// TestBuild_Fixes checks what typegen states beyond reflection.
func TestBuild_Fixes(t *testing.T) {
	defs := mustBuild(t)
	prop := func(def, name string) map[string]any {
		t.Helper()
		p, _ := defs[def]["properties"].(map[string]any)[name].(map[string]any)
		if p == nil {
			t.Fatalf("no %s.%s", def, name)
		}
		return p
	}
	nullable := func(p map[string]any) bool {
		for _, s := range p["anyOf"].([]any) {
			if s.(map[string]any)["type"] == "null" {
				return true
			}
		}
		return false
	}
	if p := prop("DeliveryItem", "occurred_at"); p["anyOf"] == nil || !nullable(p) {
		t.Errorf("DeliveryItem.occurred_at = %v; want string or null", p)
	}
	if p := prop("DeliveryPage", "items"); p["anyOf"] != nil {
		t.Errorf("DeliveryPage.items = %v; want never null (nonNull)", p)
	}
	if p := prop("Verification", "status"); !slices.Contains(p["enum"].([]any), any("mismatch")) {
		t.Errorf("Verification.status enum = %v; want the Verify* constants", p["enum"])
	}
	if h := defs["HeaderPair"]; h["type"] != "array" || h["minItems"] != 2.0 || h["maxItems"] != 2.0 {
		t.Errorf("HeaderPair = %v; want an array of two strings (Header.MarshalJSON)", h)
	}
	if req := defs["Settings"]["required"].([]any); !slices.Equal(req, []any{"secrets", "ports", "retention", "responses", "theme", "notifications", "sync"}) {
		t.Errorf("Settings requires %v; want the secrets and every field of the embedded View", req)
	}
}

// TestName_Conflict checks that two Go types with one TypeScript name fail the generator.
func TestName_Conflict(t *testing.T) {
	g := &generator{owners: map[string]reflect.Type{}}
	g.name(reflect.TypeFor[api.Health]())
	type Health struct{}
	g.name(reflect.TypeFor[Health]())
	if len(g.errs) != 1 {
		t.Errorf("errs = %v; want one conflict", g.errs)
	}
	g.errs = nil
	g.name(reflect.TypeFor[settings.Patch]())
	g.name(reflect.TypeFor[settings.Patch]())
	if len(g.errs) != 0 {
		t.Errorf("errs = %v; want none for one type named twice", g.errs)
	}
}
