// Command seed builds a store of generated LiveChat, iAdvize and Closer deliveries, decoded by
// the real decoders (all.Registry through ingest.Decode) and loaded in big transactions by
// sqlite.BulkLoader, without HTTP. It writes seed.json beside the store: what was generated, the
// raw bytes, and ids the query benchmark uses.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
	"hooklens/bench/internal/gen"
	"hooklens/bench/internal/kit"

	_ "modernc.org/sqlite"
)

// Info is seed.json.
type Info struct {
	Deliveries    int     `json:"deliveries"`
	Conversations int     `json:"conversations"`
	Agents        int     `json:"agents"`
	RawBytes      int64   `json:"raw_bytes"`   // request lines, headers and bodies as on the wire
	StoreBytes    int64   `json:"store_bytes"` // database file after a checkpoint
	Seconds       float64 `json:"seconds"`
	BigConv       struct {
		Vendor string `json:"vendor"`
		ID     string `json:"id"`
		Events int    `json:"events"`
	} `json:"big_conversation"`
	BusyAgent struct {
		Vendor string `json:"vendor"`
		ID     string `json:"id"`
	} `json:"busy_agent"`
	SampleIDs []string `json:"sample_ids"` // delivery ids spread over the store, for detail queries
	// Tables are the largest tables and indexes, in MB (SQLite's dbstat): where the bytes go.
	Tables map[string]float64 `json:"tables,omitempty"`
}

func main() {
	n := flag.Int("n", 1000000, "deliveries")
	data := flag.String("data", "", "data directory of the new store (must not hold a store)")
	convs := flag.Int("conversations", 10000, "conversations")
	agents := flag.Int("agents", 200, "agents")
	big := flag.Int("big", 1000, "events of the one big conversation")
	batch := flag.Int("batch", 2000, "deliveries per transaction")
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	part := flag.String("part", "", "also write the seed's figures here (name prefix: the -name)")
	name := flag.String("name", "seed", "prefix of the figure names")
	flag.Parse()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if *data == "" {
		fmt.Fprintln(os.Stderr, "seed: -data is required")
		os.Exit(2)
	}
	cfg := gen.Defaults(*n)
	cfg.Conversations, cfg.Agents, cfg.BigConv = *convs, *agents, *big
	debug.SetGCPercent(400) // the generator and decoders make much short-lived garbage
	if err := run(*data, cfg, *batch, *part, *name); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(data string, cfg gen.Config, batch int, part, name string) error {
	info, err := seed(data, cfg, batch)
	if err != nil {
		return err
	}
	if part != "" {
		f := kit.Val(float64(info.Deliveries)/info.Seconds, "/s", nil)
		f.Detail = map[string]any{"seconds": info.Seconds, "deliveries": info.Deliveries,
			"store_mb": float64(info.StoreBytes) / 1e6, "raw_mb": float64(info.RawBytes) / 1e6}
		if err := kit.WritePart(part, kit.Part{name + "_per_s": f}); err != nil {
			return err
		}
	}
	buf, _ := json.MarshalIndent(info, "", "  ")
	return os.WriteFile(filepath.Join(data, "seed.json"), append(buf, '\n'), 0o644)
}

type job struct {
	items []sqlite.BulkItem
	done  chan struct{}
}

func seed(data string, cfg gen.Config, batch int) (*Info, error) {
	path := filepath.Join(data, "hooklens.db")
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("%s already exists", path)
	}
	t0 := time.Now()
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		return nil, err
	}
	g := gen.New(cfg)
	info := &Info{Deliveries: cfg.N, Conversations: cfg.Conversations, Agents: cfg.Agents}
	info.BigConv.Vendor, info.BigConv.ID = g.BigConversation()
	info.BigConv.Events = cfg.BigConv
	info.BusyAgent.Vendor, info.BusyAgent.ID = g.BusyAgent()
	reg := all.Registry()

	// The generator runs in order; workers decode batches in parallel; the loader stores them in order.
	jobs := make(chan *job, 4)
	queue := make(chan *job, 8)
	workers := max(1, runtime.NumCPU())
	for range workers {
		go func() {
			for j := range jobs {
				for i := range j.items {
					it := &j.items[i]
					it.Event, it.Text = ingest.Decode(reg, sqlite.ForDecode(it.Delivery), nil)
				}
				close(j.done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(queue)
		for k := 0; k < cfg.N; k += batch {
			j := &job{done: make(chan struct{})}
			for d := g.Next(); d != nil; d = g.Next() {
				j.items = append(j.items, sqlite.BulkItem{Delivery: d})
				if len(info.SampleIDs) < 200 && (k+len(j.items))%max(1, cfg.N/200) == 0 {
					info.SampleIDs = append(info.SampleIDs, d.ID)
				}
				if len(j.items) == batch {
					break
				}
			}
			jobs <- j
			queue <- j
		}
	}()
	ctx := context.Background()
	loader := db.NewBulkLoader(decode.Version)
	loaded, last := 0, time.Now()
	var waited time.Duration
	for j := range queue {
		w0 := time.Now()
		<-j.done
		waited += time.Since(w0)
		if err := loader.Add(ctx, j.items); err != nil {
			db.Close()
			return nil, err
		}
		loaded += len(j.items)
		if time.Since(last) > 10*time.Second {
			last = time.Now()
			kit.Logf("seed: %d/%d deliveries (%.0f/s, %.1f s waiting for decoding)", loaded, cfg.N,
				float64(loaded)/time.Since(t0).Seconds(), waited.Seconds())
		}
	}
	if err := loader.Close(ctx); err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	if err := checkpoint(path); err != nil {
		return nil, err
	}
	info.Tables = tableSizes(path, 12)
	info.RawBytes = g.RawBytes()
	info.Seconds = time.Since(t0).Seconds()
	info.StoreBytes = fileSizes(path)
	kit.Logf("seed: %d deliveries in %.1f s (%.0f/s); raw %.1f MB, store %.1f MB (%.2fx)", loaded, info.Seconds,
		float64(loaded)/info.Seconds, float64(info.RawBytes)/1e6, float64(info.StoreBytes)/1e6,
		float64(info.StoreBytes)/float64(info.RawBytes))
	return info, nil
}

// checkpoint folds the WAL into the database file and empties it.
func checkpoint(path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// fileSizes returns the bytes of the database file and its WAL.
func fileSizes(path string) int64 {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return n
}

// tableSizes returns the n largest tables and indexes in MB; nil when dbstat is not compiled in.
func tableSizes(path string, n int) map[string]float64 {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT ?`, n)
	if err != nil {
		return nil
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var name string
		var size int64
		if rows.Scan(&name, &size) == nil {
			out[name] = float64(size) / 1e6
		}
	}
	return out
}
