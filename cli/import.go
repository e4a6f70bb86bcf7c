package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"hooklens/backend"
	"hooklens/backend/decode/lenient"
	"hooklens/backend/export"
	"hooklens/backend/ingest"
)

// importCacheKiB is the store writer's page cache while import --decode decodes (entities and
// the search index touch pages all over the file). Storing alone appends: the default will do.
const importCacheKiB = 256 << 10

// importFlags are the flags of `hooklens import`.
type importFlags struct {
	data, path, format          string
	lenient, useSecrets, decode bool
	progress                    progressFlags
}

// newImportCmd is `hooklens import`.
func (m *Main) newImportCmd() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import [--format auto|fixtures|zip|ndjson|har] [--use-secrets] [--decode] FILE...",
		Short: "Import exports (fixture folder, .zip, .ndjson, .har) or vendor doc samples",
		Long: `Import reads exports (a fixture folder or its manifest.json, a .zip, .ndjson, .har) keeping each
delivery's id, time, headers and body bytes; they are marked as imported. A delivery whose id
is already in the store is skipped and counted. With --lenient each FILE is a vendor doc sample
as written (comments, trailing commas), captured as a sample delivery.

Deliveries are stored first and decoded after, like captures: by the app in the background, by
export and replay before they select, or at once with --decode. A file that cannot be read is
named with the line where reading stopped, and the command exits with status 2.

Progress (bytes read of the files' sizes) goes to standard error: a bar on a terminal, otherwise
a line every 2 seconds; --no-progress turns it off.`,
		Example: `  # a fixture folder exported with --scrub, configuring its fixture secret
  hooklens import --use-secrets fixtures/

  # an NDJSON export into another data directory, decoded at once
  hooklens import --data /tmp/copy --decode all.ndjson

  # a sample copied from a vendor's documentation, recorded as received on /livechat
  hooklens import --lenient --path /livechat incoming_chat.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("import: no files given")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return m.runImport(cmd.Context(), f, args) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.data, "data", defaultDataDir(), "data `directory`")
	fs.BoolVar(&f.lenient, "lenient", false, "files are vendor doc samples: tolerate comments, trailing and missing commas")
	fs.StringVar(&f.path, "path", "/", "with --lenient: receiver path to record the samples under (e.g. /livechat); selects the vendor")
	fs.StringVar(&f.format, "format", "auto", "auto, fixtures, zip, ndjson or har")
	fs.BoolVar(&f.useSecrets, "use-secrets", false, "configure the secrets a file carries (fixture secret, kept secrets) for registry that have none")
	fs.BoolVar(&f.decode, "decode", false, "decode what was imported before returning (otherwise the app, export and replay do it when they need it)")
	f.progress.register(cmd)
	cmd.MarkFlagDirname("data")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(append([]string{"auto"}, exportFormats...), cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("path", completeVendorPath)
	return cmd
}

// runImport imports the files names into the store of f.data.
func (m *Main) runImport(ctx context.Context, f importFlags, names []string) error {
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return err
	}
	store, err := openStore(filepath.Join(f.data, "hooklens.db"), m.Stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	if f.lenient {
		return importSamples(ctx, store, m.Stdout, f.path, names)
	}
	format := strings.ToLower(f.format)
	if format == "auto" {
		format = ""
	}
	var sum backend.ImportSummary
	badInput := true
	secrets := map[string]string{}
	sizes := make([]int64, len(names))
	var total, before int64
	if !f.progress.off {
		for i, name := range names {
			sizes[i], _ = export.Size(name) // a file that cannot be read is reported by its import
			total += sizes[i]
		}
	}
	bar := f.progress.start(m, "import", "", total)
	defer bar.Done()
	for i, name := range names {
		var read func(int64)
		if bar != nil {
			read = func(n int64) { bar.Set(before+min(n, sizes[i]), 0) }
		}
		res, err := export.ImportPathProgress(ctx, store, name, format, read)
		before += sizes[i]
		bar.Set(before, 0)
		sum.Add(name, res, err)
		line := fmt.Sprintf("%s\t%s: %d imported, %d duplicates skipped", name, res.Format, res.Imported, res.Duplicates)
		if err != nil {
			line += "; stopped: " + message(err)
			badInput = badInput && backend.ErrorCode(err) == backend.EINVALID
		}
		bar.Pause(func() { printImported(m.Stdout, line, res) })
		for v, s := range res.SecretsFor(registry.Names()) {
			secrets[v] = s
		}
	}
	bar.Done()
	// Like a capture, an import is stored first and decoded after, by whoever needs the events:
	// the app in the background, export and replay before they select.
	var dec *ingest.Decoder
	if f.decode {
		if err := store.SetWriteCache(ctx, importCacheKiB); err != nil {
			return err
		}
		dec, err = catchUp(ctx, store)
	} else {
		dec, err = newDecoder(ctx, store)
	}
	if err != nil {
		return fmt.Errorf("import: decode: %w", err)
	}
	vendors := make([]string, 0, len(secrets))
	for v := range secrets {
		vendors = append(vendors, v)
	}
	sort.Strings(vendors)
	for _, v := range vendors {
		switch {
		case dec.Secret(v) != "":
		case !f.useSecrets:
			fmt.Fprintf(m.Stdout, "the file carries a %s secret; pass --use-secrets to configure it so its deliveries verify\n", v)
		default:
			if err := dec.SetSecret(ctx, v, secrets[v]); err != nil {
				return fmt.Errorf("import: %s secret: %w", v, err)
			}
			fmt.Fprintf(m.Stdout, "configured the %s secret from the file\n", v)
		}
	}
	if f.decode && f.useSecrets && len(vendors) > 0 {
		if _, err := catchUp(ctx, store); err != nil {
			return fmt.Errorf("import: decode: %w", err)
		}
	}
	if !f.decode && sum.Imported > 0 {
		fmt.Fprintln(m.Stdout, "decoding follows when Hooklens runs, or before an export or replay (--decode: now)")
	}
	if sum.Failed > 0 {
		var failed []string
		for _, file := range sum.Files {
			if file.Error != nil {
				failed = append(failed, file.Name)
			}
		}
		err := fmt.Errorf("import: %d of %d files could not be read completely: %s", sum.Failed, len(names), strings.Join(failed, ", "))
		if badInput {
			return usageError{err}
		}
		return err
	}
	return nil
}

// printImported writes a file's line, its warnings and the first duplicates skipped.
func printImported(w io.Writer, line string, res backend.ImportResult) {
	fmt.Fprintln(w, line)
	for _, warn := range res.Warnings {
		fmt.Fprintln(w, "  warning:", warn)
	}
	if n := len(res.DuplicateIDs); n > 0 {
		fmt.Fprintf(w, "  duplicates: %s", strings.Join(res.DuplicateIDs[:min(n, 5)], " "))
		if res.Duplicates > 5 {
			fmt.Fprintf(w, " and %d more", res.Duplicates-5)
		}
		fmt.Fprintln(w)
	}
}

// importSamples captures vendor doc samples as written, normalized to JSON and marked as samples.
// A sample that cannot be read is a usage error naming the file, line and column.
func importSamples(ctx context.Context, store interface {
	AddDelivery(context.Context, *backend.Delivery) error
}, stdout io.Writer, path string, names []string) error {
	for _, name := range names {
		text, err := os.ReadFile(name)
		if err != nil {
			return usagef("import: %w", err)
		}
		body, err := lenient.Parse(text)
		if err != nil {
			var le *lenient.Error
			if errors.As(err, &le) {
				return usagef("import %s line %d, column %d: %s", name, le.Line, le.Col, le.Msg)
			}
			return usagef("import %s: %w", name, err)
		}
		d := &backend.Delivery{Method: "POST", Path: path, Body: body, Size: int64(len(body)),
			ContentType: "application/json", Status: 200, Source: backend.SourceSample,
			Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
		if err := store.AddDelivery(ctx, d); err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		fmt.Fprintf(stdout, "%s\t%s\n", d.ID, name)
	}
	return nil
}
