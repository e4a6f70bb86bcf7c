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
	"hooklens/backend/ingest"
	"hooklens/backend/replay"
	"hooklens/backend/simulate"
)

const simulateUsage = `Usage: hooklens simulate VENDOR|all [SCENARIO] [--to URL] [--data DIR] [--secret VENDOR=SECRET]...
       hooklens simulate --list

Sends a realistic scenario of VENDOR's webhooks (livechat, iadvize, closer; all sends the three)
with fresh ids and current times, signed the way the vendor signs when a secret is configured:
LiveChat secret_key in the body, iAdvize X-iAdvize-Signature, Closer X-Closer-Token. Secrets come
from --secret, else from the store in --data (when it exists). Each request goes to the URL
with the vendor's path appended (http://127.0.0.1:8787/livechat by default).
`

// runSimulate is `hooklens simulate`.
func runSimulate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("hooklens simulate", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), simulateUsage); fs.PrintDefaults() }
	to := fs.String("to", simulate.DefaultTarget, "receiver (or any) URL; the vendor's path is appended")
	data := fs.String("data", defaultDataDir(), "data directory to read the configured secrets from, when it holds a store")
	list := fs.Bool("list", false, "list the scenarios")
	interval := fs.Duration("interval", 0, "wait between events (e.g. 1s)")
	secrets := secretFlags{}
	fs.Var(secrets, "secret", "vendor secret as VENDOR=SECRET; repeatable (overrides the store's)")
	// The vendor and scenario may come before the flags.
	var pos []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		pos, args = append(pos, args[0]), args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	pos = append(pos, fs.Args()...)
	if *list {
		for _, sc := range simulate.Scenarios() {
			fmt.Printf("%-9s %-13s %s\n          %s\n", sc.Vendor, sc.Name, sc.Description, strings.Join(sc.Events, ", "))
		}
		return nil
	}
	if len(pos) == 0 || len(pos) > 2 {
		fs.Usage()
		return fmt.Errorf("simulate: want VENDOR [SCENARIO]")
	}
	scenario := ""
	if len(pos) == 2 {
		scenario = pos[1]
	}
	vendors := []string{strings.ToLower(pos[0])}
	if vendors[0] == "all" {
		vendors = []string{backend.VendorLiveChat, backend.VendorIAdvize, backend.VendorCloser}
	}
	var scenarios []simulate.Scenario
	for _, v := range vendors {
		sc, err := simulate.Find(v, scenario)
		if err != nil {
			return fmt.Errorf("simulate: %s", message(err))
		}
		scenarios = append(scenarios, sc)
	}
	if _, err := replay.ParseTarget(*to); err != nil {
		return fmt.Errorf("simulate: --to: %s", message(err))
	}
	stored, err := storedSecrets(ctx, *data)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	sender := &replay.Sender{}
	failed := 0
	for _, sc := range scenarios {
		secret, ok := secrets[sc.Vendor]
		if !ok {
			secret = stored[sc.Vendor]
		}
		signed := "unsigned (no secret configured)"
		if secret != "" {
			signed = "signed with the configured secret"
		}
		fmt.Printf("%s %s: %d events, %s\n", sc.Vendor, sc.Name, len(sc.Events), signed)
		sent, err := simulate.Send(ctx, sender, *to, sc.Build(time.Now(), secret), *interval)
		for _, s := range sent {
			line := fmt.Sprintf("  %-26s -> %d", s.EventType, s.Status)
			if s.ID != "" {
				line += "  " + s.ID
			}
			if s.Error != "" {
				line += "  error: " + s.Error
				failed++
			}
			fmt.Println(line)
		}
		if err != nil {
			return fmt.Errorf("simulate: %s", message(err))
		}
	}
	if failed > 0 {
		return fmt.Errorf("simulate: %d events were not accepted by %s", failed, *to)
	}
	return nil
}

// storedSecrets reads the vendor secrets of the store in data, when there is one; it opens
// the store only to read (no migration is started for a store that does not exist).
func storedSecrets(ctx context.Context, data string) (map[string]string, error) {
	out := map[string]string{}
	path := filepath.Join(data, "hooklens.db")
	if _, err := os.Stat(path); err != nil {
		return out, nil
	}
	store, err := openStore(path)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	dec := ingest.New(store, all.Registry())
	if err := dec.LoadSecrets(ctx); err != nil {
		return nil, err
	}
	for _, v := range []string{backend.VendorLiveChat, backend.VendorIAdvize, backend.VendorCloser} {
		out[v] = dec.Secret(v)
	}
	return out, nil
}
