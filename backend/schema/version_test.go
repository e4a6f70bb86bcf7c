package schema_test

import (
	"encoding/json"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/schema"
)

// versioned is a vendor whose catalog has versions: a field renamed in version 2, an event
// type that exists from version 2, and one name declared twice with different shapes.
type versioned struct{}

var versionedCatalog = func() *decode.Catalog {
	c := &decode.Catalog{Vendor: "vers",
		Versions: []decode.APIVersion{{Name: "1", Label: "v1"}, {Name: "2", Label: "v2"}},
		Common: []decode.Field{{Path: "kind", Type: "string", Required: true, Description: "The event type."},
			{Path: "at", Type: "string", Format: "date-time", Description: "When."}},
		Events: []decode.EventType{
			{Name: "made", Description: "Made.",
				Fields: []decode.Field{{Path: "old_id", Type: "integer", Required: true, Description: "Old id.", Range: decode.Range{Until: "1"}, RenamedTo: "id"},
					{Path: "id", Type: "string", Format: "uuid", Required: true, Description: "Id.", Range: decode.Range{Since: "2"}}}},
			{Name: "twice", Description: "Twice, first shape.", Range: decode.Range{Until: "1"},
				Fields: []decode.Field{{Path: "a", Type: "integer", Required: true, Description: "A."}}},
			{Name: "twice", Description: "Twice, second shape.", Range: decode.Range{Since: "2"},
				Fields: []decode.Field{{Path: "b", Type: "string", Required: true, Description: "B."}}},
			{Name: "gone", Description: "Gone.", Range: decode.Range{Since: "2"}, Deprecated: "use made",
				Fields: []decode.Field{{Path: "why", Type: "string", Enum: []string{"a", "b"}, Description: "Why."}}},
		}}
	if errs := c.Link(); len(errs) > 0 {
		panic(errs)
	}
	return c
}()

func (versioned) Name() string                                      { return "vers" }
func (versioned) Info() decode.Info                                 { return decode.Info{DisplayName: "Vers"} }
func (versioned) Rules() backend.Rules                              { return backend.Rules{} }
func (versioned) PathPrefix() string                                { return "/vers" }
func (versioned) Match(*decode.Input) bool                          { return false }
func (versioned) Decode(*decode.Input, *backend.Event)              {}
func (versioned) Verify(*decode.Input, string) backend.Verification { return backend.Verification{} }
func (versioned) Catalog() *decode.Catalog                          { return versionedCatalog }
func (versioned) EventTypePath() string                             { return "kind" }

// TestBuild_Versions: --version picks one version's catalog (the newest by default), "all"
// merges every shape of a name, ranges and renames reach x-hooklens-versions, formats reach
// format, deprecations reach deprecated, and an unknown version names the known ones.
func TestBuild_Versions(t *testing.T) {
	newest, err := schema.Build(versioned{}, schema.Options{})
	if err != nil || newest.Version != "2" || len(newest.Events) != 3 {
		t.Fatalf("newest = %+v, %v; want version 2 with made, twice and gone", newest, err)
	}
	if tw := newest.Event("twice"); tw.Root.Prop("b") == nil || tw.Root.Prop("a") != nil || tw.Description != "Twice, second shape." {
		t.Errorf("twice in v2 = %+v", tw)
	}
	if made := newest.Event("made"); made.Root.Prop("id") == nil || made.Root.Prop("old_id") != nil || made.Root.Prop("id").Format != "uuid" {
		t.Errorf("made in v2 = %+v", made.Root.Props)
	}
	v1, err := schema.Build(versioned{}, schema.Options{Version: "1"})
	if err != nil || v1.Event("gone") != nil || v1.Event("made").Root.Prop("old_id") == nil || v1.Event("made").Root.Prop("id") != nil ||
		v1.Event("twice").Root.Prop("a") == nil || v1.Event("twice").Root.Prop("b") != nil {
		t.Fatalf("v1 = %+v, %v", v1, err)
	}
	all, err := schema.Build(versioned{}, schema.Options{Version: "all"})
	if err != nil || all.Version != "" {
		t.Fatal(err)
	}
	tw := all.Event("twice")
	if len(all.Events) != 3 || tw.Root.Prop("a") == nil || tw.Root.Prop("b") == nil || tw.Since != "" || tw.Until != "" {
		t.Errorf("all: twice = %+v; want both shapes over every version", tw)
	}
	b, _ := all.Bundle()
	var bundle struct {
		Defs map[string]struct {
			Deprecated bool `json:"deprecated"`
			Properties map[string]map[string]any
		} `json:"$defs"`
	}
	json.Unmarshal(b, &bundle)
	old := bundle.Defs["Made"].Properties["old_id"]["x-hooklens-versions"].(map[string]any)
	if old["until"] != "1" || old["renamed_to"] != "id" {
		t.Errorf("old_id versions = %v", old)
	}
	if from := bundle.Defs["Made"].Properties["id"]["x-hooklens-versions"].(map[string]any)["renamed_from"]; from == nil {
		t.Errorf("id has no renamed_from")
	}
	if bundle.Defs["Made"].Properties["at"]["format"] != "date-time" || !bundle.Defs["Gone"].Deprecated {
		t.Errorf("format or deprecated lost: %s", b)
	}
	sch := compile(t, all.BundleID(), b)
	for body, ok := range map[string]bool{
		`{"kind":"made","old_id":3}`:                                  true,
		`{"kind":"made","id":"3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}`: true,
		`{"kind":"gone","why":"c"}`:                                   false,
		`{"kind":"nope"}`:                                             false,
		`{"kind":"made","old_id":3,"extra":1}`:                        false,
	} {
		if problems, _ := validate(sch, []byte(body)); (problems == "") != ok {
			t.Errorf("%s: %q; want valid %v", body, problems, ok)
		}
	}
	if _, err := schema.Build(versioned{}, schema.Options{Version: "9"}); err == nil || !strings.Contains(err.Error(), "known: 1, 2, or all") {
		t.Errorf("unknown version: %v", err)
	}
	ts := newest.TypeScript()
	if !strings.Contains(ts2(ts), "@deprecated use made") || !strings.Contains(ts2(ts), "Versions: 2 and later.") {
		t.Errorf("TypeScript lacks the deprecation or versions:\n%s", ts)
	}
}

func ts2(b []byte) string { return string(b) }
