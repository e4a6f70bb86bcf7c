package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
	"hooklens/bench/internal/gen"
	"hooklens/bench/internal/kit"

	_ "modernc.org/sqlite"
)

type seeder struct {
	cfg     gen.Config
	batch   int
	snapN   int
	snapDir string
}

type job struct {
	items []sqlite.BulkItem
	done  chan struct{}
}

// seed builds the store: the generator runs in order, workers decode batches in parallel, and
// this goroutine loads them in order.
func (s *seeder) seed(data string) (*Info, error) {
	path := filepath.Join(data, "hooklens.db")
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("%s already exists", path)
	}
	t0 := time.Now()
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		return nil, err
	}
	g := gen.New(s.cfg)
	info := &Info{Deliveries: s.cfg.N, Conversations: s.cfg.Conversations, Agents: s.cfg.Agents}
	info.BigConv.Vendor, info.BigConv.ID = g.BigConversation()
	info.BigConv.Events = s.cfg.BigConv
	info.BusyAgent.Vendor, info.BusyAgent.ID = g.BusyAgent()
	if s.cfg.UIConv > 0 {
		v, id := g.UIConversation()
		info.UIConv = &struct {
			Vendor string `json:"vendor"`
			ID     string `json:"id"`
			Events int    `json:"events"`
		}{v, id, s.cfg.UIConv}
	}
	snap := *info
	snap.Deliveries = s.snapN

	jobs, queue := make(chan *job, 4), make(chan *job, 8)
	reg := all.Registry()
	for range max(1, runtime.NumCPU()) {
		go func() {
			for j := range jobs {
				for i := range j.items {
					it := &j.items[i]
					it.Event, it.Text = ingest.Decode(reg, sqlite.ForDecode(it.Delivery), nil)
					it.Paths = ingest.BodyPaths(sqlite.ForDecode(it.Delivery))
				}
				close(j.done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(queue)
		for k := 0; k < s.cfg.N; k += s.batch {
			j := &job{done: make(chan struct{})}
			for d := g.Next(); d != nil; d = g.Next() {
				j.items = append(j.items, sqlite.BulkItem{Delivery: d})
				if len(j.items) == s.batch {
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
	var raw int64
	for j := range queue {
		<-j.done
		if err := loader.Add(ctx, j.items); err != nil {
			db.Close()
			return nil, err
		}
		for _, it := range j.items {
			raw += gen.RawSize(it.Delivery)
			if loaded%max(1, s.cfg.N/200) == 0 {
				info.SampleIDs = append(info.SampleIDs, it.Delivery.ID)
			}
			if s.snapN > 0 && loaded%max(1, s.snapN/200) == 0 && loaded < s.snapN {
				snap.SampleIDs = append(snap.SampleIDs, it.Delivery.ID)
			}
			loaded++
			if loaded == s.snapN {
				snap.RawBytes, snap.Seconds = raw, time.Since(t0).Seconds()
				if err := s.snapshot(path, &snap); err != nil {
					db.Close()
					return nil, err
				}
			}
		}
		if time.Since(last) > 10*time.Second {
			last = time.Now()
			kit.Logf("seed: %d/%d deliveries (%.0f/s)", loaded, s.cfg.N, float64(loaded)/time.Since(t0).Seconds())
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
	info.RawBytes, info.Seconds = raw, time.Since(t0).Seconds()
	info.StoreBytes, info.Tables = fileSizes(path), tableSizes(path, 12)
	kit.Logf("seed: %d deliveries in %.1f s (%.0f/s); raw %.1f MB, store %.1f MB (%.2fx)", loaded, info.Seconds,
		float64(loaded)/info.Seconds, float64(info.RawBytes)/1e6, float64(info.StoreBytes)/1e6,
		float64(info.StoreBytes)/float64(info.RawBytes))
	return info, nil
}

// snapshot copies the store as it is now (the loader is between transactions) to s.snapDir, with
// VACUUM INTO: a consistent read of the live store, whatever its checkpointer does meanwhile.
func (s *seeder) snapshot(path string, info *Info) error {
	if err := os.MkdirAll(s.snapDir, 0o700); err != nil {
		return err
	}
	to := filepath.Join(s.snapDir, "hooklens.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	t0 := time.Now()
	if _, err := db.Exec(`VACUUM INTO ?`, to); err != nil {
		return fmt.Errorf("copy the store at %d deliveries: %w", info.Deliveries, err)
	}
	info.StoreBytes, info.Tables = fileSizes(to), tableSizes(to, 12)
	kit.Logf("seed: copied the store at %d deliveries to %s in %.1f s", info.Deliveries, s.snapDir, time.Since(t0).Seconds())
	return writeInfo(s.snapDir, info)
}

// checkpoint folds the WAL into the database file and empties it.
func checkpoint(path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	var busy, logged, done int
	if err := db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done); err != nil {
		return err
	}
	if busy != 0 {
		return fmt.Errorf("checkpoint of %s: busy", path)
	}
	return nil
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
