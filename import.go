package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/lenient"
	"hooklens/backend/export"
	"hooklens/backend/ingest"
)

const importUsage = `Usage: hooklens import --data DIR [--format auto|fixtures|zip|ndjson|har] [--use-secrets] [--decode] FILE...
       hooklens import --lenient [--path /livechat] --data DIR FILE...

Imports exports (a fixture folder or its manifest.json, a .zip, .ndjson, .har) keeping each
delivery's id, time, headers and body bytes; they are marked as imported. A delivery whose id
is already in the store is skipped and counted. With --lenient each FILE is a vendor doc sample
as written (comments, trailing commas), captured as a sample delivery.

Deliveries are stored first and decoded after, like captures: by the app in the background, by
export and replay before they select, or at once with --decode.
`

// importCacheKiB is the store writer's page cache while import --decode decodes (entities and
// the search index touch pages all over the file). Storing alone appends: the default will do.
const importCacheKiB = 256 << 10

// runImport is `hooklens import`.
func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("hooklens import", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), importUsage); fs.PrintDefaults() }
	data := fs.String("data", defaultDataDir(), "data directory")
	lenientOn := fs.Bool("lenient", false, "files are vendor doc samples: tolerate comments, trailing and missing commas")
	path := fs.String("path", "/", "with --lenient: receiver path to record the samples under (e.g. /livechat); selects the vendor")
	format := fs.String("format", "auto", "auto, fixtures, zip, ndjson or har")
	useSecrets := fs.Bool("use-secrets", false, "configure the secrets a file carries (fixture secret, kept secrets) for vendors that have none")
	decodeNow := fs.Bool("decode", false, "decode what was imported before returning (otherwise the app, export and replay do it when they need it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("import: no files given")
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return err
	}
	store, err := openStore(filepath.Join(*data, "hooklens.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	if *lenientOn {
		return importSamples(ctx, store, *path, fs.Args())
	}
	f := strings.ToLower(*format)
	if f == "auto" {
		f = ""
	}
	var sum backend.ImportSummary
	secrets := map[string]string{}
	for _, name := range fs.Args() {
		res, err := export.ImportPath(ctx, store, name, f)
		sum.Add(name, res, err)
		line := fmt.Sprintf("%s\t%s: %d imported, %d duplicates skipped", name, res.Format, res.Imported, res.Duplicates)
		if err != nil {
			line += "; stopped: " + message(err)
		}
		fmt.Println(line)
		for _, w := range res.Warnings {
			fmt.Println("  warning:", w)
		}
		if n := len(res.DuplicateIDs); n > 0 {
			fmt.Printf("  duplicates: %s", strings.Join(res.DuplicateIDs[:min(n, 5)], " "))
			if res.Duplicates > 5 {
				fmt.Printf(" and %d more", res.Duplicates-5)
			}
			fmt.Println()
		}
		for v, s := range res.Secrets {
			secrets[v] = s
		}
	}
	// Like a capture, an import is stored first and decoded after, by whoever needs the events:
	// the app in the background, export and replay before they select.
	var dec *ingest.Decoder
	if *decodeNow {
		if err := store.SetWriteCache(ctx, importCacheKiB); err != nil {
			return err
		}
		dec, err = catchUp(ctx, store)
	} else {
		dec = ingest.New(store, all.Registry())
		err = dec.LoadSecrets(ctx)
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
		case !*useSecrets:
			fmt.Printf("the file carries a %s secret; pass --use-secrets to configure it so its deliveries verify\n", v)
		default:
			if err := dec.SetSecret(ctx, v, secrets[v]); err != nil {
				return fmt.Errorf("import: %s secret: %w", v, err)
			}
			fmt.Printf("configured the %s secret from the file\n", v)
		}
	}
	if *decodeNow && *useSecrets && len(vendors) > 0 {
		if _, err := catchUp(ctx, store); err != nil {
			return fmt.Errorf("import: decode: %w", err)
		}
	}
	if !*decodeNow && sum.Imported > 0 {
		fmt.Println("decoding follows when Hooklens runs, or before an export or replay (--decode: now)")
	}
	if sum.Failed > 0 {
		var failed []string
		for _, file := range sum.Files {
			if file.Error != nil {
				failed = append(failed, file.Name)
			}
		}
		return fmt.Errorf("import: %d of %d files could not be read completely: %s", sum.Failed, fs.NArg(), strings.Join(failed, ", "))
	}
	return nil
}

// importSamples captures vendor doc samples as written, normalized to JSON and marked as samples.
func importSamples(ctx context.Context, store interface {
	AddDelivery(context.Context, *backend.Delivery) error
}, path string, names []string) error {
	for _, name := range names {
		text, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		body, err := lenient.Parse(text)
		if err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		d := &backend.Delivery{Method: "POST", Path: path, Body: body, Size: int64(len(body)),
			ContentType: "application/json", Status: 200, Source: backend.SourceSample,
			Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
		if err := store.AddDelivery(ctx, d); err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		fmt.Printf("%s\t%s\n", d.ID, name)
	}
	return nil
}
