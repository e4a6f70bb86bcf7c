package closer_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/lenient"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// rawSamples returns testdata/raw/*.txt by name (without extension).
func rawSamples(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/raw/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in testdata/raw: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".txt")] = b
	}
	return out
}

// normalized returns the strict JSON of a raw doc sample.
func normalized(t testing.TB, name string, raw []byte) []byte {
	t.Helper()
	body, err := lenient.Parse(raw)
	if err != nil {
		t.Fatalf("lenient.Parse(%s) = %v; want no error", name, err)
	}
	return body
}

func delivery(id, path string, body []byte) *backend.Delivery {
	return &backend.Delivery{ID: id, Method: "POST", Path: path, ContentType: "application/json",
		Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}},
		Body:    body, Size: int64(len(body)), Source: backend.SourceReceiver}
}

// TestGolden decodes every raw sample through the registry and compares the event with
// testdata/<name>.golden.
func TestGolden(t *testing.T) {
	reg := decode.New(closer.New())
	for name, raw := range rawSamples(t) {
		t.Run(name, func(t *testing.T) {
			ev := reg.Decode(delivery("d-"+name, "/closer/webhook", normalized(t, name, raw)), nil)
			got, err := json.MarshalIndent(ev, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Decode(%s) =\n%s\nwant\n%s", name, got, want)
			}
		})
	}
}

// TestDetectByShape checks that every sample is recognized without the /closer path, and that
// a pasted sample (decoded leniently by the registry) means the same as its strict form.
func TestDetectByShape(t *testing.T) {
	reg := decode.New(closer.New())
	for name, raw := range rawSamples(t) {
		body := normalized(t, name, raw)
		if v := reg.Detect(decode.Prepare(delivery("d", "/hook", body))); v == nil || v.Name() != closer.Name {
			t.Errorf("Detect(%s at /hook) = %v; want closer", name, v)
		}
		strict := reg.Decode(delivery("d", "/hook", body), nil)
		sample := delivery("d", "/hook", raw)
		sample.Source = backend.SourceSample
		if pasted := reg.Decode(sample, nil); !reflect.DeepEqual(pasted, strict) {
			t.Errorf("Decode(pasted %s) = %+v; want %+v", name, pasted, strict)
		}
	}
}

// TestSeedSamplesDecode checks what every golden must show: a documented event type (except
// the page's template with an empty action), an event time and a summary.
func TestSeedSamplesDecode(t *testing.T) {
	reg := decode.New(closer.New())
	for name, raw := range rawSamples(t) {
		ev := reg.Decode(delivery("d", "/closer", normalized(t, name, raw)), nil)
		wantDocumented := name != "reopened_snoozed_unsnoozed" && name != "unknown_action"
		if ev.Documented != wantDocumented || ev.OccurredAt == nil || ev.Summary == "" || ev.DedupeKey == "" {
			t.Errorf("Decode(%s) = documented %v, occurred %v, summary %q, key %q; want documented %v and all set",
				name, ev.Documented, ev.OccurredAt, ev.Summary, ev.DedupeKey, wantDocumented)
		}
	}
}
