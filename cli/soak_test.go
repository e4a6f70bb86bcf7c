package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hooklens/backend/api"
)

var soak = flag.Duration("soak", 15*time.Second, "how long TestSoak runs (e.g. -soak 2m)")

// TestSoak runs mixed ingest, listing, searching, exports and live streams that connect and
// drop, then checks that goroutines and heap come back within bounds once the load stops.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := parseConfig([]string{"--data", filepath.Join(t.TempDir(), "data"), "--listen", "127.0.0.1:0"}, false)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewMain().start(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	s.api.Guard = &api.Guard{Token: "t"}
	ui := httptest.NewServer(s.api.Handler())
	defer ui.Close()
	s.api.Guard.Hosts = api.LoopbackHosts(ui.Listener.Addr().String())
	receiver := s.api.ReceiverURL

	get := func(path string) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", ui.URL+path, nil)
		req.Header.Set("Authorization", "Bearer t")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		return nil
	}
	body := `{"webhook_id":"w","secret_key":"s","action":"incoming_event","organization_id":"o",` +
		`"payload":{"chat_id":"CHAT%04d","thread_id":"T1","event":{"id":"T1_%d","type":"message","text":"hello %d",` +
		`"author_id":"agent%d@example.com","created_at":"2026-11-23T07:00:00.000000Z"}}}`

	phase := func(d time.Duration) (acked int64, errs int64) {
		pctx, stop := context.WithTimeout(ctx, d)
		defer stop()
		var wg sync.WaitGroup
		var n, bad atomic.Int64
		run := func(f func(i int) error) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; pctx.Err() == nil; i++ {
					if err := f(i); err != nil && pctx.Err() == nil {
						bad.Add(1)
					}
				}
			}()
		}
		for w := 0; w < 4; w++ {
			run(func(i int) error {
				resp, err := http.Post(receiver+"/livechat", "application/json",
					strings.NewReader(fmt.Sprintf(body, i%200, i, i, i%20)))
				if err != nil {
					return err
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					n.Add(1)
				}
				return nil
			})
		}
		run(func(i int) error { return get("/api/v1/deliveries?limit=100") })
		run(func(i int) error { return get(fmt.Sprintf("/api/v1/deliveries?q=hello+%d", i)) })
		run(func(i int) error { return get("/api/v1/deliveries?q=vendor:livechat+type:incoming_event") })
		run(func(i int) error { return get("/api/v1/health") })
		run(func(i int) error { // exports: a search as NDJSON, then as a scrubbed fixture zip
			if i%2 == 0 {
				return get(fmt.Sprintf("/api/v1/export?format=ndjson&q=hello+%d", i))
			}
			return get("/api/v1/export?format=fixtures&scrub=1&q=vendor:livechat")
		})
		run(func(i int) error { // live streams that read a little and drop
			sctx, scancel := context.WithTimeout(pctx, 300*time.Millisecond)
			defer scancel()
			req, _ := http.NewRequestWithContext(sctx, "GET", ui.URL+"/api/v1/stream", nil)
			req.Header.Set("Authorization", "Bearer t")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil // the timeout of a stream is expected
			}
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
			}
			return nil
		})
		wg.Wait()
		return n.Load(), bad.Load()
	}
	settle := func(limit int) (int, uint64) {
		// Connections and streams end asynchronously, later on a loaded machine: wait (bounded)
		// for the goroutines to come back under limit; a leak stays above it.
		// limit 0: a fixed half second (the baseline). The decoder catches up first: a soak's
		// captures take it tens of seconds, while the process is too busy to wind down.
		select {
		case <-s.decoder.Idle():
		case <-time.After(2 * time.Minute):
			t.Error("the decoder did not catch up within 2 minutes of the load")
		}
		for deadline := time.Now().Add(10 * time.Second); ; {
			time.Sleep(500 * time.Millisecond)
			http.DefaultClient.CloseIdleConnections()
			if limit == 0 || runtime.NumGoroutine() <= limit || time.Now().After(deadline) {
				break
			}
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return runtime.NumGoroutine(), m.HeapInuse
	}
	// Background work still running after a phase (the decoder catching up holds a transaction,
	// the reader pool grows and shrinks) accounts for a dozen goroutines or so; a leak per request
	// or per stream would be thousands after a soak of ~8,000 requests and ~50 streams.
	const slack = 25
	warm := *soak / 5
	a1, e1 := phase(warm)
	g1, h1 := settle(0)
	a2, e2 := phase(*soak - warm)
	g2, h2 := settle(g1 + slack)
	t.Logf("soak %v: %d + %d acknowledged, %d errors; goroutines %d -> %d; heap in use %d -> %d MiB",
		*soak, a1, a2, e1+e2, g1, g2, h1>>20, h2>>20)
	if e1+e2 > 0 {
		t.Errorf("%d requests failed during the soak", e1+e2)
	}
	if g2 > g1+slack {
		var stacks strings.Builder
		pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		t.Errorf("goroutines grew from %d to %d:\n%s", g1, g2, stacks.String())
	}
	if h2 > h1+64<<20 {
		t.Errorf("heap grew from %d to %d MiB", h1>>20, h2>>20)
	}
}
