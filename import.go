package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"hooklens/backend"
	"hooklens/backend/decode/lenient"
)

// runImport captures files as deliveries. With --lenient each file is a vendor doc sample as
// written (comments, trailing commas, a missing comma), normalized to JSON and marked as a sample.
func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("hooklens import", flag.ContinueOnError)
	data := fs.String("data", defaultDataDir(), "data directory")
	lenientOn := fs.Bool("lenient", false, "files are vendor doc samples: tolerate comments, trailing and missing commas")
	path := fs.String("path", "/", "receiver path to record the samples under (e.g. /livechat); selects the vendor")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("import: no files given")
	}
	if !*lenientOn {
		return fmt.Errorf("import: only --lenient (vendor doc samples) is supported by this version")
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return err
	}
	store, err := openStore(filepath.Join(*data, "hooklens.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	for _, name := range fs.Args() {
		text, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		body, err := lenient.Parse(text)
		if err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		d := &backend.Delivery{Method: "POST", Path: *path, Body: body, Size: int64(len(body)),
			ContentType: "application/json", Status: 200, Source: backend.SourceSample,
			Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
		if err := store.AddDelivery(ctx, d); err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		fmt.Printf("%s\t%s\n", d.ID, name)
	}
	return nil
}
