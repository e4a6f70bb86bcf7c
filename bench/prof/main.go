// Command prof profiles the ingest path in one process: the store, the decoder and the receiver
// wired as `hooklens serve` wires them, under the load generator, with a CPU profile.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/receiver"
	"hooklens/backend/sqlite"
	"hooklens/bench/internal/kit"
	"hooklens/bench/internal/loadgen"
)

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	conns := flag.Int("conns", 32, "connections")
	dur := flag.Duration("duration", 5*time.Second, "how long to post")
	decode := flag.Bool("decode", true, "run the background decoder as serve does")
	flag.Parse()
	if err := run(*cpu, *conns, *dur, *decode); err != nil {
		fmt.Fprintln(os.Stderr, "prof:", err)
		os.Exit(1)
	}
}

func run(cpu string, conns int, dur time.Duration, decode bool) error {
	dir, err := os.MkdirTemp("", "prof-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store := sqlite.NewDB(filepath.Join(dir, "hooklens.db"))
	if err := store.Open(); err != nil {
		return err
	}
	defer store.Close()
	ctx, cancel := context.WithTimeout(context.Background(), dur+time.Minute)
	defer cancel()
	dec := ingest.New(store, all.Registry())
	if decode {
		go dec.Run(ctx)
	}
	srv := &receiver.Server{Handler: receiver.NewHandler(store)}
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		return err
	}
	defer srv.Shutdown(context.Background())
	addr := srv.Addr().String()
	tmpl := loadgen.NewTemplate(addr, "/livechat/webhook")
	loadgen.Run(ctx, addr, tmpl, conns, 500*time.Millisecond)
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	r := loadgen.Run(ctx, addr, tmpl, conns, dur)
	ms := kit.DurationsMS(r.Latencies)
	n, _ := store.CountDeliveries(ctx)
	fmt.Printf("c=%d %.0f req/s p50 %.2f ms p99 %.2f ms 2xx %d errors %d stored %d %s\n", conns, r.RPS(),
		kit.Percentile(ms, 50), kit.Percentile(ms, 99), r.OK, r.Errors, n, strings.Repeat("", 0))
	return nil
}
