package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
)

func TestExportTarget(t *testing.T) {
	for in, want := range map[string][2]string{
		"/tmp/a.zip":    {"/tmp/a.zip", "zip"},
		"/tmp/a.ZIP":    {"/tmp/a.ZIP", "zip"},
		"/tmp/a.ndjson": {"/tmp/a.ndjson", "ndjson"},
		"/tmp/a.jsonl":  {"/tmp/a.jsonl", "ndjson"},
		"/tmp/a.har":    {"/tmp/a.har", "har"},
		"/tmp/a":        {"/tmp/a.zip", "zip"},
	} {
		p, f, err := exportTarget(in)
		if err != nil || p != want[0] || f != want[1] {
			t.Errorf("exportTarget(%q) = %q, %q, %v; want %q, %q", in, p, f, err, want[0], want[1])
		}
	}
	if _, _, err := exportTarget("/tmp/a.json"); err == nil {
		t.Error("exportTarget(.json) = nil error")
	}
	if got := exportName(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), "zip"); got != "hooklens-20250102-030405.zip" {
		t.Errorf("exportName = %q", got)
	}
	for _, c := range [][3]string{
		{"/tmp/a.ndjson", "ndjson", "/tmp/a.ndjson"},
		{"/tmp/a.JSONL", "ndjson", "/tmp/a.JSONL"},
		{"/tmp/a", "ndjson", "/tmp/a.ndjson"},
		{"/tmp/a.zip", "ndjson", "/tmp/a.zip.ndjson"},
		{"/tmp/a.json", "har", "/tmp/a.json.har"},
		{"/tmp/a.zip", "zip", "/tmp/a.zip"},
	} {
		if got := targetFor(c[0], c[1]); got != c[2] {
			t.Errorf("targetFor(%q, %q) = %q; want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestWriteExport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.ndjson")
	os.WriteFile(path, []byte("previous"), 0o600)
	failing := func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("store gone")
	}
	if err := writeExport(path, failing); err == nil {
		t.Fatal("failed export reported success")
	}
	if b, _ := os.ReadFile(path); string(b) != "previous" {
		t.Errorf("a failed export changed the file: %q", b)
	}
	ok := func(w io.Writer) error {
		_, err := io.WriteString(w, "ndjson data")
		return err
	}
	if err := writeExport(path, ok); err != nil {
		t.Fatalf("writeExport = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "ndjson data" {
		t.Errorf("file = %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v; want 0600", fi.Mode().Perm())
	}
}

func TestRunImportsShapedLikeTheAPI(t *testing.T) {
	sum := runImports(context.Background(), []string{"/x/a.zip", "/x/b.har"}, func(_ context.Context, p string) (backend.ImportResult, error) {
		if strings.HasSuffix(p, ".har") {
			return backend.ImportResult{Format: "har", Imported: 1}, errors.New("truncated")
		}
		return backend.ImportResult{Format: "zip", Imported: 4, Duplicates: 2, DuplicateIDs: []string{"a", "b"}}, nil
	})
	b, _ := json.Marshal(sum)
	want := `{"files":[{"name":"a.zip","format":"zip","imported":4,"duplicates":2,"duplicate_ids":["a","b"],"warnings":[]},` +
		`{"name":"b.har","format":"har","imported":1,"duplicates":0,"duplicate_ids":[],"warnings":[],"error":{"code":"invalid","message":"truncated"}}],` +
		`"imported":5,"duplicates":2,"failed":1}`
	if string(b) != want {
		t.Errorf("summary\n got %s\nwant %s", b, want)
	}
	if got := summaryText(sum); got != "Imported 5 deliveries, 2 already there.\nb.har: truncated" {
		t.Errorf("summaryText = %q", got)
	}
}
