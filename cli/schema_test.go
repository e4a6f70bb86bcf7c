package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the real binary and returns its standard output, standard error and exit status.
func runBin(tb testing.TB, args ...string) (string, string, int) {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		tb.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// goldenBody returns a golden sample of the livechat package's testdata, as a JSON object.
func goldenBody(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "backend", "decode", "livechat", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func writeJSON(t *testing.T, path string, v any) string {
	t.Helper()
	b, _ := json.MarshalIndent(v, "", "  ")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSchema_EveryVendorAndFormat: the binary writes each format for each vendor to standard
// output, a file or a folder; bad names are usage errors that say what exists.
func TestSchema_EveryVendorAndFormat(t *testing.T) {
	dir := t.TempDir()
	for _, vendor := range []string{"livechat", "iadvize", "closer"} {
		for _, format := range []string{"jsonschema", "openapi", "typescript", "go"} {
			out, errs, code := runBin(t, "schema", vendor, "--format", format)
			if code != 0 || len(out) < 1000 {
				t.Fatalf("schema %s --format %s: exit %d, %d bytes\n%s", vendor, format, code, len(out), errs)
			}
			if format == "jsonschema" || format == "openapi" {
				var v map[string]any
				if err := json.Unmarshal([]byte(out), &v); err != nil {
					t.Errorf("schema %s --format %s is not JSON: %v", vendor, format, err)
				}
			}
		}
	}
	folder := filepath.Join(dir, "schemas") + "/"
	if _, errs, code := runBin(t, "schema", "iadvize", "--out", folder); code != 0 {
		t.Fatalf("--out folder: exit %d: %s", code, errs)
	}
	files, _ := filepath.Glob(filepath.Join(folder, "*.schema.json"))
	if len(files) < 10 {
		t.Errorf("--out folder wrote %d schemas; want the bundle and one per event type", len(files))
	}
	file := filepath.Join(dir, "lc.ts")
	if _, errs, code := runBin(t, "schema", "livechat", "--format", "typescript", "--event", "incoming_chat", "--out", file); code != 0 {
		t.Fatalf("--out file: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), "export interface IncomingChat") || strings.Contains(string(b), "interface ChatDeactivated") {
		t.Errorf("--event incoming_chat wrote:\n%.300s", b)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"schema"}, "name a vendor"},
		{[]string{"schema", "nosuch"}, `unknown vendor "nosuch"`},
		{[]string{"schema", "livechat", "--format", "pdf"}, `--format "pdf"`},
		{[]string{"schema", "livechat", "--event", "nosuch"}, `unknown event type "nosuch"`},
		{[]string{"schema", "livechat", "--version", "9.9"}, "9.9"},
		{[]string{"schema", "generic"}, "give --data or SAMPLE files"},
		{[]string{"schema", "livechat", "--data", dir}, "no Hooklens store"},
		{[]string{"schema", "livechat", "--query", "x"}, "give --data too"},
	} {
		_, errs, code := runBin(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("hooklens %s: exit %d, %q; want exit 2 and %q", strings.Join(c.args, " "), code, errs, c.want)
		}
	}
}

// TestSchema_ObservedFromStore: a store holds an incoming_chat with a field the catalog lacks
// and without a required one, and a body of no known vendor. schema --data marks the field
// observed and counts the absence; generic infers a type from the unknown body; validate
// --data reports both problems with their paths and exits 1.
func TestSchema_ObservedFromStore(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	body := goldenBody(t, "incoming_chat.json")
	body["brand_new_field"] = map[string]any{"level": 3}
	delete(body, "webhook_id")
	f1 := writeJSON(t, filepath.Join(dir, "lc.json"), body)
	if _, errs, code := runBin(t, "import", "--lenient", "--path", "/livechat", "--data", data, f1); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	f2 := writeJSON(t, filepath.Join(dir, "other.json"), map[string]any{"type": "order.paid", "order": map[string]any{"id": "A1", "total": 12.5}})
	if _, errs, code := runBin(t, "import", "--lenient", "--path", "/shop", "--data", data, f2); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}

	out, errs, code := runBin(t, "schema", "livechat", "--data", data, "--event", "incoming_chat")
	if code != 0 {
		t.Fatalf("schema --data: exit %d: %s", code, errs)
	}
	var bundle struct {
		Defs map[string]struct {
			Properties map[string]map[string]any
			Examples   []map[string]any
		} `json:"$defs"`
	}
	if err := json.Unmarshal([]byte(out), &bundle); err != nil {
		t.Fatal(err)
	}
	props := bundle.Defs["IncomingChat"].Properties
	nf, org := props["brand_new_field"], props["webhook_id"]
	if nf == nil || nf["x-hooklens-documented"] != false || nf["x-hooklens-observed"].(map[string]any)["count"] != 1.0 {
		t.Errorf("brand_new_field = %v; want observed once, not documented", nf)
	}
	if org == nil || org["x-hooklens-absent"] != 1.0 {
		t.Errorf("webhook_id = %v; want absent once", org)
	}
	if !strings.Contains(errs, "merged 1 of 1 deliveries") {
		t.Errorf("stderr %q", errs)
	}
	one, _, code := runBin(t, "schema", "livechat", "--data", data, "--out", filepath.Join(dir, "out")+"/", "--event", "incoming_chat")
	_ = one
	if b, err := os.ReadFile(filepath.Join(dir, "out", "incoming_chat.schema.json")); code != 0 || err != nil || !strings.Contains(string(b), `"examples"`) || strings.Contains(string(b), "s3cr3t") {
		t.Errorf("incoming_chat.schema.json: exit %d, %v; want a scrubbed captured example", code, err)
	}

	out, errs, code = runBin(t, "schema", "generic", "--data", data, "--format", "typescript")
	if code != 0 || !strings.Contains(out, "export interface OrderPaid") || !strings.Contains(out, "total: number") {
		t.Errorf("schema generic --data: exit %d\n%s\n%s", code, out, errs)
	}

	out, _, code = runBin(t, "validate", "--data", data)
	if code != 1 || !strings.Contains(out, "brand_new_field: ") || !strings.Contains(out, "webhook_id: ") || !strings.Contains(out, "[missing_required]") {
		t.Errorf("validate --data: exit %d\n%s", code, out)
	}
	if _, _, code = runBin(t, "validate", "--data", data, "--query", "vendor:iadvize"); code != 0 {
		t.Errorf("validate --data --query vendor:iadvize (nothing): exit %d; want 0", code)
	}
}

// TestValidate_Files: exit 0 for good bodies, 1 for a body with problems (each printed with
// its path), 2 for unreadable files (broken JSON named by line and column) and bad usage.
func TestValidate_Files(t *testing.T) {
	dir := t.TempDir()
	good := writeJSON(t, filepath.Join(dir, "good.json"), goldenBody(t, "incoming_chat.json"))
	badBody := goldenBody(t, "chat_deactivated.json")
	badBody["surprise"] = true
	badBody["payload"].(map[string]any)["chat_id"] = 42
	bad := writeJSON(t, filepath.Join(dir, "bad.json"), badBody)
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte("{\n  \"action\": \"incoming_chat\",\n  \"payload\": {,}\n}\n"), 0o644)
	unknown := writeJSON(t, filepath.Join(dir, "unknown.json"), map[string]any{"hello": "world"})

	if out, errs, code := runBin(t, "validate", good); code != 0 || !strings.Contains(out, "ok   "+good+": livechat incoming_chat") {
		t.Errorf("validate good: exit %d\n%s%s", code, out, errs)
	}
	out, _, code := runBin(t, "validate", good, bad)
	if code != 1 || !strings.Contains(out, "surprise: ") || !strings.Contains(out, "payload.chat_id: ") || !strings.Contains(out, "[wrong_type]") {
		t.Errorf("validate bad: exit %d\n%s", code, out)
	}
	if _, errs, code := runBin(t, "validate", good, broken); code != 2 || !strings.Contains(errs, "broken.json line 3, column 15") {
		t.Errorf("validate broken: exit %d\n%s", code, errs)
	}
	if _, errs, code := runBin(t, "validate", unknown); code != 2 || !strings.Contains(errs, "--vendor") {
		t.Errorf("validate unknown: exit %d\n%s", code, errs)
	}
	if out, _, code := runBin(t, "validate", "--vendor", "livechat", unknown); code != 1 || !strings.Contains(out, "undocumented_event") {
		t.Errorf("validate --vendor livechat unknown: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"validate"}, {"validate", filepath.Join(dir, "nope.json")}, {"validate", "--vendor", "nosuch", good},
		{"validate", "--data", dir, good}, {"validate", "--query", "x", good}} {
		if _, errs, code := runBin(t, args...); code != 2 {
			t.Errorf("hooklens %s: exit %d; want 2\n%s", strings.Join(args, " "), code, errs)
		}
	}
}
