package cli_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend/decode/all"
	"hooklens/backend/decode/livechat"
	"hooklens/cli"
)

// runMain runs one command line through a Main, as main.go does, and returns what it printed
// and the exit status main would use.
func runMain(tb testing.TB, args ...string) (stdout, stderr string, code int, err error) {
	tb.Helper()
	var out, errb bytes.Buffer
	m := cli.NewMain()
	m.Stdout, m.Stderr, m.Version = &out, &errb, "1.2.3-test"
	m.Desktop = func(cfg cli.DesktopConfig) error {
		cfg.OnShutdown()
		return errors.New("no desktop in tests")
	}
	err = m.Run(context.Background(), args)
	if cerr := m.Close(); cerr != nil {
		tb.Fatalf("Close() = %v", cerr)
	}
	return out.String(), errb.String(), cli.ExitCode(err), err
}

var commands = []string{"serve", "import", "export", "replay", "simulate", "test", "schema", "validate", "version", "versions", "completion"}

func TestHelp_ListsEveryCommandOnOneLine(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, _, code, err := runMain(t, args...)
		if code != 0 {
			t.Fatalf("hooklens %v = %v (exit %d)", args, err, code)
		}
		for _, name := range commands {
			found := false
			for _, line := range strings.Split(out, "\n") {
				f := strings.Fields(line)
				found = found || (len(f) > 2 && f[0] == name)
			}
			if !found {
				t.Errorf("hooklens %v lists no line for %s:\n%s", args, name, out)
			}
		}
	}
}

func TestHelp_EveryCommandHasExamples(t *testing.T) {
	for _, name := range append(commands, "help") {
		out, _, code, err := runMain(t, name, "--help")
		if code != 0 || !strings.Contains(out, "Examples:\n") || !strings.Contains(out, "  hooklens "+name) {
			t.Errorf("hooklens %s --help = %v (exit %d); want examples of hooklens %s:\n%s", name, err, code, name, out)
		}
	}
}

func TestUnknownCommand_SuggestsTheNearest(t *testing.T) {
	for typo, want := range map[string]string{"serv": "serve", "exprot": "export", "simulat": "simulate", "improt": "import"} {
		_, _, code, err := runMain(t, typo, "--data", t.TempDir())
		if code != cli.ExitUsage || err == nil || !strings.Contains(err.Error(), "Did you mean this?\n\t"+want) {
			t.Errorf("hooklens %s = %v (exit %d); want a suggestion of %s and exit %d", typo, err, code, want, cli.ExitUsage)
		}
	}
}

func TestCompletion_Scripts(t *testing.T) {
	for shell, want := range map[string]string{"bash": "__start_hooklens", "zsh": "#compdef hooklens",
		"fish": "complete -c hooklens", "powershell": "Register-ArgumentCompleter"} {
		out, _, code, err := runMain(t, "completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s = %v (exit %d); want a script with %q", shell, err, code, want)
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}} {
		if _, _, code, err := runMain(t, args...); code != cli.ExitUsage {
			t.Errorf("hooklens %v = %v (exit %d); want exit %d", args, err, code, cli.ExitUsage)
		}
	}
}

// TestCompletion_Complete drives the hidden __complete command the scripts call.
func TestCompletion_Complete(t *testing.T) {
	var vendors []string
	for _, v := range all.Registry().Vendors() {
		vendors = append(vendors, v.Name())
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{""}, commands},
		{[]string{"ex"}, []string{"export"}},
		{[]string{"export", "--f"}, []string{"--format"}},
		{[]string{"export", "--format", ""}, []string{"fixtures", "zip", "ndjson", "har"}},
		{[]string{"replay", "--pace", ""}, []string{"fast", "original"}},
		{[]string{"serve", "--tok"}, []string{"--token"}},
		{[]string{"simulate", ""}, append([]string{"all"}, vendors...)},
		{[]string{"simulate", vendors[0], ""}, []string{"conversation", "agent"}},
		{[]string{"serve", "--secret", ""}, []string{vendors[0] + "="}},
	}
	for _, c := range cases {
		out, _, code, err := runMain(t, append([]string{"__complete"}, c.args...)...)
		if code != 0 {
			t.Fatalf("__complete %q = %v", c.args, err)
		}
		got := map[string]bool{}
		for _, line := range strings.Split(out, "\n") {
			name, _, _ := strings.Cut(line, "\t")
			got[name] = true
		}
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("__complete %q = %q; want %q among them", c.args, out, w)
			}
		}
	}
}

