package schema_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"hooklens/backend/decode/all"
	"hooklens/backend/schema"
)

// TestOpenAPI_Valid: each vendor's document passes the OpenAPI 3.1 schema (validated by an
// independent JSON Schema validator), libopenapi builds its model without errors with a
// webhook per event type, the signature header where the vendor signs in a header, and a
// request body schema that accepts each golden sample the bundle accepts and rejects the others.
func TestOpenAPI_Valid(t *testing.T) {
	oas := compile(t, "https://spec.openapis.org/oas/3.1/schema/2022-10-07", []byte(datamodel.OpenAPI31SchemaData))
	for _, bad := range []string{`{"openapi":"3.1.0"}`, `{"openapi":"3.1.0","info":{"title":"x","version":"1"},"webhooks":{"a":{"post":{"responses":{"2XX":"no"}}}}}`} {
		if problems, _ := validate(oas, []byte(bad)); problems == "" {
			t.Fatalf("the OpenAPI 3.1 schema accepts %s", bad)
		}
	}
	samples := goldenSamples(t)
	for _, v := range all.Registry().Vendors() {
		s, err := schema.Build(v, schema.Options{Version: "all"})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := s.OpenAPI()
		if err != nil {
			t.Fatal(err)
		}
		if problems, err := validate(oas, doc); err != nil || problems != "" {
			t.Fatalf("%s: the document breaks the OpenAPI 3.1 schema: %v\n%s", v.Name(), err, problems)
		}
		d, err := libopenapi.NewDocument(doc)
		if err != nil {
			t.Fatalf("%s: libopenapi: %v", v.Name(), err)
		}
		model, err := d.BuildV3Model()
		if err != nil {
			t.Fatalf("%s: libopenapi model: %v", v.Name(), err)
		}
		if got := model.Model.Webhooks.Len(); got != len(s.Events) {
			t.Errorf("%s: %d webhooks; want %d", v.Name(), got, len(s.Events))
		}
		for _, e := range s.Events {
			item, ok := model.Model.Webhooks.Get(e.Name)
			if !ok || item.Post == nil || item.Post.RequestBody == nil {
				t.Errorf("%s: webhook %s has no POST with a body", v.Name(), e.Name)
				continue
			}
			if _, ok := item.Post.Responses.Codes.Get("2XX"); !ok || item.Post.Responses.Default == nil {
				t.Errorf("%s %s: responses lack 2XX or default", v.Name(), e.Name)
			}
			var headers []string
			for _, p := range item.Post.Parameters {
				if p.In == "header" {
					headers = append(headers, p.Name)
				}
			}
			if s.SignatureHeader != "" && (len(headers) != 1 || headers[0] != s.SignatureHeader) {
				t.Errorf("%s %s: header parameters %v; want %s", v.Name(), e.Name, headers, s.SignatureHeader)
			}
			if s.SignatureHeader == "" && s.BodySecret == "" {
				t.Errorf("%s: says neither a signature header nor a body secret", v.Name())
			}
			if s.BodySecret != "" && !strings.Contains(item.Post.RequestBody.Description, s.BodySecret) {
				t.Errorf("%s %s: the request body does not name the secret field %s", v.Name(), e.Name, s.BodySecret)
			}
		}
		// request bodies, compiled from inside the document
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
		const id = "https://hooklens.dev/openapi.json"
		if err := c.AddResource(id, inst); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, sm := range samples {
			if sm.vendor != v.Name() || s.Event(sm.event) == nil {
				continue
			}
			sch, err := c.Compile(id + "#/components/schemas/" + schema.TypeName(sm.event))
			if err != nil {
				t.Fatal(err)
			}
			problems, _ := validate(sch, sm.body)
			if (problems == "") != (len(sm.drift) == 0) {
				t.Errorf("%s: request body schema says %q; drift %v", sm.file, problems, sm.drift)
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s: no sample checked", v.Name())
		}
	}
}
