package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/export"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
)

// listFlag collects a repeatable flag; commas separate values too.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// selectionFlags are the flags that choose deliveries (export and replay).
type selectionFlags struct {
	conversation, agent, query string
	ids                        listFlag
}

func (s *selectionFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.conversation, "conversation", "", "one conversation, as VENDOR/ID (livechat/PJ0MRSHTDG)")
	fs.StringVar(&s.agent, "agent", "", "every event of one agent, as VENDOR/ID (livechat/smith@example.com)")
	fs.StringVar(&s.query, "query", "", `a search, in the UI's language ("vendor:iadvize type:v2.conversation.closed")`)
	fs.Var(&s.ids, "id", "a delivery id; repeatable")
}

func (s *selectionFlags) selection() (backend.Selection, error) {
	sel := backend.Selection{Query: s.query, IDs: s.ids}
	var err error
	if s.conversation != "" {
		if sel.Conversation, err = backend.ParseRef(s.conversation); err != nil {
			return sel, fmt.Errorf("--conversation: %s", backend.ErrorMessage(err))
		}
	}
	if s.agent != "" {
		if sel.Agent, err = backend.ParseRef(s.agent); err != nil {
			return sel, fmt.Errorf("--agent: %s", backend.ErrorMessage(err))
		}
	}
	if s.query != "" {
		if _, err := backend.ParseQuery(s.query); err != nil {
			return sel, fmt.Errorf("--query: %s", backend.ErrorMessage(err))
		}
	}
	return sel, nil
}

func (s *selectionFlags) empty() bool {
	return s.conversation == "" && s.agent == "" && s.query == "" && len(s.ids) == 0
}

// openData opens the store of a data directory that must already hold one.
func openData(data string) (*sqlite.DB, error) {
	path := filepath.Join(data, "hooklens.db")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no Hooklens store in %s (give --data the directory `hooklens serve` uses)", data)
	}
	return openStore(path)
}

// catchUp decodes every delivery not decoded yet (serve does it in the background; a command
// run on its own must do it before it selects by vendor, conversation or agent). It returns
// the decoder, which holds the configured secrets.
func catchUp(ctx context.Context, store *sqlite.DB) (*ingest.Decoder, error) {
	dec := ingest.New(store, all.Registry())
	if err := dec.LoadSecrets(ctx); err != nil {
		return nil, err
	}
	dctx, cancel := context.WithCancel(ctx)
	idle := dec.Idle()
	done := make(chan struct{})
	go func() { dec.Run(dctx); close(done) }()
	select {
	case <-idle:
	case <-ctx.Done():
	}
	cancel()
	<-done
	return dec, ctx.Err()
}

// message is what a command prints for err: the message of a domain error, else the error.
func message(err error) string {
	if backend.ErrorCode(err) == backend.EINTERNAL {
		return err.Error()
	}
	return backend.ErrorMessage(err)
}

const exportUsage = `Usage: hooklens export --data DIR --format fixtures|zip|ndjson|har --out PATH
       [--conversation VENDOR/ID] [--agent VENDOR/ID] [--query Q] [--id ID]...
       [--scrub] [--keep-secrets] [--pretty]

Exports deliveries (all of them, or a selection; the criteria combine) in arrival order.
--out - writes zip, ndjson or har to standard output. A fixture folder is one file per body,
exactly as received, and manifest.json; --out x.zip writes it zipped.
`

// runExport is `hooklens export`.
func runExport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("hooklens export", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), exportUsage); fs.PrintDefaults() }
	data := fs.String("data", defaultDataDir(), "data directory")
	format := fs.String("format", export.FormatFixtures, "fixtures (a folder, or a zip when --out ends in .zip), zip, ndjson or har")
	out := fs.String("out", "", "where to write (a new or empty folder for fixtures; - for standard output)")
	scrub := fs.Bool("scrub", false, "replace personal data and secrets by consistent pseudonyms; re-sign with a fixture secret")
	keep := fs.Bool("keep-secrets", false, "keep secret_key, tokens and credentials, and write the configured vendor secrets into the export")
	pretty := fs.Bool("pretty", false, "fixtures: indent JSON bodies (only where import can restore the exact bytes)")
	var sf selectionFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return fmt.Errorf("export: --out is required")
	}
	f := strings.ToLower(*format)
	switch f {
	case export.FormatFixtures, export.FormatZip, export.FormatNDJSON, export.FormatHAR:
	default:
		return fmt.Errorf("export: --format %q: want fixtures, zip, ndjson or har", *format)
	}
	sel, err := sf.selection()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	store, err := openData(*data)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer store.Close()
	dec, err := catchUp(ctx, store)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	opt := export.Options{Format: f, Selection: sel, Scrub: *scrub, KeepSecrets: *keep, Pretty: *pretty,
		Secrets: dec.Secret, Generator: "hooklens " + version}
	start := time.Now()
	var res export.Result
	if *out == "-" {
		if f == export.FormatFixtures {
			return fmt.Errorf("export: a fixture folder cannot go to standard output (use --format zip)")
		}
		res, err = export.Write(ctx, store, os.Stdout, opt)
	} else {
		res, err = export.WriteFile(ctx, store, *out, opt)
	}
	if err != nil {
		return fmt.Errorf("export: %s", message(err))
	}
	fmt.Fprintf(os.Stderr, "exported %d deliveries (%d body bytes) as %s to %s in %v\n",
		res.Deliveries, res.BodyBytes, res.Format, *out, time.Since(start).Round(time.Millisecond))
	if res.FixtureSecret != "" {
		fmt.Fprintf(os.Stderr, "scrubbed: %d places; fixture secret %s (configure it as the vendor secret to verify)\n",
			len(res.Scrubbed), res.FixtureSecret)
	}
	return nil
}
