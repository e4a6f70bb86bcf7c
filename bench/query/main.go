// Command query benchmarks `hooklens serve` on a seeded store: time from process start to the
// receiver answering, the API queries the UI makes (through real HTTP, with the token), and the
// resident memory after ingesting into the store and querying it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hooklens/bench/internal/kit"
	"hooklens/bench/internal/loadgen"
)

// info is the part of seed.json this program reads.
type info struct {
	Deliveries int   `json:"deliveries"`
	RawBytes   int64 `json:"raw_bytes"`
	StoreBytes int64 `json:"store_bytes"`
	BigConv    struct {
		Vendor string `json:"vendor"`
		ID     string `json:"id"`
		Events int    `json:"events"`
	} `json:"big_conversation"`
	BusyAgent struct {
		Vendor string `json:"vendor"`
		ID     string `json:"id"`
	} `json:"busy_agent"`
	SampleIDs []string           `json:"sample_ids"`
	Tables    map[string]float64 `json:"tables"`
}

func main() {
	bin := flag.String("hooklens", "build/bin/hooklens", "the hooklens binary")
	data := flag.String("data", "", "data directory of a store made by bench/seed")
	runs := flag.Int("runs", 20, "timed runs of each query")
	starts := flag.Int("starts", 5, "process starts timed")
	ingest := flag.Duration("ingest", 5*time.Second, "how long to post deliveries into the store before querying")
	out := flag.String("out", "build/bench/parts/query.json", "where to write the figures")
	prefix := flag.String("prefix", "", "prefix of the figure names (e.g. q100k_)")
	flag.Parse()
	budget := time.Duration(*starts)*90*time.Second + *ingest + time.Duration(*runs)*8*10*time.Second + 2*time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	part, err := run(ctx, *bin, *data, *runs, *starts, *ingest)
	if err != nil {
		fmt.Fprintln(os.Stderr, "query:", err)
		os.Exit(1)
	}
	if *prefix != "" {
		renamed := kit.Part{}
		for k, v := range part {
			renamed[*prefix+k] = v
		}
		part = renamed
	}
	if err := kit.WritePart(*out, part); err != nil {
		fmt.Fprintln(os.Stderr, "query:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bin, data string, runs, starts int, ingest time.Duration) (kit.Part, error) {
	var in info
	buf, err := os.ReadFile(filepath.Join(data, "seed.json"))
	if err != nil {
		return nil, fmt.Errorf("read seed.json (run bench/seed first): %w", err)
	}
	if err := json.Unmarshal(buf, &in); err != nil {
		return nil, err
	}
	part := kit.Part{}
	ratio := float64(in.StoreBytes) / float64(in.RawBytes)
	f := kit.Val(ratio, "x", nil)
	f.Detail = map[string]any{"store_mb": float64(in.StoreBytes) / 1e6, "raw_mb": float64(in.RawBytes) / 1e6,
		"deliveries": in.Deliveries, "largest_tables_mb": in.Tables}
	part["store_ratio"] = f

	// Start to receiving, several times; the last process stays up for the rest.
	var startMS []float64
	var srv *kit.Serve
	for i := range starts {
		s, ms, err := startAndProbe(ctx, bin, data)
		if err != nil {
			return nil, err
		}
		startMS = append(startMS, ms)
		kit.Logf("query: start %d: receiver answered %.0f ms after the process started", i+1, ms)
		if i < starts-1 {
			if err := s.Stop(); err != nil {
				return nil, err
			}
			continue
		}
		srv = s
	}
	defer srv.Stop()
	part["start_ms"] = kit.Val(kit.Median(startMS), "ms", startMS)

	// Ingest into the big store, checking every acknowledged delivery is stored.
	before, err := srv.Deliveries(ctx)
	if err != nil {
		return nil, err
	}
	addr := strings.TrimPrefix(srv.Receiver, "http://")
	r := loadgen.Run(ctx, addr, loadgen.NewTemplate(addr, "/livechat/webhook"), 32, ingest)
	after, err := srv.Deliveries(ctx)
	if err != nil {
		return nil, err
	}
	ok := 0.0
	if after-before == int64(r.OK) {
		ok = 1
	}
	f = kit.Val(ok, "bool", nil)
	f.Detail = map[string]any{"acknowledged": r.OK, "stored": after - before, "req_per_s": r.RPS()}
	part["store_ingest_stored_eq_acked"] = f
	kit.Logf("query: ingested %d deliveries at %.0f req/s into the store (%d stored)", r.OK, r.RPS(), after-before)
	// Queries are measured once the decoder has caught up with that burst (it yields during one).
	wait, err := srv.WaitDecoded(ctx, 5*time.Minute)
	if err != nil {
		return nil, err
	}
	part["store_decode_catchup_s"] = kit.Val(wait.Seconds(), "s", nil)
	kit.Logf("query: the decoder caught up %.1f s after the burst", wait.Seconds())

	if err := queries(ctx, srv, &in, runs, part); err != nil {
		return nil, err
	}
	rss, hwm, err := kit.RSSMB(srv.PID())
	if err != nil {
		return nil, err
	}
	f = kit.Val(rss, "MB", nil)
	f.Detail = map[string]any{"peak_mb": hwm}
	part["rss_mb"] = f
	kit.Logf("query: serve RSS %.0f MB (peak %.0f MB)", rss, hwm)
	return part, nil
}

// startAndProbe starts serve and posts to its receiver until it answers 2xx; it returns the
// time from just before the process started to that answer.
func startAndProbe(ctx context.Context, bin, data string) (*kit.Serve, float64, error) {
	s, err := kit.StartServe(bin, data)
	if err != nil {
		return nil, 0, err
	}
	c := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		res, err := c.Post(s.Receiver+"/bench/start-probe", "application/json", strings.NewReader(`{"probe":true}`))
		if err == nil {
			res.Body.Close()
			if res.StatusCode < 300 {
				return s, float64(time.Since(s.Started)) / float64(time.Millisecond), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	s.Stop()
	return nil, 0, errors.New("the receiver did not answer 2xx within 60 s")
}

// query is one API request of the suite; paths rotate over runs.
type query struct {
	name  string
	paths []string
}

func queries(ctx context.Context, srv *kit.Serve, in *info, runs int, part kit.Part) error {
	esc := url.PathEscape
	var details []string
	for _, id := range in.SampleIDs {
		details = append(details, "/api/v1/deliveries/"+id)
	}
	conv := "/api/v1/conversations/" + esc(in.BigConv.Vendor) + "/" + esc(in.BigConv.ID) + "/timeline"
	agent := "/api/v1/agents/" + esc(in.BusyAgent.Vendor) + "/" + esc(in.BusyAgent.ID) + "/timeline"
	qs := []query{
		{"q_inbox_ms", []string{"/api/v1/deliveries?limit=100"}},
		{"q_detail_ms", details},
		{"q_conversations_ms", []string{"/api/v1/conversations"}},
		{"q_conv_timeline_ms", []string{conv + "?limit=1000"}}, // all 1,000 events in one answer
		{"q_conv_timeline_window_ms", []string{conv}},          // the first window the UI asks for (200)
		{"q_agent_timeline_ms", []string{agent}},
		{"q_search_ms", searches("")},
		{"q_search_vendor_ms", searches("vendor:livechat ")},
		{"q_inbox_deep_ms", nil}, // page 50, filled below
	}
	client := &http.Client{Timeout: 60 * time.Second}
	cursor := ""
	for range 50 { // walk the inbox to a deep page once, as a user scrolling far does
		var page struct {
			Next string `json:"next_cursor"`
		}
		if _, _, err := srv.GetJSON(ctx, client, "/api/v1/deliveries?limit=100&cursor="+cursor, &page); err != nil || page.Next == "" {
			break
		}
		cursor = page.Next
	}
	qs[len(qs)-1].paths = []string{"/api/v1/deliveries?limit=100&cursor=" + cursor}
	for _, q := range qs {
		var ms []float64
		note := ""
		for i := 0; i < runs && ctx.Err() == nil; i++ {
			path := q.paths[i%len(q.paths)]
			d, _, err := srv.GetJSON(ctx, client, path, nil)
			if err != nil {
				note = err.Error()
				break
			}
			ms = append(ms, float64(d)/float64(time.Millisecond))
		}
		if len(ms) == 0 {
			if strings.Contains(note, "no API route") || strings.Contains(note, "404") {
				note = "not available: " + strings.TrimSpace(note)
			}
			part[q.name] = kit.Missing("ms", note)
			kit.Logf("query: %-22s %s", q.name, note)
			continue
		}
		part[q.name] = kit.Val(kit.Median(ms), "ms", ms)
		kit.Logf("query: %-22s median %7.2f ms  (min %.2f, max %.2f, %d runs)", q.name, kit.Median(ms), minOf(ms), maxOf(ms), len(ms))
	}
	return nil
}

// searches are free-text queries: common and rare words, a phrase, an email, an order number.
func searches(prefix string) []string {
	var out []string
	for _, q := range []string{"refund", "warehouse", `"return label"`, "Switzerland", "anna.smith0@shop-example.com",
		"zipper", "WINTER20", "invoice"} {
		out = append(out, "/api/v1/deliveries?limit=100&q="+url.QueryEscape(prefix+q))
	}
	return out
}

func minOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}

func maxOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
