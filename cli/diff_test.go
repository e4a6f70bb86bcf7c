package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiff_Files(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.json", `{"webhook_id":"w1","secret_key":"s1","action":"incoming_event","organization_id":"o",
		"payload":{"chat_id":"C1","thread_id":"T1","event":{"id":"E1","type":"message","text":"Hello","author_id":"x","created_at":"2026-12-01T10:00:00Z","visibility":"all"}}}`)
	b := writeFile(t, dir, "b.json", `{"webhook_id":"w1","secret_key":"s2","action":"incoming_event","organization_id":"o",
		"payload":{"chat_id":"C2","thread_id":"T2","event":{"id":"E2","type":"message","text":"Hi","author_id":"x","created_at":"2026-12-02T10:00:00Z","visibility":1}}}`)
	out, err := exec.Command(bin, "diff", a, b, "--ignore-volatile").CombinedOutput()
	if err != nil {
		t.Fatalf("diff = %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"2 fields differ", "~ payload.event.text: \"Hello\" → \"Hi\"", "! payload.event.visibility: \"all\" → 1  (type string → number)", "volatile fields and"} {
		if !strings.Contains(text, want) {
			t.Errorf("diff output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") {
		t.Errorf("diff coloured its output though it is not a terminal:\n%s", text)
	}
	if strings.Contains(text, "answered") {
		t.Errorf("diff of plain body files shows a request line they do not have:\n%s", text)
	}
	out, err = exec.Command(bin, "diff", a, b, "--json").Output()
	var d struct {
		Fields []map[string]any `json:"fields"`
	}
	if err != nil || json.Unmarshal(out, &d) != nil || len(d.Fields) < 6 {
		t.Errorf("diff --json = %v, %d fields:\n%s", err, len(d.Fields), out)
	}
	if err := exec.Command(bin, "diff", a, a, "--exit-code").Run(); err != nil {
		t.Errorf("diff a a --exit-code = %v; want status 0", err)
	}
	err = exec.Command(bin, "diff", a, b, "--exit-code").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("diff a b --exit-code = %v; want status 1", err)
	}
	for _, args := range [][]string{
		{"diff", a},
		{"diff", a, filepath.Join(dir, "nope.json")},
		{"diff", "--conversation", "x/1"},
		{"diff", a, "no-such-id", "--data", filepath.Join(dir, "nostore")},
	} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("%v = %v\n%s; want status 2", args, err, out)
		}
	}
	out, _ = exec.Command(bin, "diff", "--catalog", b).CombinedOutput()
	if !strings.Contains(string(out), "wrong_type") || !strings.Contains(string(out), "payload.event.visibility") {
		t.Errorf("diff --catalog output:\n%s", out)
	}
}

// TestDiff_FixtureFiles: two body files of an exported fixture folder are compared with the
// method, path and headers its manifest records (the bodies are indented, as export writes them);
// a manifest that is not one is named.
func TestDiff_FixtureFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "0001-incoming_event.json", "{\n  \"action\": \"incoming_event\",\n  \"payload\": {\"text\": \"Hello\"}\n}\n")
	writeFile(t, dir, "0002-incoming_event.json", "{\n  \"action\": \"incoming_event\",\n  \"payload\": {\"text\": \"Hello\"}\n}\n")
	rec := func(id, file, region string) string {
		return `{"file":"` + file + `","id":"` + id + `","received_at":"2026-12-01T10:00:00Z","method":"POST","path":"/livechat",
			"query":"","headers":[["Content-Type","application/json"],["X-Region","` + region + `"]],"content_type":"application/json",
			"size":60,"remote_addr":"","status":200,"source":"receiver","vendor":"livechat","event_type":"incoming_event",
			"verification":{"status":"unsigned"},"body_encoding":"json_indented"}`
	}
	writeFile(t, dir, "manifest.json", `{"format":"hooklens-fixtures","deliveries":[`+
		rec("d-1", "0001-incoming_event.json", "eu")+","+rec("d-2", "0002-incoming_event.json", "us")+`]}`)
	out, err := exec.Command(bin, "diff", filepath.Join(dir, "0001-incoming_event.json"), filepath.Join(dir, "0002-incoming_event.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("diff = %v\n%s", err, out)
	}
	for _, want := range []string{"same body; 1 header differs", "~ X-Region: eu → us", "livechat incoming_event", "POST /livechat, answered 200"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("diff of two fixture files lacks %q:\n%s", want, out)
		}
	}
	writeFile(t, dir, "manifest.json", `{"format":"something-else"}`)
	out, err = exec.Command(bin, "diff", filepath.Join(dir, "0001-incoming_event.json"), filepath.Join(dir, "0002-incoming_event.json")).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "manifest.json is not a Hooklens manifest") {
		t.Errorf("diff beside a bad manifest = %v; want status 2 naming it:\n%s", err, out)
	}
}
