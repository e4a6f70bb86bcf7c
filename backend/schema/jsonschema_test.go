package schema_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"hooklens/backend/decode/all"
	"hooklens/backend/schema"
)

// compile compiles a generated schema with an independent validator.
func compile(t *testing.T, id string, doc []byte, more ...[2]string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("%s is not JSON: %v", id, err)
	}
	if err := c.AddResource(id, v); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compile %s: %v\n%s", id, err, doc)
	}
	return sch
}

// validate returns the validator's problems with body, one per line.
func validate(sch *jsonschema.Schema, body []byte) (string, error) {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	err = sch.Validate(inst)
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		return fmt.Sprintf("%v", ve), nil
	}
	return "", err
}

// TestJSONSchema_GoldenSamples: every golden sample of every vendor is checked against the
// vendor's bundle and its event type's own schema by an independent validator, and the
// verdict is the catalog checker's: a sample without drift flags validates, a sample with
// drift flags (a doc sample that breaks its own documentation) does not.
func TestJSONSchema_GoldenSamples(t *testing.T) {
	samples := goldenSamples(t)
	bundles := map[string]*jsonschema.Schema{}
	sets := map[string]*schema.Set{}
	for _, v := range all.Registry().Vendors() {
		s, err := schema.Build(v, schema.Options{Version: "all"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Bundle()
		if err != nil {
			t.Fatal(err)
		}
		bundles[v.Name()], sets[v.Name()] = compile(t, s.BundleID(), b), s
	}
	valid, invalid := 0, 0
	for _, sm := range samples {
		name := sm.vendor + "/" + sm.file[strings.LastIndex(sm.file, "/")+1:]
		problems, err := validate(bundles[sm.vendor], sm.body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		switch {
		case len(sm.drift) == 0 && problems != "":
			t.Errorf("%s (%s): no drift flags, but the bundle rejects it:\n%s", name, sm.event, problems)
		case len(sm.drift) > 0 && problems == "":
			t.Errorf("%s (%s): drift flags %v, but the bundle accepts it", name, sm.event, sm.drift)
		case problems == "":
			valid++
		default:
			invalid++
		}
		set := sets[sm.vendor]
		if set.Event(sm.event) == nil {
			continue
		}
		one, err := set.EventSchema(sm.event)
		if err != nil {
			t.Fatal(err)
		}
		problems, _ = validate(compile(t, set.EventID(set.Event(sm.event)), one), sm.body)
		if (problems == "") != (len(sm.drift) == 0) {
			t.Errorf("%s: the %s schema says %q; drift flags %v", name, sm.event, problems, sm.drift)
		}
	}
	t.Logf("%d golden samples: %d valid, %d rejected as their drift flags say", len(samples), valid, invalid)
	if valid < 60 {
		t.Errorf("only %d samples validated; want the golden samples of every vendor", valid)
	}
}

// TestJSONSchema_GoldenSamplesPerVersion: each golden sample without drift validates against
// the schema of the newest version it could come from (Catalog.Narrow over the ranges of its
// event type and fields), the artefact `hooklens schema VENDOR --version V` writes.
func TestJSONSchema_GoldenSamplesPerVersion(t *testing.T) {
	reg := all.Registry()
	compiled := map[string]*jsonschema.Schema{}
	checked, versioned := 0, 0
	for _, sm := range goldenSamples(t) {
		v := reg.Vendor(sm.vendor)
		cat := v.Catalog()
		if len(sm.drift) > 0 || cat.EventType(sm.event) == nil {
			continue
		}
		version := ""
		if lo, hi, _, ok := cat.Narrow(sm.event, sm.doc); ok && hi >= 0 && lo <= hi {
			version = cat.Versions[hi].Name
			versioned++
		}
		key := sm.vendor + "@" + version
		sch := compiled[key]
		if sch == nil {
			opt := schema.Options{Version: version}
			if version == "" {
				opt.Version = "all"
			}
			s, err := schema.Build(v, opt)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := s.Bundle()
			sch = compile(t, s.BundleID(), b)
			compiled[key] = sch
		}
		if problems, _ := validate(sch, sm.body); problems != "" {
			t.Errorf("%s (%s, version %q): %s", sm.file, sm.event, version, problems)
		}
		checked++
	}
	t.Logf("%d golden samples validated against their version's schema (%d narrowed to a version)", checked, versioned)
	if versioned == 0 {
		t.Logf("no catalog has versions yet")
	}
}
