// Command xfer benchmarks `hooklens export --format ndjson` and `hooklens import` of a seeded
// store (100,000 deliveries in the suite): MB/s of the NDJSON file, each direction, and checks
// that the import stored every exported delivery. Commands the binary does not have yet are
// reported as not available.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"hooklens/bench/internal/kit"

	_ "modernc.org/sqlite"
)

func main() {
	bin := flag.String("hooklens", "build/bin/hooklens", "the hooklens binary")
	data := flag.String("data", "", "data directory of the store to export")
	runs := flag.Int("runs", 3, "timed runs of each direction")
	tmp := flag.String("tmp", "", "folder for the export and the import stores (default: a temporary folder)")
	out := flag.String("out", "build/bench/parts/xfer.json", "where to write the figures")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(*runs)*4*time.Minute+time.Minute)
	defer cancel()
	part, err := run(ctx, *bin, *data, *tmp, *runs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "xfer:", err)
		os.Exit(1)
	}
	if err := kit.WritePart(*out, part); err != nil {
		fmt.Fprintln(os.Stderr, "xfer:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bin, data, tmp string, runs int) (kit.Part, error) {
	part := kit.Part{}
	dir, err := kit.TempDir(tmp, "xfer-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "export.ndjson")
	exportArgs, why := exportCommand(ctx, bin, data, file)
	if exportArgs == nil {
		part["export_mbps"] = kit.Missing("MB/s", "not available: "+why)
		part["import_mbps"] = kit.Missing("MB/s", "not available: nothing to import without an NDJSON export")
		kit.Logf("xfer: export %s", why)
		return part, nil
	}
	var exp []float64
	var size int64
	for i := range runs {
		os.Remove(file)
		secs, err := timed(ctx, bin, exportArgs)
		if err != nil {
			part["export_mbps"] = kit.Missing("MB/s", "not available: "+err.Error())
			part["import_mbps"] = kit.Missing("MB/s", "not available: the export failed")
			return part, nil
		}
		st, err := os.Stat(file)
		if err != nil {
			return nil, fmt.Errorf("export wrote no %s: %w", file, err)
		}
		size = st.Size()
		exp = append(exp, float64(size)/1e6/secs)
		kit.Logf("xfer: export %d: %.1f MB in %.2f s = %.1f MB/s", i+1, float64(size)/1e6, secs, exp[i])
	}
	lines, _ := countLines(file)
	f := kit.Val(kit.Median(exp), "MB/s", exp)
	f.Detail = map[string]any{"file_mb": float64(size) / 1e6, "deliveries": lines}
	part["export_mbps"] = f

	var imp []float64
	var stored int64
	for i := range runs {
		into := filepath.Join(dir, fmt.Sprintf("import-%d", i))
		args := []string{"import", "--data", into, "--format", "ndjson", file}
		secs, err := timed(ctx, bin, args)
		if err != nil {
			part["import_mbps"] = kit.Missing("MB/s", "not available: "+err.Error())
			return part, nil
		}
		if stored, err = countRows(filepath.Join(into, "hooklens.db")); err != nil {
			return nil, err
		}
		imp = append(imp, float64(size)/1e6/secs)
		kit.Logf("xfer: import %d: %d deliveries, %.1f MB in %.2f s = %.1f MB/s", i+1, stored, float64(size)/1e6, secs, imp[i])
		os.RemoveAll(into)
	}
	f = kit.Val(kit.Median(imp), "MB/s", imp)
	f.Detail = map[string]any{"stored": stored, "exported": lines}
	if stored != int64(lines) {
		f.Note = fmt.Sprintf("import stored %d deliveries of %d exported", stored, lines)
	}
	part["import_mbps"] = f
	// The import stores and leaves decoding to the app, export and replay; once more with
	// --decode, which also waits for every imported delivery to be decoded (no target).
	into := filepath.Join(dir, "import-decode")
	if secs, err := timed(ctx, bin, []string{"import", "--data", into, "--format", "ndjson", "--decode", file}); err == nil {
		part["import_decoded_mbps"] = kit.Val(float64(size)/1e6/secs, "MB/s", []float64{float64(size) / 1e6 / secs})
		kit.Logf("xfer: import --decode: %.1f MB in %.2f s = %.1f MB/s", float64(size)/1e6, secs, float64(size)/1e6/secs)
	}
	os.RemoveAll(into)
	return part, nil
}

// exportCommand returns the arguments that export data to file as NDJSON, reading the flags the
// binary documents; nil and why when it has no NDJSON export.
func exportCommand(ctx context.Context, bin, data, file string) ([]string, string) {
	help, _ := exec.CommandContext(ctx, bin, "export", "-h").CombinedOutput()
	text := string(help)
	if strings.Contains(text, "unknown command") || !strings.Contains(strings.ToLower(text), "ndjson") {
		return nil, fmt.Sprintf("`hooklens export -h` does not offer NDJSON: %.120q", text)
	}
	args := []string{"export", "--data", data, "--format", "ndjson"}
	for _, name := range []string{"out", "output", "o", "file"} {
		if regexp.MustCompile(`(?m)^\s*-{1,2}` + name + `\b`).MatchString(text) {
			return append(args, "--"+name, file), ""
		}
	}
	return append(args, ">", file), "" // to stdout; timed handles the redirection
}

// timed runs bin args (a trailing "> FILE" sends stdout there) and returns its wall time.
func timed(ctx context.Context, bin string, args []string) (float64, error) {
	var stdout *os.File
	if n := len(args); n >= 2 && args[n-2] == ">" {
		f, err := os.Create(args[n-1])
		if err != nil {
			return 0, err
		}
		defer f.Close()
		stdout, args = f, args[:n-2]
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if stdout != nil {
		cmd.Stdout = stdout
	}
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("hooklens %s: %v: %.300s", strings.Join(args, " "), err, stderr.String())
	}
	return time.Since(t0).Seconds(), nil
}

func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	buf := make([]byte, 1<<20)
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte("\n"))
		if err != nil {
			return n, nil
		}
	}
}

// countRows counts the deliveries in a store file no process has open.
func countRows(path string) (int64, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int64
	err = db.QueryRow(`SELECT COUNT(*) FROM deliveries`).Scan(&n)
	return n, err
}
