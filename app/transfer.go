package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hooklens/backend"
)

// runImports imports each path in turn; a file that fails does not stop the others. The summary
// is the answer of POST /api/v1/import, so the frontend shows it the same way; a file that
// could not be read is invalid input, told with its error as is.
func runImports(ctx context.Context, paths []string, imp func(ctx context.Context, path string) (backend.ImportResult, error)) backend.ImportSummary {
	sum := backend.ImportSummary{Files: []backend.ImportedFile{}}
	for _, p := range paths {
		res, err := imp(ctx, p)
		if err != nil {
			err = backend.Errorf(backend.EINVALID, "%s", err.Error())
		}
		sum.Add(filepath.Base(p), res, err)
	}
	return sum
}

// summaryText says what an import did, for a native dialog.
func summaryText(s backend.ImportSummary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Imported %d %s", s.Imported, plural(s.Imported, "delivery", "deliveries"))
	if s.Duplicates > 0 {
		fmt.Fprintf(&b, ", %d already there", s.Duplicates)
	}
	b.WriteString(".")
	for _, f := range s.Files {
		if f.Error != nil {
			fmt.Fprintf(&b, "\n%s: %s", f.Name, f.Error.Message)
		}
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// exportFormats maps a file extension to the export format written.
var exportFormats = map[string]string{".zip": "zip", ".ndjson": "ndjson", ".jsonl": "ndjson", ".har": "har"}

// exportFilter is the save dialog's file type of each format.
var exportFilter = map[string]runtime.FileFilter{
	"zip":    {DisplayName: "Fixture folder as a zip (*.zip)", Pattern: "*.zip"},
	"ndjson": {DisplayName: "NDJSON, one delivery a line (*.ndjson)", Pattern: "*.ndjson;*.jsonl"},
	"har":    {DisplayName: "HAR (*.har)", Pattern: "*.har"},
}

// exportFilters are the save dialog's file types when the extension picks the format.
var exportFilters = []runtime.FileFilter{exportFilter["zip"], exportFilter["ndjson"], exportFilter["har"]}

// importFilters are the open dialog's file types.
var importFilters = []runtime.FileFilter{
	{DisplayName: "Hooklens exports (*.zip, *.ndjson, *.har, manifest.json)", Pattern: "*.zip;*.ndjson;*.jsonl;*.har;manifest.json"},
	{DisplayName: "All files", Pattern: "*"},
}

// exportName is the file name the save dialog proposes for an export in format (zip, ndjson or
// har); the API's download is named the same way.
func exportName(now time.Time, format string) string {
	return "hooklens-" + now.UTC().Format("20060102-150405") + "." + format
}

// exportTarget returns the path to write and its format, told by the extension: .zip (the
// fixture folder as a zip, also added when there is no extension), .ndjson or .jsonl, or .har.
func exportTarget(path string) (string, string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == "" {
		return path + ".zip", "zip", nil
	}
	if f, ok := exportFormats[ext]; ok {
		return path, f, nil
	}
	return "", "", fmt.Errorf("%s: the file name must end in .zip (fixtures), .ndjson or .har", filepath.Base(path))
}

// targetFor returns the path to write an export in format to: chosen when its extension is one
// of the format's, else chosen with the format's extension added.
func targetFor(chosen, format string) string {
	if f, ok := exportFormats[strings.ToLower(filepath.Ext(chosen))]; ok && f == format {
		return chosen
	}
	return chosen + "." + format
}

// writeExport calls write with a file beside path and renames that file into place once write
// returns nil, so a failed or canceled export never leaves a file, whole or truncated, under
// the chosen name (nor beside it). The file is readable by the user only, like the store.
func writeExport(path string, write func(w io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// errBusy is shown when an export or import is asked for while another runs.
var errBusy = errors.New("an export or import is already running")
