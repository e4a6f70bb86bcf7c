package schema_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/schema"
)

func doc(t *testing.T, s string) any {
	t.Helper()
	v, err := decode.ParseJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestExamples_Validate: the example made up for every event type of every vendor passes the
// vendor's bundle.
func TestExamples_Validate(t *testing.T) {
	for _, v := range all.Registry().Vendors() {
		s, err := schema.Build(v, schema.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Examples()
		b, _ := s.Bundle()
		sch := compile(t, s.BundleID(), b)
		for _, e := range s.Events {
			body, _ := json.Marshal(e.Example)
			if problems, err := validate(sch, body); err != nil || problems != "" {
				t.Errorf("%s %s: example %s: %v %s", v.Name(), e.Name, body, err, problems)
			}
		}
	}
}

// TestMerge_ObservedFields: a capture with a member the catalog lacks, a wrong type and a
// required member missing: the member is added (observed, not documented), the type widened,
// the absence counted; the merged schema accepts the capture the catalog's schema rejects.
func TestMerge_ObservedFields(t *testing.T) {
	v := all.Registry().Vendors()[0]
	s, err := schema.Build(v, schema.Options{Version: "all"})
	if err != nil {
		t.Fatal(err)
	}
	s.Examples()
	var e *schema.Event
	for _, x := range s.Events {
		if x.Pinned && len(x.Root.Props) > 3 {
			e = x
			break
		}
	}
	if e == nil {
		t.Fatal("no pinned event type")
	}
	body := e.Example.(map[string]any)
	var dropped, retyped string
	for _, c := range e.Root.Props {
		if c.Required && c.Const == "" && dropped == "" && c.Key != strings.Split(s.Discriminator, ".")[0] {
			dropped = c.Key
			delete(body, c.Key)
		} else if !c.Required && c.Allows("string") && !c.Allows("boolean") && retyped == "" && len(c.Types) == 1 {
			retyped = c.Key
			body[c.Key] = true
		}
	}
	body["brand_new_field"] = map[string]any{"inner": json.Number("3")}
	raw, _ := json.Marshal(body)

	bundle, _ := s.Bundle()
	if problems, _ := validate(compile(t, s.BundleID(), bundle), raw); problems == "" {
		t.Fatalf("the catalog's schema accepts %s", raw)
	}
	t1 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	s.Merge([]schema.Capture{{Event: e.Name, Doc: doc(t, string(raw)), At: t2}, {Event: e.Name, Doc: doc(t, string(raw)), At: t1, Example: body}}, false)
	n := e.Root.Prop("brand_new_field")
	if n == nil || n.Documented || n.Observed == nil || n.Observed.Count != 2 || !n.Observed.FirstSeen.Equal(t1) || !n.Observed.LastSeen.Equal(t2) {
		t.Fatalf("brand_new_field = %+v; want observed twice, undocumented, first %v last %v", n, t1, t2)
	}
	if n.Required {
		t.Errorf("an observed member under a documented object is required")
	}
	if d := e.Root.Prop(dropped); dropped != "" && d.Absent != 2 {
		t.Errorf("%s absent %d times; want 2", dropped, d.Absent)
	}
	if r := e.Root.Prop(retyped); retyped != "" && !r.Allows("boolean") {
		t.Errorf("%s types %v; want widened with boolean", retyped, r.Types)
	}
	if e.Observed == nil || e.Observed.Count != 2 || !e.Captured {
		t.Errorf("event observed %+v captured %v", e.Observed, e.Captured)
	}
	merged, _ := s.Bundle()
	for _, want := range []string{`"x-hooklens-observed"`, `"x-hooklens-documented": false`, `"x-hooklens-absent": 2`, `"x-hooklens-widened"`} {
		if !strings.Contains(string(merged), want) {
			t.Errorf("merged bundle lacks %s", want)
		}
	}
	// still required in the schema (the catalog says so), so the capture still fails on that
	// member alone; without it, the merged schema accepts the capture
	one, _ := s.EventSchema(e.Name)
	problems, _ := validate(compile(t, s.EventID(e), one), raw)
	if dropped != "" && (!strings.Contains(problems, dropped) || strings.Contains(problems, "brand_new_field") || (retyped != "" && strings.Contains(problems, "'/"+retyped+"'"))) {
		t.Errorf("merged schema problems:\n%s\nwant only the missing %s", problems, dropped)
	}
	if !strings.Contains(string(one), `"examples"`) {
		t.Errorf("event schema has no captured example")
	}
}

// TestInfer_Generic: bodies of an unknown platform get a type per value of their event-type
// field, merging samples: members seen in every body are required, others optional, types
// widened; the inferred schema accepts every sample and the TypeScript compiles.
func TestInfer_Generic(t *testing.T) {
	caps := []schema.Capture{
		{Doc: doc(t, `{"type":"order.created","id":1,"total":9.5,"customer":{"email":"a@example.com"}}`)},
		{Doc: doc(t, `{"type":"order.created","id":2,"total":10,"note":null,"customer":{"email":"b@example.com","name":"B"}}`)},
		{Doc: doc(t, `{"type":"order.paid","id":"x3","items":[{"sku":"a"},{"sku":"b","qty":2}]}`)},
	}
	s := schema.Infer(schema.GenericVendor, caps)
	if s.Discriminator != "type" || len(s.Events) != 2 {
		t.Fatalf("discriminator %q, %d events; want type, 2", s.Discriminator, len(s.Events))
	}
	created := s.Event("order.created")
	if !created.Pinned || !created.Root.Prop("id").Required || created.Root.Prop("note").Required {
		t.Errorf("order.created: pinned %v, id required %v, note required %v", created.Pinned, created.Root.Prop("id").Required, created.Root.Prop("note").Required)
	}
	if got := created.Root.Prop("total").Types; len(got) != 1 || got[0] != "number" {
		t.Errorf("total types %v; want [number]", got)
	}
	if c := created.Root.Prop("customer"); c.Prop("email") == nil || !c.Prop("email").Required || c.Prop("name").Required {
		t.Errorf("customer members not inferred: %+v", c)
	}
	b, _ := s.Bundle()
	sch := compile(t, s.BundleID(), b)
	for _, c := range caps {
		raw, _ := json.Marshal(c.Doc)
		if problems, _ := validate(sch, raw); problems != "" {
			t.Errorf("inferred schema rejects %s:\n%s", raw, problems)
		}
	}
	if !strings.Contains(string(s.TypeScript()), "export interface OrderCreated") {
		t.Errorf("no OrderCreated interface")
	}
	if one := schema.Infer(schema.GenericVendor, caps[:1]); one.Discriminator != "type" {
		t.Errorf("one sample: discriminator %q", one.Discriminator)
	}
	if none := schema.Infer(schema.GenericVendor, []schema.Capture{{Doc: doc(t, `{"a":1}`)}, {Doc: doc(t, `{"a":"x","b":true}`)}}); len(none.Events) != 1 || none.Events[0].Name != "event" {
		t.Errorf("bodies without a common event-type field: %d events", len(none.Events))
	}
}