func TestExitCodes(t *testing.T) {
	empty := t.TempDir()
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no thanks", http.StatusInternalServerError)
	}))
	defer refuse.Close()
	data := t.TempDir()
	sample := filepath.Join(t.TempDir(), "sample.json")
	os.WriteFile(sample, []byte(`{"action": "incoming_chat", "payload": {"chat": {"id": "EXIT1"},},}`), 0o600)
	out, _, code, err := runMain(t, "import", "--lenient", "--path", "/livechat", "--data", data, sample)
	if code != 0 {
		t.Fatalf("import --lenient = %v", err)
	}
	id, _, _ := strings.Cut(out, "\t")

	cases := []struct {
		args []string
		code int
	}{
		{[]string{"version"}, 0},
		{[]string{"simulate", "--list"}, 0},
		{[]string{"export", "--bogus"}, cli.ExitUsage},
		{[]string{"export", "--data", empty}, cli.ExitUsage},                                     // no --out
		{[]string{"export", "--data", empty, "--out", filepath.Join(empty, "x")}, cli.ExitUsage}, // no store
		{[]string{"export", "--data", data, "--format", "pdf", "--out", "-"}, cli.ExitUsage},
		{[]string{"export", "--data", data, "--out", "-", "--conversation", "nope"}, cli.ExitUsage},
		{[]string{"export", "--data", data, "stray"}, cli.ExitUsage},
		{[]string{"import", "--data", empty}, cli.ExitUsage},
		{[]string{"replay", "--data", data, "--to", refuse.URL}, cli.ExitUsage}, // no selection
		{[]string{"replay", "--data", data, "--id", id, "--to", "ftp://x"}, cli.ExitUsage},
		{[]string{"replay", "--data", data, "--id", id, "--to", refuse.URL}, cli.ExitFailed},
		{[]string{"simulate"}, cli.ExitUsage},
		{[]string{"simulate", "nosuchvendor", "--data", empty}, cli.ExitUsage},
		{[]string{"simulate", "all", "--version", "3.4", "--data", empty}, cli.ExitUsage},
		{[]string{"simulate", livechat.Name, "--version", "9.9", "--data", empty}, cli.ExitUsage},
		{[]string{"serve", "stray"}, cli.ExitUsage},
		{[]string{"serve", "--data", empty, "--livechat-api", "ftp://x/"}, cli.ExitUsage},
		{[]string{"--data", empty, "--listen", "127.0.0.1:0"}, cli.ExitFailed}, // no desktop here
	}
	for _, c := range cases {
		_, _, code, err := runMain(t, c.args...)
		if code != c.code {
			t.Errorf("hooklens %s = %v: exit %d; want %d", strings.Join(c.args, " "), err, code, c.code)
		}
	}
	out, _, _, _ = runMain(t, "version")
	if out != "hooklens 1.2.3-test\n" {
		t.Errorf("version printed %q", out)
	}
}

// TestImport_BadFileNamesFileAndLine: a file that cannot be read is named with the line where
// reading stopped, and is bad input (exit 2).
func TestImport_BadFileNamesFileAndLine(t *testing.T) {
	data := t.TempDir()
	out, _, code, err := runMain(t, "import", "--data", data, filepath.Join("testdata", "bad.ndjson"))
	if code != cli.ExitUsage || !strings.Contains(out, "bad.ndjson line 2: not a delivery") || !strings.Contains(err.Error(), "bad.ndjson") {
		t.Errorf("import bad.ndjson = %v (exit %d)\n%s; want the file and line 2 named, exit 2", err, code, out)
	}
	_, _, code, err = runMain(t, "import", "--lenient", "--data", data, filepath.Join("testdata", "bad-sample.json"))
	if code != cli.ExitUsage || err == nil || !strings.Contains(err.Error(), "bad-sample.json line 4, column ") {
		t.Errorf("import --lenient bad-sample.json = %v (exit %d); want the file and line 4 named, exit 2", err, code)
	}
	missing := filepath.Join(t.TempDir(), "missing.ndjson")
	_, _, code, err = runMain(t, "import", "--data", data, missing)
	if code != cli.ExitUsage || err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("import of a missing file = %v (exit %d); want it named, exit 2", err, code)
	}
}

// TestGoStyleFlags: single-dash long flags, which Go's flag package took, still work.
func TestGoStyleFlags(t *testing.T) {
	data := t.TempDir()
	sample := filepath.Join(t.TempDir(), "sample.json")
	os.WriteFile(sample, []byte(`{"action": "incoming_chat", "payload": {"chat": {"id": "GO1"}}}`), 0o600)
	if _, _, code, err := runMain(t, "import", "-lenient", "-path=/livechat", "-data", data, sample); code != 0 {
		t.Fatalf("import -lenient -path=/livechat -data DIR = %v", err)
	}
	file := filepath.Join(t.TempDir(), "out.ndjson")
	if _, _, code, err := runMain(t, "export", "-data", data, "-format", "ndjson", "-out", file); code != 0 {
		t.Fatalf("export -data DIR -format ndjson -out FILE = %v", err)
	}
	if b, _ := os.ReadFile(file); !bytes.Contains(b, []byte("GO1")) {
		t.Errorf("export wrote %q; want the sample", b)
	}
}
