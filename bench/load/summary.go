package main

import (
	"fmt"
	"time"

	"hooklens/bench/internal/kit"
	"hooklens/bench/internal/loadgen"
)

// summarize turns the runs into figures: medians over rounds, ratios against the bare handler
// taken round by round. The runs named "hooklens" (--sync=always) give ingest_cC_ratio and
// ingest_cC_p99_ratio; the others, e.g. "hooklens_os", give ingest_os_cC_ratio and so on.
func summarize(runs map[string][]*loadgen.Result, names []string, conns []int, rounds int) kit.Part {
	part := kit.Part{}
	for _, c := range conns {
		for _, name := range append([]string{"bare"}, names...) {
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
		for _, name := range names {
			var ratio, p99ratio []float64
			for i := range rounds {
				b, h := runs[fmt.Sprintf("bare/c%d", c)][i], runs[fmt.Sprintf("%s/c%d", name, c)][i]
				ratio = append(ratio, h.RPS()/b.RPS())
				bp := kit.Percentile(kit.DurationsMS(b.Latencies), 99)
				hp := kit.Percentile(kit.DurationsMS(h.Latencies), 99)
				p99ratio = append(p99ratio, hp/bp)
			}
			prefix := "ingest_"
			if name != "hooklens" {
				prefix += name[len("hooklens_"):] + "_"
			}
			part[fmt.Sprintf("%sc%d_ratio", prefix, c)] = kit.Val(kit.Median(ratio), "x", ratio)
			part[fmt.Sprintf("%sc%d_p99_ratio", prefix, c)] = kit.Val(kit.Median(p99ratio), "x", p99ratio)
		}
	}
	return part
}

// summarizeSyncs adds, for the runs that synced (--sync=always), the journal syncs per second
// and the deliveries one sync covered at each concurrency (medians over rounds).
func summarizeSyncs(part kit.Part, syncs map[string][]syncRun, names []string, conns []int, dur time.Duration) {
	for _, name := range names {
		for _, c := range conns {
			var perS, perSync []float64
			for _, s := range syncs[fmt.Sprintf("%s/c%d", name, c)] {
				if s.syncs == 0 {
					continue
				}
				perS = append(perS, float64(s.syncs)/dur.Seconds())
				perSync = append(perSync, float64(s.captures)/float64(s.syncs))
			}
			if len(perS) == 0 {
				continue
			}
			prefix := "ingest_"
			if name != "hooklens" {
				prefix += name[len("hooklens_"):] + "_"
			}
			part[fmt.Sprintf("%sc%d_syncs_per_s", prefix, c)] = kit.Val(kit.Median(perS), "/s", perS)
			part[fmt.Sprintf("%sc%d_deliveries_per_sync", prefix, c)] = kit.Val(kit.Median(perSync), "", perSync)
		}
	}
}
