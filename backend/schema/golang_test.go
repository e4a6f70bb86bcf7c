package schema_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"hooklens/backend/decode/all"
	"hooklens/backend/schema"
)

// parseTest is the test written into each generated package: Parse must return the struct of
// the sample's event type, and the struct must marshal back to the same JSON value.
const parseTest = `package %s

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct{ file, want string }{
%s	}
	for _, c := range cases {
		body, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		v, err := Parse(body)
		if err != nil {
			t.Errorf("%%s: Parse: %%v", c.file, err)
			continue
		}
		if got := reflect.TypeOf(v).Elem().Name(); got != c.want {
			t.Errorf("%%s: Parse gave a %%s; want %%s", c.file, got, c.want)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		json.Unmarshal(body, &a)
		json.Unmarshal(out, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%%s: re-marshalled body differs:\n%%s\nwant\n%%s", c.file, out, body)
		}
	}
	if _, err := Parse([]byte("{}")); err == nil {
		t.Errorf("Parse({}) gave no error")
	}
	if _, err := Parse([]byte("{")); err == nil {
		t.Errorf("Parse({) gave no error")
	}
}
`

// TestGo_GoldenSamplesParse: each vendor's generated package compiles in a module of its own
// (stdlib only, no network), Parse decodes every golden sample into the struct of its event
// type, and marshalling that struct gives back the same JSON value.
func TestGo_GoldenSamplesParse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	samples := goldenSamples(t)
	dir := t.TempDir()
	write := func(path string, b []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "go.mod"), []byte("module example.com/hooks\n\ngo 1.22\n"))
	for _, v := range all.Registry().Vendors() {
		s, err := schema.Build(v, schema.Options{Version: "all"})
		if err != nil {
			t.Fatal(err)
		}
		src, err := s.Go(v.Name())
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		write(filepath.Join(dir, v.Name(), "types.go"), src)
		var cases strings.Builder
		n := 0
		for _, sm := range samples {
			if sm.vendor != v.Name() || len(sm.drift) > 0 || s.Event(sm.event) == nil {
				continue
			}
			n++
			file := filepath.Join(dir, v.Name(), "testdata", filepath.Base(sm.file))
			write(file, sm.body)
			fmt.Fprintf(&cases, "\t\t{%q, %q},\n", "testdata/"+filepath.Base(sm.file), schema.TypeName(sm.event))
		}
		if n < 10 {
			t.Errorf("%s: %d samples; want every golden sample", v.Name(), n)
		}
		write(filepath.Join(dir, v.Name(), "types_test.go"), fmt.Appendf(nil, parseTest, v.Name(), cases.String()))
	}
	cmd := exec.Command(goBin, "test", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test in the generated module: %v\n%s", err, out)
	}
}

func TestGoFieldInitialisms(t *testing.T) {
	for key, want := range map[string]string{"eventId": "EventID", "operatorIds": "OperatorIDs", "callback_url": "CallbackURL",
		"id": "ID", "httpStatus": "HTTPStatus", "identity": "Identity", "idle": "Idle", "v2": "V2", "nombreÉtat": "NombreÉtat",
		"ids": "IDs", "apiKey": "APIKey", "ip_address": "IPAddress"} {
		if got := schema.GoField(key); got != want {
			t.Errorf("GoField(%q) = %q; want %q", key, got, want)
		}
	}
}
