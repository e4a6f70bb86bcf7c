// Command load is the ingest benchmark: it posts a 2 KB LiveChat incoming_event at 1 and 32
// connections to a bare net/http handler and to `hooklens serve`'s receiver under each -sync
// policy, alternating rounds, reads the journal syncs from health, and checks that every
// acknowledged delivery was stored. `load -bare ADDR` is the bare server.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"hooklens/bench/internal/kit"
	"hooklens/bench/internal/loadgen"

	_ "modernc.org/sqlite"
)

func main() {
	bare := flag.String("bare", "", "run the bare baseline server on this address and print its URL")
	appendTo := flag.String("bare-append", "", "with -bare: append every body to this file before answering (a capture journal's ceiling)")
	bin := flag.String("hooklens", "build/bin/hooklens", "the hooklens binary")
	rounds := flag.Int("rounds", 5, "interleaved rounds per concurrency")
	dur := flag.Duration("duration", 3*time.Second, "length of one timed run")
	connList := flag.String("conns", "1,32", "concurrencies, comma-separated")
	syncList := flag.String("sync", "always,os", "serve's --sync policies, comma-separated: each is a run per round")
	out := flag.String("out", "build/bench/parts/ingest.json", "where to write the figures")
	tmp := flag.String("tmp", "", "folder for the fresh store (default: a temporary folder)")
	paced := flag.String("paced", "", "only post -rate deliveries per second for -duration to this receiver URL; print JSON")
	rate := flag.Int("rate", 500, "deliveries per second with -paced")
	closed := flag.String("closed", "", "only post over the first of -conns connections for -duration to this receiver URL (for profiling)")
	flag.Parse()
	if *closed != "" {
		addr := strings.TrimPrefix(*closed, "http://")
		c, _ := strconv.Atoi(strings.Split(*connList, ",")[0])
		ctx, cancel := context.WithTimeout(context.Background(), *dur+time.Minute)
		defer cancel()
		r := loadgen.Run(ctx, addr, loadgen.NewTemplate(addr, "/livechat/webhook"), max(1, c), *dur)
		ms := kit.DurationsMS(r.Latencies)
		fmt.Printf("c=%d %.0f req/s p50 %.2f ms p99 %.2f ms 2xx %d/%d errors %d\n", c, r.RPS(),
			kit.Percentile(ms, 50), kit.Percentile(ms, 99), r.OK, r.Requests, r.Errors)
		return
	}
	if *paced != "" {
		addr := strings.TrimPrefix(*paced, "http://")
		ctx, cancel := context.WithTimeout(context.Background(), *dur+time.Minute)
		defer cancel()
		r := loadgen.Paced(ctx, addr, loadgen.NewTemplate(addr, "/livechat/webhook"), *rate, *dur, 16)
		fmt.Printf(`{"sent":%d,"ok":%d,"failed":%d,"seconds":%.3f}`+"\n", r.Requests+r.Errors, r.OK,
			r.Requests+r.Errors-r.OK, r.Elapsed.Seconds())
		return
	}
	if *bare != "" {
		if err := serveBare(*bare, *appendTo); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	var conns []int
	for _, c := range strings.Split(*connList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 || n > 1024 {
			fmt.Fprintf(os.Stderr, "load: bad -conns %q\n", *connList)
			os.Exit(2)
		}
		conns = append(conns, n)
	}
	policies := strings.Split(*syncList, ",")
	for _, p := range policies {
		if p != "always" && p != "os" {
			fmt.Fprintf(os.Stderr, "load: bad -sync %q (always, os)\n", *syncList)
			os.Exit(2)
		}
	}
	// Every loop below is bounded; this bounds the whole program too.
	budget := time.Duration(*rounds*len(conns)*(1+len(policies))+4)*(*dur+4*time.Second) + 5*time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	part, err := ingest(ctx, *bin, *tmp, conns, policies, *rounds, *dur)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if err := kit.WritePart(*out, part); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// runName is the name of the runs of serve under policy: "hooklens" for always (the default,
// which the targets are about), "hooklens_os" for os.
func runName(policy string) string {
	if policy == "always" {
		return "hooklens"
	}
	return "hooklens_" + policy
}

func ingest(ctx context.Context, bin, tmp string, conns []int, policies []string, rounds int, dur time.Duration) (kit.Part, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	bare, err := kit.StartProcess(self, "-bare", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bare server: %w", err)
	}
	defer bare.Stop()
	bareAddr := strings.TrimPrefix(bare.Receiver, "http://")
	bareTmpl := loadgen.NewTemplate(bareAddr, "/livechat/webhook")
	loadgen.Run(ctx, bareAddr, bareTmpl, 32, time.Second) // warm up
	kit.Logf("ingest: body %d bytes, %d rounds of %s at %v connections, --sync %v", loadgen.BodySize(), rounds, dur, conns, policies)
	// Each hooklens run is a fresh `serve` on a fresh store, stopped right after: no run pays for
	// the decoding of the one before, and serve's decoder never runs beside the bare handler.
	// The last run waits for its burst to be decoded (a figure without a target).
	runs := map[string][]*loadgen.Result{}
	syncs := map[string][]syncRun{}
	tally := &storedTally{}
	var catchup time.Duration
	for round := range rounds {
		for ci, c := range conns {
			order := append([]string{"bare"}, policies...)
			if round%2 == 1 {
				slices.Reverse(order)
			}
			for oi, policy := range order {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				var r *loadgen.Result
				name := "bare"
				if policy == "bare" {
					r = loadgen.Run(ctx, bareAddr, bareTmpl, c, dur)
				} else {
					name = runName(policy)
					last := round == rounds-1 && ci == len(conns)-1 && oi == len(order)-1
					var sr syncRun
					if r, sr, catchup, err = serveRun(ctx, bin, tmp, policy, c, dur, last, tally); err != nil {
						return nil, err
					}
					syncs[fmt.Sprintf("%s/c%d", name, c)] = append(syncs[fmt.Sprintf("%s/c%d", name, c)], sr)
					if sr.syncs > 0 {
						kit.Logf("ingest: round %d %-11s c=%-2d %8.0f syncs/s  %.1f deliveries per sync", round+1, name, c,
							float64(sr.syncs)/dur.Seconds(), float64(sr.captures)/float64(sr.syncs))
					}
				}
				runs[fmt.Sprintf("%s/c%d", name, c)] = append(runs[fmt.Sprintf("%s/c%d", name, c)], r)
				ms := kit.DurationsMS(r.Latencies)
				kit.Logf("ingest: round %d %-11s c=%-2d %8.0f req/s  p50 %.2f ms  p99 %.2f ms  2xx %d/%d  errors %d",
					round+1, name, c, r.RPS(), kit.Percentile(ms, 50), kit.Percentile(ms, 99), r.OK, r.Requests, r.Errors)
			}
		}
	}
	names := []string{}
	for _, p := range policies {
		names = append(names, runName(p))
	}
	part := summarize(runs, names, conns, rounds)
	summarizeSyncs(part, syncs, names, conns, dur)
	if catchup > 0 {
		part["ingest_decode_catchup_s"] = kit.Val(catchup.Seconds(), "s", nil)
	}
	detail := map[string]any{"acknowledged": tally.acked, "health_deliveries": tally.health,
		"stored_rows_after_shutdown": tally.rows, "serve_runs": tally.runs}
	switch {
	case tally.err != nil:
		part["stored_eq_acked"] = kit.Figure{Unit: "bool", Note: "could not count: " + tally.err.Error(), Detail: detail}
	default:
		ok := 0.0
		if tally.mismatches == 0 {
			ok = 1
		}
		f := kit.Val(ok, "bool", nil)
		f.Detail = detail
		part["stored_eq_acked"] = f
	}
	kit.Logf("ingest: %d serve runs: acknowledged %d, health said %d stored, %d rows in the files after shutdown",
		tally.runs, tally.acked, tally.health, tally.rows)
	return part, nil
}

// storedTally adds up what the serve runs acknowledged and stored.
type storedTally struct {
	runs, mismatches    int
	acked, health, rows int64
	err                 error
}

// syncRun is what health said of the journal's syncs over one timed run.
type syncRun struct{ syncs, captures uint64 }

// serveRun starts serve --sync=policy on a fresh store, posts to it, and stops it; it returns
// the journal syncs and captures of the timed run and adds to t what was acknowledged, what
// health reported and the rows in the file after shutdown. With catchUp it first waits until
// serve has decoded the burst and returns how long that took.
func serveRun(ctx context.Context, bin, tmp, policy string, conns int, dur time.Duration, catchUp bool, t *storedTally) (*loadgen.Result, syncRun, time.Duration, error) {
	var sr syncRun
	data, err := kit.TempDir(tmp, "ingest-")
	if err != nil {
		return nil, sr, 0, err
	}
	defer os.RemoveAll(data)
	hl, err := kit.StartServe(bin, data, "--sync="+policy)
	if err != nil {
		return nil, sr, 0, fmt.Errorf("hooklens serve: %w", err)
	}
	addr := strings.TrimPrefix(hl.Receiver, "http://")
	tmpl := loadgen.NewTemplate(addr, "/livechat/webhook")
	warm := loadgen.Run(ctx, addr, tmpl, conns, 300*time.Millisecond) // connections, the store's first pages
	s0, c0, err0 := hl.SyncStats(ctx)
	r := loadgen.Run(ctx, addr, tmpl, conns, dur)
	s1, c1, err1 := hl.SyncStats(ctx)
	if err0 == nil && err1 == nil {
		sr = syncRun{syncs: s1 - s0, captures: c1 - c0}
	}
	var wait time.Duration
	if catchUp {
		if wait, err = hl.WaitDecoded(ctx, 3*time.Minute); err != nil {
			hl.Stop()
			return nil, sr, 0, err
		}
	}
	health, herr := hl.Deliveries(ctx)
	if err := hl.Stop(); err != nil {
		kit.Logf("ingest: hooklens serve stopped with %v", err)
	}
	rows, rerr := countRows(filepath.Join(data, "hooklens.db"))
	acked := int64(warm.OK + r.OK)
	t.runs++
	t.acked, t.health, t.rows = t.acked+acked, t.health+health, t.rows+rows
	if herr != nil || rerr != nil {
		t.err = fmt.Errorf("%v %v", herr, rerr)
	} else if health != acked || rows != acked {
		t.mismatches++
		kit.Logf("ingest: MISMATCH: acknowledged %d, health said %d, %d rows after shutdown", acked, health, rows)
	}
	return r, sr, wait, nil
}

// countRows counts the deliveries in the store file (the server must be stopped).
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
