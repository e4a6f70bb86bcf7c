package export_test

import (
	"context"
	"path/filepath"
	"testing"

	"hooklens/backend/export"
)

// TestImportPathProgress: an import tells how many bytes it read, up to the size Size gives
// (a zip is read from its end first, so its count may pass the file's size by the directory);
// and export tells how many deliveries and body bytes it wrote.
func TestImportPathProgress(t *testing.T) {
	for _, tc := range []struct{ format, name string }{
		{export.FormatFixtures, "fixtures"},
		{export.FormatZip, "fixtures.zip"},
		{export.FormatNDJSON, "all.ndjson"},
		{export.FormatHAR, "all.har"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := MustOpenDB(t)
			seeded := seed(t, a)
			var wrote int
			var body int64
			path := exportTo(t, a, tc.format, t.TempDir(), tc.name, export.Options{Progress: func(n int, b int64) { wrote, body = n, b }})
			if wrote != len(seeded) || body <= 0 {
				t.Errorf("export progress ended at %d deliveries, %d body bytes; want %d and more than 0", wrote, body, len(seeded))
			}
			size, err := export.Size(path)
			if err != nil || size <= 0 {
				t.Fatalf("Size(%s) = %d, %v", path, size, err)
			}
			var calls int
			var read int64
			res, err := export.ImportPathProgress(context.Background(), MustOpenDB(t), path, "", func(n int64) {
				if n < read {
					t.Errorf("read went back from %d to %d", read, n)
				}
				calls, read = calls+1, n
			})
			if err != nil || res.Imported != len(seeded) {
				t.Fatalf("ImportPathProgress = %+v, %v", res, err)
			}
			switch {
			case tc.format == export.FormatZip && (read < size/2 || read > size*2):
				t.Errorf("read %d bytes of a %d-byte zip; want about its size", read, size)
			case tc.format != export.FormatZip && read != size:
				t.Errorf("read %d bytes; want Size = %d", read, size)
			}
			if calls == 0 {
				t.Error("read was never called")
			}
		})
	}
	if n, err := export.Size(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Errorf("Size(missing) = %d, nil; want an error", n)
	}
}
