package tunnel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/tunnel"
)

// TestCoverage_ProbeFailures: a fake tunnel (a reverse proxy on loopback) that stops forwarding
// for a while; the periodic probes go to the store, and coverage shows the unreachable stretch.
func TestCoverage_ProbeFailures(t *testing.T) {
	var down atomic.Bool
	var mu sync.Mutex
	var probes []backend.Probe
	var h *harness // set before the tunnel starts, so before any probe
	h = newHarness(t, tunnel.Config{Interval: 40 * time.Millisecond, ProbeTimeout: time.Second,
		OnProbe: func(p backend.Probe) {
			mu.Lock()
			probes = append(probes, p)
			mu.Unlock()
			_ = h.db.AddProbe(context.Background(), p)
		}})
	start := time.Now().Add(-time.Second)
	if _, err := h.db.StartRun(context.Background(), start); err != nil {
		t.Fatal(err)
	}
	target, _ := url.Parse(h.url)
	proxy := httputil.NewSingleHostReverseProxy(target)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "tunnel not connected", http.StatusBadGateway)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer fake.Close()
	st, err := h.m.Start(context.Background(), tunnel.StartRequest{Provider: tunnel.ProviderManual, PublicURL: fake.URL})
	if err != nil || st.Health != tunnel.HealthReachable {
		t.Fatalf("start = %+v, %v", st, err)
	}
	waitProbes := func(ok bool, n int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			c := 0
			for _, p := range probes {
				if p.OK == ok {
					c++
				}
			}
			mu.Unlock()
			if c >= n {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("fewer than %d probes with ok=%v", n, ok)
	}
	down.Store(true)
	waitProbes(false, 2)
	down.Store(false)
	waitProbes(true, 2)
	h.m.Close()

	runs, stored, err := h.db.Coverage(context.Background(), start, time.Now().Add(time.Second))
	if err != nil || len(runs) != 1 || len(stored) < 4 {
		t.Fatalf("Coverage = %d runs, %d probes, %v", len(runs), len(stored), err)
	}
	gaps := all.Registry().Rulebook().Gaps(runs, stored, start, time.Now(), time.Now())
	if len(gaps) == 0 || gaps[0].Cause != backend.GapUnreachable {
		t.Fatalf("gaps = %+v; want an unreachable stretch", gaps)
	}
	if g := gaps[0]; g.Open || g.To.Sub(g.From) <= 0 || len(g.Vendors) != 3 {
		t.Errorf("gap = %+v; want a closed stretch with a verdict per vendor", g)
	}
	for _, v := range gaps[0].Vendors {
		if v.Reason == "" {
			t.Errorf("vendor %s has no reason", v.Vendor)
		}
	}
}
