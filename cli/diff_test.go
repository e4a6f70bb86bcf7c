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
