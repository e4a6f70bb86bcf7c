// Command prof profiles the ingest path in one process: the store, the decoder and the receiver
// wired as `hooklens serve` wires them, under the load generator, with a CPU profile.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/decode/all"
	"hooklens/backend/export"
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
	syncPolicy := flag.String("sync", "always", "the capture sync policy, as serve's --sync (always, os)")
	exportData := flag.String("export", "", "instead: profile an NDJSON export of the store in this data directory")
	apiData := flag.String("api", "", "instead: profile GET -path through the API handler on the store in this data directory")
	path := flag.String("path", "/api/v1/deliveries", "with -api: the request, run -n times")
	n := flag.Int("n", 20, "with -api: how many times")
	flag.Parse()
	var err error
	switch {
	case *apiData != "":
		err = profileAPI(*cpu, *apiData, *path, *n)
	case *exportData != "":
		err = profileExport(*cpu, *exportData)
	default:
		var policy backend.SyncPolicy
		if policy, err = backend.ParseSyncPolicy(*syncPolicy); err == nil {
			err = run(*cpu, *conns, *dur, *decode, policy)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "prof:", err)
		os.Exit(1)
	}
}

func run(cpu string, conns int, dur time.Duration, decode bool, policy backend.SyncPolicy) error {
	dir, err := os.MkdirTemp("", "prof-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := openStore(dir)
	if err != nil {
		return err
	}
	defer store.Close()
	store.SetSyncPolicy(policy)
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
	stop, err := startProfile(cpu)
	if err != nil {
		return err
	}
	defer stop()
	r := loadgen.Run(ctx, addr, tmpl, conns, dur)
	ms := kit.DurationsMS(r.Latencies)
	n, _ := store.CountDeliveries(ctx)
	st := store.SyncStats()
	fmt.Printf("c=%d --sync=%s %.0f req/s p50 %.2f ms p99 %.2f ms 2xx %d errors %d stored %d syncs %d captures %d\n", conns, policy, r.RPS(),
		kit.Percentile(ms, 50), kit.Percentile(ms, 99), r.OK, r.Errors, n, st.Syncs, st.Captures)
	return nil
}

// profileExport writes the store's NDJSON export to nowhere under the CPU profiler.
func profileExport(cpu, data string) error {
	store, err := openStore(data)
	if err != nil {
		return err
	}
	defer store.Close()
	stop, err := startProfile(cpu)
	if err != nil {
		return err
	}
	defer stop()
	t0 := time.Now()
	var n countWriter
	res, err := export.Write(context.Background(), store, &n, export.Options{Format: export.FormatNDJSON})
	if err != nil {
		return err
	}
	fmt.Printf("exported %d deliveries, %.1f MB in %.2f s = %.1f MB/s\n", res.Deliveries, float64(n)/1e6,
		time.Since(t0).Seconds(), float64(n)/1e6/time.Since(t0).Seconds())
	return nil
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// profileAPI runs GET path n times through the API handler (httptest) on a store.
func profileAPI(cpu, data, path string, n int) error {
	store, err := openStore(data)
	if err != nil {
		return err
	}
	defer store.Close()
	srv := &api.Server{Store: store, Registry: all.Registry(), Timelines: store}
	h := srv.Handler()
	stop, err := startProfile(cpu)
	if err != nil {
		return err
	}
	defer stop()
	var ms []float64
	for range n {
		w := &discard{header: http.Header{}, code: http.StatusOK}
		t0 := time.Now()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		ms = append(ms, float64(time.Since(t0))/1e6)
		if w.code != http.StatusOK {
			return fmt.Errorf("GET %s: %d %s", path, w.code, w.head)
		}
	}
	fmt.Printf("GET %s: median %.2f ms over %d runs\n", path, kit.Median(ms), n)
	return nil
}

// discard is a ResponseWriter that keeps the status and the first bytes of the body: a recorder
// would grow a buffer to the whole answer, which a server writing to its connection does not.
type discard struct {
	header http.Header
	code   int
	head   []byte
}

func (d *discard) Header() http.Header  { return d.header }
func (d *discard) WriteHeader(code int) { d.code = code }
func (d *discard) Write(p []byte) (int, error) {
	if len(d.head) < 200 {
		d.head = append(d.head, p[:min(len(p), 200-len(d.head))]...)
	}
	return len(p), nil
}

// startProfile starts the CPU profiler writing to path ("" : no profile); stop ends it.
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// openStore opens the store of a data directory.
func openStore(data string) (*sqlite.DB, error) {
	store := sqlite.NewDB(filepath.Join(data, "hooklens.db"))
	if err := store.Open(); err != nil {
		return nil, err
	}
	return store, nil
}
