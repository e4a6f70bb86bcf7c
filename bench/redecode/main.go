// Command redecode measures the background re-decode of a store after a decode.Version bump
// (issue 17): it marks every event of the store in -data for decoding again, as opening a store
// decoded by an older version does, runs the decoder as hooklens runs it (ingest.Decoder, no
// captures meanwhile) and reports how long it took to catch up and at what rate.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
	"hooklens/bench/internal/kit"
)

func main() {
	data := flag.String("data", "", "data directory of the store (its events are decoded again)")
	part := flag.String("part", "", "also write the figures here")
	limit := flag.Duration("timeout", 20*time.Minute, "give up after this long")
	flag.Parse()
	if *data == "" {
		fmt.Fprintln(os.Stderr, "redecode: -data is required")
		os.Exit(2)
	}
	if err := run(*data, *part, *limit); err != nil {
		fmt.Fprintln(os.Stderr, "redecode:", err)
		os.Exit(1)
	}
}

func run(data, part string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	reg := all.Registry()
	db := sqlite.NewDB(filepath.Join(data, "hooklens.db"))
	db.Rules = reg.Rulebook()
	if err := db.Open(); err != nil {
		return err
	}
	defer db.Close()
	n, err := db.CountDeliveries(ctx)
	if err != nil {
		return err
	}
	if err := db.InvalidateEvents(ctx, ""); err != nil {
		return err
	}
	dec := ingest.New(db, reg)
	if err := dec.LoadSecrets(ctx); err != nil {
		return err
	}
	start := time.Now()
	go dec.Run(ctx)
	for {
		idle := dec.Idle()
		dec.Wake()
		select {
		case <-idle:
		case <-ctx.Done():
			return fmt.Errorf("not caught up after %s", limit)
		}
		left, err := db.PendingDecode(ctx, 0, decode.Version, 1)
		if err != nil {
			return err
		}
		if len(left) == 0 {
			break
		}
	}
	took := time.Since(start).Seconds()
	fmt.Printf("re-decoded %d deliveries (decode.Version %d) in %.1f s: %.0f deliveries/s\n", n, decode.Version, took, float64(n)/took)
	if part == "" {
		return nil
	}
	f := kit.Val(float64(n)/took, "/s", nil)
	f.Detail = map[string]any{"seconds": took, "deliveries": n, "decode_version": decode.Version}
	return kit.WritePart(part, kit.Part{"redecode_per_s": f})
}
