// Command seed builds a store of generated LiveChat, iAdvize and Closer deliveries, decoded by
// the real decoders (all.Registry through ingest.Decode) and loaded in big transactions by
// sqlite.BulkLoader, without HTTP. It writes seed.json beside the store: what was generated, the
// raw bytes, and ids the query benchmark uses. With -snapshot it also copies the store as it was
// after the first N deliveries, whose conversation 1 then has -ui events (the UI's timeline).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"

	"hooklens/bench/internal/gen"
	"hooklens/bench/internal/kit"
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
	UIConv *struct {
		Vendor string `json:"vendor"`
		ID     string `json:"id"`
		Events int    `json:"events"`
	} `json:"ui_conversation,omitempty"` // the UI benchmark's long timeline
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
	big := flag.Int("big", 1000, "events of conversation 0, spread over the whole store")
	snapN := flag.Int("snapshot", 0, "also copy the store after this many deliveries (0: no copy)")
	snapDir := flag.String("snapshot-data", "", "data directory of the copy")
	ui := flag.Int("ui", 0, "events of conversation 1, spread over the first -snapshot (else all) deliveries")
	batch := flag.Int("batch", 2000, "deliveries per transaction")
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	part := flag.String("part", "", "also write the seed's figures here")
	name := flag.String("name", "seed", "prefix of the figure names")
	flag.Parse()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if *data == "" || (*snapN > 0 && *snapDir == "") {
		fmt.Fprintln(os.Stderr, "seed: -data (and -snapshot-data with -snapshot) are required")
		os.Exit(2)
	}
	cfg := gen.Defaults(*n)
	cfg.Conversations, cfg.Agents, cfg.BigConv = *convs, *agents, *big
	cfg.UIConv, cfg.UISpan = *ui, *n
	if *snapN > 0 {
		cfg.UISpan = *snapN
	}
	debug.SetGCPercent(400) // the generator and decoders make much short-lived garbage
	if err := run(*data, cfg, *batch, *snapN, *snapDir, *part, *name); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(data string, cfg gen.Config, batch, snapN int, snapDir, part, name string) error {
	s := &seeder{cfg: cfg, batch: batch, snapN: snapN, snapDir: snapDir}
	info, err := s.seed(data)
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
	return writeInfo(data, info)
}

func writeInfo(dir string, info *Info) error {
	buf, _ := json.MarshalIndent(info, "", "  ")
	return os.WriteFile(filepath.Join(dir, "seed.json"), append(buf, '\n'), 0o644)
}
