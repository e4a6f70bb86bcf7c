package schema_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/lenient"
)

// sample is one golden sample of a vendor, decoded by the registry.
type sample struct {
	file   string
	vendor string
	body   []byte
	doc    any
	event  string
	drift  []backend.Flag // the registry's drift flags: the verdict a schema must agree with
}

// driftCodes are the flags that say a body is not what the catalog documents.
var driftCodes = []string{decode.FlagUnknownField, decode.FlagMissingRequired, decode.FlagWrongType,
	decode.FlagUnknownEnum, decode.FlagUndocumentedEvent}

// goldenSamples reads every JSON golden sample of every registered vendor from its package's
// testdata (JSON bodies as written; doc samples with comments normalized by lenient.Parse).
// Form-encoded bodies are left out: a JSON Schema describes JSON.
func goldenSamples(t testing.TB) []sample {
	t.Helper()
	reg := all.Registry()
	var out []sample
	for _, v := range reg.Vendors() {
		dir := filepath.Join("..", "decode", v.Name(), "testdata")
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		raw, _ := filepath.Glob(filepath.Join(dir, "raw", "*.txt"))
		files = append(files, raw...)
		if len(files) == 0 {
			t.Fatalf("%s: no golden samples in %s", v.Name(), dir)
		}
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f, ".txt") {
				if body, err = lenient.Parse(body); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			}
			d := &backend.Delivery{ID: filepath.Base(f), Method: "POST", Path: v.PathPrefix(), ContentType: "application/json",
				Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}, Body: body, Size: int64(len(body))}
			ev := reg.Decode(d, func(string) string { return "" })
			in := decode.Prepare(d)
			s := sample{file: f, vendor: v.Name(), body: body, doc: in.Doc, event: ev.EventType}
			for _, fl := range ev.Flags {
				if slices.Contains(driftCodes, fl.Code) {
					s.drift = append(s.drift, fl)
				}
			}
			// A body labelled with an old event type name but in its successor's shape (the
			// LiveChat references' auto_access_added lists) decodes without drift flags, with a
			// note saying so: its own label's schema rightly rejects it, so it counts as drift here.
			for _, n := range ev.Notes {
				if n.Code == decode.FlagOtherVersion {
					s.drift = append(s.drift, n)
				}
			}
			out = append(out, s)
		}
	}
	return out
}
