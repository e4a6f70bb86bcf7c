package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hooklens/backend"
	"hooklens/backend/sqlite"
)

// seedDeliveries stores n deliveries of about 2 kB on /progress in a new store in data.
func seedDeliveries(tb testing.TB, data string, n int) {
	tb.Helper()
	if err := os.MkdirAll(data, 0o700); err != nil {
		tb.Fatal(err)
	}
	db := sqlite.NewDB(filepath.Join(data, "hooklens.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	items := make([]backend.Import, n)
	for i := range items {
		body := fmt.Appendf(nil, `{"n":%d,"text":%q}`, i, strings.Repeat("progress ", 230))
		items[i] = backend.Import{Delivery: &backend.Delivery{Method: "POST", Path: "/progress", Body: body,
			Size: int64(len(body)), ContentType: "application/json", Status: 200,
			Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}}
	}
	if _, err := db.ImportDeliveries(context.Background(), items); err != nil {
		tb.Fatal(err)
	}
}

// run runs the binary and returns its standard output and error apart.
func run(tb testing.TB, args ...string) (stdout, stderr string) {
	tb.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		tb.Fatalf("hooklens %s = %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), errb.String()
}

// progressLines returns the lines of stderr that start with label's progress prefix, failing
// the test for any that does not match want.
func progressLines(tb testing.TB, stderr, label string, want *regexp.Regexp) []string {
	tb.Helper()
	var got []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, label+": ") {
			if !want.MatchString(l) {
				tb.Errorf("progress line %q does not match %s", l, want)
			}
			got = append(got, l)
		}
	}
	return got
}

// TestProgress_PlainLinesWhenNotATerminal: export, import and replay write plain progress lines
// to standard error when it is not a terminal (here every millisecond instead of every 2 s),
// nothing of it to standard output, and none with --no-progress.
func TestProgress_PlainLinesWhenNotATerminal(t *testing.T) {
	const n = 300
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	seedDeliveries(t, a, n)

	out, errs := run(t, "export", "--data", a, "--format", "ndjson", "--out", "-", "--progress-every", "1ms")
	rate := `[0-9.]+ [kMGT]?B/s`
	left := `(, about [0-9]+ (s|min|h [0-9]+ min) left)?`
	lines := progressLines(t, errs, "export", regexp.MustCompile(`^export: [0-9]+/300 deliveries, `+rate+left+`$`))
	t.Logf("export progress: %d lines, the last %q", len(lines), lines[len(lines)-1:])
	if len(lines) == 0 || !strings.Contains(errs, "exported 300 deliveries") {
		t.Errorf("export stderr = %q; want progress lines and the summary", errs)
	}
	if got := strings.Count(out, "\n"); got != n || strings.Contains(out, "export: ") {
		t.Errorf("export stdout has %d lines; want %d deliveries, no progress", got, n)
	}
	quietOut, quietErr := run(t, "export", "--data", a, "--format", "ndjson", "--out", "-", "--progress-every", "1ms", "--no-progress")
	if strings.Contains(quietErr, "export: ") || !strings.Contains(quietErr, "exported 300 deliveries") || len(quietOut) != len(out) {
		t.Errorf("export --no-progress: stderr %q, %d bytes out (with progress %d); want the summary only, the same output", quietErr, len(quietOut), len(out))
	}

	file := filepath.Join(dir, "all.ndjson")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs = run(t, "import", "--data", b, "--progress-every", "1ms", file)
	size := `[0-9.]+ [kMGT]?B`
	if lines := progressLines(t, errs, "import", regexp.MustCompile(`^import: `+size+`/`+size+`, `+rate+left+`$`)); len(lines) == 0 {
		t.Errorf("import stderr = %q; want progress lines", errs)
	}
	if want := file + "\tndjson: 300 imported, 0 duplicates skipped\n"; !strings.HasPrefix(out, want) || strings.Contains(out, "import: ") {
		t.Errorf("import stdout = %q; want %q first and no progress", out, want)
	}

	target := httptest.NewServer(&recorder{})
	defer target.Close()
	out, errs = run(t, "replay", "--data", b, "--query", "path:/progress", "--to", target.URL, "--progress-every", "1ms")
	lines = progressLines(t, errs, "replay", regexp.MustCompile(`^replay: [0-9]+/300 deliveries, [0-9.]+ deliveries/s`+left+`$`))
	t.Logf("replay progress: %d lines, the last %q", len(lines), lines[len(lines)-1:])
	if len(lines) == 0 {
		t.Errorf("replay stderr = %q; want progress lines", errs)
	}
	if got := strings.Count(out, "-> 200"); got != n || strings.Contains(out, "replay: ") {
		t.Errorf("replay stdout has %d answers; want %d and no progress:\n%s", got, n, out)
	}
	out, errs = run(t, "replay", "--data", b, "--query", "path:/progress", "--to", target.URL, "--progress-every", "1ms", "--no-progress")
	if errs != "" || strings.Count(out, "-> 200") != n {
		t.Errorf("replay --no-progress: stderr %q; want nothing", errs)
	}
}
