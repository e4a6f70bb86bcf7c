package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"hooklens/backend/export"
)

// exportFormats are the values of export --format.
var exportFormats = []string{export.FormatFixtures, export.FormatZip, export.FormatNDJSON, export.FormatHAR}

// newExportCmd is `hooklens export`.
func (m *Main) newExportCmd() *cobra.Command {
	var (
		data, format, out   string
		scrub, keep, pretty bool
		sf                  selectionFlags
		pf                  progressFlags
	)
	cmd := &cobra.Command{
		Use:   "export --out PATH [--format fixtures|zip|ndjson|har] [selection]",
		Short: "Write deliveries as test fixtures, a zip, NDJSON or HAR",
		Long: `Export writes deliveries (all of them, or a selection; the criteria combine) in arrival order.

--out - writes zip, ndjson or har to standard output. A fixture folder is one file per body,
exactly as received, and manifest.json; --out x.zip writes it zipped. With --scrub, personal
data and secrets are replaced by consistent pseudonyms and the deliveries are signed again with
a fixture secret, which is printed.

Progress goes to standard error: a bar on a terminal, otherwise a line every 2 seconds;
--no-progress turns it off.`,
		Example: `  # one conversation as a fixture folder, scrubbed
  hooklens export --conversation livechat/PJ0MRSHTDG --scrub --out fixtures/

  # everything as NDJSON on standard output
  hooklens export --format ndjson --out - > all.ndjson

  # a search as a HAR file for the browser's network tools
  hooklens export --format har --query "vendor:iadvize type:v2.conversation.closed" --out closed.har`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("export: --out is required")
			}
			f := strings.ToLower(format)
			if !slices.Contains(exportFormats, f) {
				return usagef("export: --format %q: want fixtures, zip, ndjson or har", format)
			}
			sel, err := sf.selection()
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if out == "-" && f == export.FormatFixtures {
				return usagef("export: a fixture folder cannot go to standard output (use --format zip)")
			}
			store, err := m.openData(data)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			defer store.Close()
			ctx := cmd.Context()
			dec, err := catchUp(ctx, store)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			opt := export.Options{Vendors: registry, Format: f, Selection: sel, Scrub: scrub, KeepSecrets: keep, Pretty: pretty,
				Secrets: dec.Secret, Generator: "hooklens " + m.Version}
			start := time.Now()
			var total int64
			if !pf.off {
				total, _, _ = store.CountSelection(ctx, sel) // a bad query fails the export itself
			}
			bar := pf.start(m, "export", "deliveries", total)
			opt.Progress = func(n int, bodyBytes int64) { bar.Set(int64(n), bodyBytes) }
			var res export.Result
			if out == "-" {
				res, err = export.Write(ctx, store, m.Stdout, opt)
			} else {
				res, err = export.WriteFile(ctx, store, out, opt)
			}
			bar.Done()
			if err != nil {
				return inputError(fmt.Errorf("export: %s", message(err)), err)
			}
			fmt.Fprintf(m.Stderr, "exported %d deliveries (%d body bytes) as %s to %s in %v\n",
				res.Deliveries, res.BodyBytes, res.Format, out, time.Since(start).Round(time.Millisecond))
			if res.FixtureSecret != "" {
				fmt.Fprintf(m.Stderr, "scrubbed: %d places; fixture secret %s (configure it as the vendor secret to verify)\n",
					len(res.Scrubbed), res.FixtureSecret)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&data, "data", defaultDataDir(), "data `directory`")
	fs.StringVar(&format, "format", export.FormatFixtures, "fixtures (a folder, or a zip when --out ends in .zip), zip, ndjson or har")
	fs.StringVar(&out, "out", "", "where to write (a new or empty folder for fixtures; - for standard output)")
	fs.BoolVar(&scrub, "scrub", false, "replace personal data and secrets by consistent pseudonyms; re-sign with a fixture secret")
	fs.BoolVar(&keep, "keep-secrets", false, "keep secret_key, tokens and credentials, and write the configured vendor secrets into the export")
	fs.BoolVar(&pretty, "pretty", false, "fixtures: indent JSON bodies (only where import can restore the exact bytes)")
	sf.register(cmd)
	pf.register(cmd)
	cmd.MarkFlagDirname("data")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(exportFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}
