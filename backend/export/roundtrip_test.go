package export_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"hooklens/backend"
	"hooklens/backend/export"
	"hooklens/backend/sqlite"
)

// exportTo exports everything in db to a new path in dir and returns the path.
func exportTo(tb testing.TB, db *sqlite.DB, format, dir, name string, opt export.Options) string {
	tb.Helper()
	opt.Format, opt.Generator = format, "hooklens test"
	path := filepath.Join(dir, name)
	if _, err := export.WriteFile(context.Background(), db, path, opt); err != nil {
		tb.Fatalf("WriteFile(%s) = %v", format, err)
	}
	return path
}

// readTree returns every file under path (one file, or a folder) by relative name.
func readTree(tb testing.TB, path string) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	if !fi.IsDir() {
		b, _ := os.ReadFile(path)
		out[""] = b
		return out
	}
	entries, _ := os.ReadDir(path)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(path, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// TestRoundTrip exports, imports into an empty store, exports again: every format must give
// the same bytes, bodies and metadata, and the store the same deliveries.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		format, name string
		pretty       bool
	}{
		{export.FormatFixtures, "fixtures", false},
		{export.FormatFixtures, "pretty", true},
		{export.FormatZip, "fixtures.zip", false},
		{export.FormatNDJSON, "all.ndjson", false},
		{export.FormatHAR, "all.har", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			a := MustOpenDB(t)
			seeded := seed(t, a)
			dir := t.TempDir()
			first := exportTo(t, a, tc.format, dir, "1-"+tc.name, export.Options{Pretty: tc.pretty})

			b := MustOpenDB(t)
			res, err := export.ImportPath(ctx, b, first, "")
			if err != nil {
				t.Fatalf("ImportPath = %v", err)
			}
			if res.Imported != len(seeded) || res.Duplicates != 0 || len(res.Warnings) != 0 {
				t.Fatalf("ImportPath = %+v; want %d imported", res, len(seeded))
			}
			decodeAll(t, b, nil)
			second := exportTo(t, b, tc.format, dir, "2-"+tc.name, export.Options{Pretty: tc.pretty})
			one, two := readTree(t, first), readTree(t, second)
			if len(one) != len(two) {
				t.Fatalf("second export has %d files; want %d", len(two), len(one))
			}
			for name, data := range one {
				if !bytes.Equal(data, two[name]) {
					t.Errorf("%s differs after import:\n%s\n---\n%s", name, data, two[name])
				}
			}
			for _, d := range seeded {
				got, err := b.FindDeliveryByID(ctx, d.ID)
				if err != nil {
					t.Fatalf("imported %s: %v", d.ID, err)
				}
				if !bytes.Equal(got.Body, d.Body) || got.Method != d.Method || got.Path != d.Path || got.Query != d.Query ||
					!got.ReceivedAt.Equal(d.ReceivedAt) || got.Size != d.Size || got.Refused != d.Refused || got.Status != d.Status {
					t.Errorf("imported %s = %+v; want %+v", d.ID, got.Delivery, *d)
				}
				if len(got.Headers) != len(d.Headers) {
					t.Fatalf("imported headers = %q; want %q", got.Headers, d.Headers)
				}
				for i := range d.Headers {
					if got.Headers[i] != d.Headers[i] {
						t.Errorf("header %d = %q; want %q", i, got.Headers[i], d.Headers[i])
					}
				}
				if got.Source != backend.SourceImport {
					t.Errorf("Source = %q; want import", got.Source)
				}
			}

			// Importing the same file again skips every delivery as a duplicate.
			again, err := export.ImportPath(ctx, b, first, "")
			if err != nil || again.Imported != 0 || again.Duplicates != len(seeded) {
				t.Errorf("second ImportPath = %+v, %v; want %d duplicates", again, err, len(seeded))
			}
		})
	}
}

func TestExport_Empty(t *testing.T) {
	db := MustOpenDB(t)
	dir := t.TempDir()
	for _, f := range []string{export.FormatFixtures, export.FormatZip, export.FormatNDJSON, export.FormatHAR} {
		path := exportTo(t, db, f, dir, "empty-"+f, export.Options{Selection: backend.Selection{Query: "vendor:livechat"}})
		res, err := export.ImportPath(context.Background(), MustOpenDB(t), path, "")
		if err != nil || res.Imported != 0 || res.Format != f {
			t.Errorf("%s: ImportPath(empty export) = %+v, %v", f, res, err)
		}
	}
	if _, err := export.WriteDir(context.Background(), db, dir, export.Options{}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("WriteDir(a folder with files) = %v; want invalid", err)
	}
	if _, err := export.Write(context.Background(), db, io.Discard, export.Options{Format: "ndjson", Selection: backend.Selection{Query: `"open`}}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("Write(bad query) = %v; want invalid", err)
	}
}

// TestImport_Selection exports a conversation, then imports its manifest.json given directly.
func TestImport_Selection(t *testing.T) {
	db := MustOpenDB(t)
	seed(t, db)
	dir := exportTo(t, db, export.FormatFixtures, t.TempDir(), "conv", export.Options{
		Selection: backend.Selection{Conversation: backend.Ref{Vendor: "livechat", ID: "PJ0MRSHTDG"}}})
	res, err := export.ImportPath(context.Background(), MustOpenDB(t), filepath.Join(dir, export.ManifestName), "")
	if err != nil || res.Imported != 1 || res.Format != export.FormatFixtures {
		t.Errorf("ImportPath(manifest.json) = %+v, %v; want the one livechat delivery", res, err)
	}
	// A body file edited after the export is imported as it is, with a warning.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != export.ManifestName {
			os.WriteFile(filepath.Join(dir, e.Name()), []byte(`{"edited":true}`), 0o644)
		}
	}
	res, err = export.ImportPath(context.Background(), MustOpenDB(t), dir, "")
	if err != nil || res.Imported != 1 || len(res.Warnings) != 1 {
		t.Errorf("ImportPath(edited) = %+v, %v; want one warning", res, err)
	}
}
