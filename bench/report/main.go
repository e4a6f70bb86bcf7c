// Command report merges the figures the suite's programs wrote, prints every figure of issue 7's
// targets table beside its target with PASS or MISS, and writes bench/results.json.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"hooklens/bench/internal/kit"
)

// target is one row of the table.
type target struct {
	Key    string  `json:"key"`
	Figure string  `json:"figure"`
	Op     string  `json:"op"` // ">=", "<=", "=="
	Limit  float64 `json:"limit"`
	Unit   string  `json:"unit"`
}

var targets = []target{
	{"ingest_c32_ratio", "ingest req/s at 32 connections vs bare (--sync=always)", ">=", 0.35, "x"},
	{"ingest_c1_ratio", "ingest req/s at 1 connection vs bare (--sync=always)", ">=", 0.15, "x"},
	{"ingest_c1_hooklens_p99_ms", "ingest p99 at 1 connection (--sync=always)", "<=", 5, "ms"},
	{"ingest_os_c32_ratio", "ingest req/s at 32 connections vs bare (--sync=os)", ">=", 0.5, "x"},
	{"ingest_os_c1_ratio", "ingest req/s at 1 connection vs bare (--sync=os)", ">=", 0.4, "x"},
	{"ingest_os_c32_p99_ratio", "ingest p99 at 32 connections vs bare (--sync=os)", "<=", 2, "x"},
	{"stored_eq_acked", "stored == acknowledged (ingest run)", "==", 1, "bool"},
	{"store_ingest_stored_eq_acked", "stored == acknowledged (into the big store)", "==", 1, "bool"},
	{"q_inbox_ms", "inbox first page (big store)", "<=", 20, "ms"},
	{"q_detail_ms", "delivery detail (big store)", "<=", 20, "ms"},
	{"q_conversations_ms", "conversation list (big store)", "<=", 20, "ms"},
	{"q_conv_timeline_ms", "1,000-event timeline, all in one answer (big store)", "<=", 20, "ms"},
	{"q_conv_timeline_window_ms", "1,000-event timeline, first window of 200 (big store)", "<=", 20, "ms"},
	{"q_agent_timeline_ms", "agent timeline (big store)", "<=", 20, "ms"},
	{"q_search_ms", "free-text search (big store)", "<=", 100, "ms"},
	{"rss_mb", "RSS of serve after ingesting and querying the big store", "<=", 150, "MB"},
	{"start_ms", "process start to receiver answering (big store)", "<=", 500, "ms"},
	{"store_ratio", "store size / raw headers + bodies", "<=", 1.5, "x"},
	{"export_mbps", "NDJSON export", ">=", 50, "MB/s"},
	{"import_mbps", "NDJSON import", ">=", 50, "MB/s"},
	{"ui_first_rows_ms", "UI: first rows (100k deliveries)", "<=", 1000, "ms"},
	{"ui_scroll_p95_ms", "UI: inbox scroll frame time p95", "<=", 20, "ms"},
	{"ui_timeline_scroll_p95_ms", "UI: 10,000-item timeline scroll frame time p95", "<=", 20, "ms"},
	{"ui_live_longest_task_ms", "UI: longest task, 500 deliveries/s live", "<=", 100, "ms"},
}

// row is a target with its outcome, as results.json keeps it.
type row struct {
	target
	Value  *float64 `json:"value"`
	Status string   `json:"status"` // PASS, MISS, N/A
	Note   string   `json:"note,omitempty"`
}

