// Command load is the ingest benchmark: it posts a 2 KB LiveChat incoming_event at 1 and 32
// connections to a bare net/http handler and to `hooklens serve`'s receiver, alternating rounds,
// and checks that every acknowledged delivery was stored. `load -bare ADDR` is the bare server.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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
	// Every loop below is bounded; this bounds the whole program too.
	budget := time.Duration(*rounds*len(conns)*2+4)*(*dur+4*time.Second) + 5*time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	part, err := ingest(ctx, *bin, *tmp, conns, *rounds, *dur)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if err := kit.WritePart(*out, part); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func ingest(ctx context.Context, bin, tmp string, conns []int, rounds int, dur time.Duration) (kit.Part, error) {
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
	kit.Logf("ingest: body %d bytes, %d rounds of %s at %v connections", loadgen.BodySize(), rounds, dur, conns)
	// Each hooklens run is a fresh `serve` on a fresh store, stopped right after: no run pays for
	// the decoding of the one before, and serve's decoder never runs beside the bare handler.
	// The last run waits for its burst to be decoded (a figure without a target).
	runs := map[string][]*loadgen.Result{}
	tally := &storedTally{}
	var catchup time.Duration
	for round := range rounds {
		for ci, c := range conns {
			order := []string{"bare", "hooklens"}
			if round%2 == 1 {
				order = []string{"hooklens", "bare"}
			}
			for _, name := range order {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				var r *loadgen.Result
				if name == "bare" {
					r = loadgen.Run(ctx, bareAddr, bareTmpl, c, dur)
				} else {
					last := round == rounds-1 && ci == len(conns)-1
					if r, catchup, err = serveRun(ctx, bin, tmp, c, dur, last, tally); err != nil {
						return nil, err
					}
				}
				runs[fmt.Sprintf("%s/c%d", name, c)] = append(runs[fmt.Sprintf("%s/c%d", name, c)], r)
				ms := kit.DurationsMS(r.Latencies)
				kit.Logf("ingest: round %d %-8s c=%-2d %8.0f req/s  p50 %.2f ms  p99 %.2f ms  2xx %d/%d  errors %d",
					round+1, name, c, r.RPS(), kit.Percentile(ms, 50), kit.Percentile(ms, 99), r.OK, r.Requests, r.Errors)
			}
		}
	}
	part := summarize(runs, conns, rounds)
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

// serveRun starts serve on a fresh store, posts to it, and stops it; it adds to t what was
// acknowledged, what health reported and the rows in the file after shutdown. With catchUp it
// first waits until serve has decoded the burst and returns how long that took.
func serveRun(ctx context.Context, bin, tmp string, conns int, dur time.Duration, catchUp bool, t *storedTally) (*loadgen.Result, time.Duration, error) {
	data, err := kit.TempDir(tmp, "ingest-")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(data)
	hl, err := kit.StartServe(bin, data)
	if err != nil {
		return nil, 0, fmt.Errorf("hooklens serve: %w", err)
	}
	addr := strings.TrimPrefix(hl.Receiver, "http://")
	tmpl := loadgen.NewTemplate(addr, "/livechat/webhook")
	warm := loadgen.Run(ctx, addr, tmpl, conns, 300*time.Millisecond) // connections, the store's first pages
	r := loadgen.Run(ctx, addr, tmpl, conns, dur)
	var wait time.Duration
	if catchUp {
		if wait, err = hl.WaitDecoded(ctx, 3*time.Minute); err != nil {
			hl.Stop()
			return nil, 0, err
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
	return r, wait, nil
}

// summarize turns the runs into figures: medians over rounds, ratios taken round by round.
func summarize(runs map[string][]*loadgen.Result, conns []int, rounds int) kit.Part {
	part := kit.Part{}
	for _, c := range conns {
		var ratio, p99ratio []float64
		for _, name := range []string{"bare", "hooklens"} {
			var rps, p50, p99 []float64
			for _, r := range runs[fmt.Sprintf("%s/c%d", name, c)] {
				ms := kit.DurationsMS(r.Latencies)
				rps = append(rps, r.RPS())
				p50 = append(p50, kit.Percentile(ms, 50))
				p99 = append(p99, kit.Percentile(ms, 99))
			}
			part[fmt.Sprintf("ingest_c%d_%s_rps", c, name)] = kit.Val(kit.Median(rps), "req/s", rps)
			part[fmt.Sprintf("ingest_c%d_%s_p50_ms", c, name)] = kit.Val(kit.Median(p50), "ms", p50)
			part[fmt.Sprintf("ingest_c%d_%s_p99_ms", c, name)] = kit.Val(kit.Median(p99), "ms", p99)
		}
		for i := range rounds {
			b, h := runs[fmt.Sprintf("bare/c%d", c)][i], runs[fmt.Sprintf("hooklens/c%d", c)][i]
			ratio = append(ratio, h.RPS()/b.RPS())
			bp := kit.Percentile(kit.DurationsMS(b.Latencies), 99)
			hp := kit.Percentile(kit.DurationsMS(h.Latencies), 99)
			p99ratio = append(p99ratio, hp/bp)
		}
		part[fmt.Sprintf("ingest_c%d_ratio", c)] = kit.Val(kit.Median(ratio), "x", ratio)
		part[fmt.Sprintf("ingest_c%d_p99_ratio", c)] = kit.Val(kit.Median(p99ratio), "x", p99ratio)
	}
	return part
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
