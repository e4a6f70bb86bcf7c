package livechat_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/livechat"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// secret is the secret_key of every sample in testdata.
const secret = "s3cr3t-hooklens"

func registry() *decode.Registry { return decode.New(livechat.New()) }

// delivery wraps a body as a delivery on a path that says nothing, so detection is by shape.
func delivery(name string, body []byte) *backend.Delivery {
	return &backend.Delivery{ID: "d-" + name, Method: "POST", Path: "/hooks", ContentType: "application/json",
		Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}, Body: body, Size: int64(len(body))}
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("Glob(testdata/*.json) = %v, %v; want samples", files, err)
	}
	r := registry()
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ev := r.Decode(delivery(name, body), func(string) string { return secret })
			compareGolden(t, file, ev)
			if ev.Vendor != livechat.Name || ev.Verification.Status != backend.VerifyVerified {
				t.Errorf("Decode(%s) vendor, verification = %s, %v; want livechat, verified", file, ev.Vendor, ev.Verification)
			}
		})
	}
}

// TestVersionGolden compares the decoding of every version sample (testdata/versions, see its
// SOURCES.md) with the .golden beside it.
func TestVersionGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/versions/*/*.json")
	r := registry()
	for _, file := range files {
		t.Run(strings.TrimPrefix(file, "testdata/versions/"), func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, file, r.Decode(delivery(filepath.Base(file), body), nil))
		})
	}
}

// compareGolden compares ev with file's .golden (rewritten under -update).
func compareGolden(t *testing.T, file string, ev backend.Event) {
	t.Helper()
	got, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := strings.TrimSuffix(file, ".json") + ".golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./backend/decode/livechat -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Decode(%s) =\n%s\nwant\n%s", file, got, want)
	}
}

// TestCatalogCovered checks that every documented action has at least one sample.
func TestCatalogCovered(t *testing.T) {
	seen := map[string]bool{}
	top, _ := filepath.Glob("testdata/*.json")
	nested, _ := filepath.Glob("testdata/versions/*/*.json")
	for _, file := range append(top, nested...) {
		body, _ := os.ReadFile(file)
		var env struct {
			Action    string
			Event     string
			EventType string `json:"event_type"`
		}
		if err := json.Unmarshal(body, &env); err == nil {
			seen[env.Action], seen[env.Event], seen[env.EventType] = true, true, true
		}
	}
	for _, e := range livechat.New().Catalog().Events {
		if !seen[e.Name] {
			t.Errorf("no testdata sample has action %q", e.Name)
		}
	}
}