func main() {
	parts := flag.String("parts", "build/bench/parts", "folder of the programs' figure files")
	out := flag.String("out", "bench/results.json", "results file")
	mode := flag.String("mode", "full", "full or quick")
	config := flag.String("config", "", "JSON object describing the run's settings")
	flag.Parse()
	if err := run(*parts, *out, *mode, *config); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run(partsDir, out, mode, config string) error {
	figures := kit.Part{}
	files, _ := filepath.Glob(filepath.Join(partsDir, "*.json"))
	sort.Strings(files)
	for _, f := range files {
		p, err := kit.ReadPart(f)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for k, v := range p {
			figures[k] = v
		}
	}
	rows := make([]row, 0, len(targets))
	for _, t := range targets {
		r := row{target: t, Status: "N/A"}
		f, ok := figures[t.Key]
		switch {
		case !ok:
			r.Note = "not measured in this run"
		case f.Value == nil:
			r.Note = f.Note
		default:
			r.Value, r.Note, r.Status = f.Value, f.Note, "MISS"
			if pass(t, *f.Value) {
				r.Status = "PASS"
			}
		}
		rows = append(rows, r)
	}
	printTable(rows, figures, mode)
	var cfg any
	if config != "" {
		_ = json.Unmarshal([]byte(config), &cfg)
	}
	res := map[string]any{
		"date":    time.Now().UTC().Format(time.RFC3339),
		"mode":    mode,
		"machine": kit.ThisMachine(),
		"config":  cfg,
		"targets": rows,
		"figures": figures,
	}
	buf, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(buf, '\n'), 0o644)
}

func pass(t target, v float64) bool {
	switch t.Op {
	case ">=":
		return v >= t.Limit
	case "<=":
		return v <= t.Limit
	default:
		return v == t.Limit
	}
}

func printTable(rows []row, figures kit.Part, mode string) {
	m := kit.ThisMachine()
	fmt.Printf("\nHooklens benchmark (%s run) — %s, %d cores (%s), %s\n\n", mode,
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), m.NProc, m.CPU, m.GoVersion)
	fmt.Printf("%-58s %12s  %-13s %s\n", "figure", "value", "target", "")
	fmt.Println(strings.Repeat("-", 92))
	for _, r := range rows {
		v := "—"
		if r.Value != nil {
			v = format(*r.Value, r.Unit)
		}
		line := fmt.Sprintf("%-58s %12s  %-13s %s", r.Figure, v, r.Op+" "+format(r.Limit, r.Unit), r.Status)
		if r.Status == "N/A" && r.Note != "" {
			line += "  (" + truncate(r.Note, 90) + ")"
		}
		fmt.Println(line)
	}
	fmt.Println("\nalso measured (medians):")
	for _, k := range []string{"ingest_c32_bare_rps", "ingest_c32_hooklens_rps", "ingest_c32_hooklens_os_rps",
		"ingest_c1_bare_rps", "ingest_c1_hooklens_rps", "ingest_c1_hooklens_os_rps",
		"ingest_c32_bare_p99_ms", "ingest_c32_hooklens_p99_ms", "ingest_c32_hooklens_os_p99_ms",
		"ingest_c1_bare_p50_ms", "ingest_c1_hooklens_p50_ms", "ingest_c1_hooklens_os_p50_ms",
		"ingest_c1_bare_p99_ms", "ingest_c1_hooklens_os_p99_ms", "ingest_c32_p99_ratio", "ingest_c1_p99_ratio",
		"ingest_os_c1_p99_ratio", "ingest_c1_syncs_per_s", "ingest_c1_deliveries_per_sync",
		"ingest_c32_syncs_per_s", "ingest_c32_deliveries_per_sync", "ingest_decode_catchup_s", "import_decoded_mbps", "q_search_vendor_ms", "q_inbox_deep_ms",
		"seed_per_s"} {
		if f, ok := figures[k]; ok && f.Value != nil {
			fmt.Printf("  %-34s %12s\n", k, format(*f.Value, f.Unit))
		}
	}
	fmt.Println()
}

func format(v float64, unit string) string {
	switch unit {
	case "bool":
		if v == 1 {
			return "yes"
		}
		return "no"
	case "x":
		return fmt.Sprintf("%.2fx", v)
	case "req/s", "/s":
		return fmt.Sprintf("%.0f %s", v, unit)
	default:
		if v >= 100 {
			return fmt.Sprintf("%.0f %s", v, unit)
		}
		return fmt.Sprintf("%.1f %s", v, unit)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
