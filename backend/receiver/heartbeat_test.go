package receiver_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/receiver"
	"hooklens/backend/sqlite/sqlitetest"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestHeartbeat(t *testing.T) {
	env := sqlitetest.Open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: t0}
	// A run a killed process left open.
	if _, err := env.DB.StartRun(ctx, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	// It captured a delivery half an hour later, after its last heartbeat: its last sign of life.
	d := &backend.Delivery{Method: "POST", Path: "/x", Source: backend.SourceReceiver, Status: 200, ReceivedAt: t0.Add(-30 * time.Minute)}
	if err := env.DB.AddDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	hb := &receiver.Heartbeat{Store: env.DB, Interval: time.Hour, Now: clock.Now} // the test beats by hand
	if err := hb.Start(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Add(30 * time.Minute)
	hb.Beat(ctx)
	clock.Add(4 * time.Hour) // the lid closed
	hb.Beat(ctx)
	clock.Add(10 * time.Minute)
	hb.Stop()

	runs, _, err := env.DB.Coverage(ctx, t0.Add(-2*time.Hour), t0.Add(10*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		start, stop time.Duration
		end         string
	}
	want := []row{{-time.Hour, -30 * time.Minute, backend.RunUnclean}, {0, 30 * time.Minute, backend.RunSuspended},
		{270 * time.Minute, 280 * time.Minute, backend.RunClean}}
	if len(runs) != len(want) {
		t.Fatalf("runs = %+v; want %d", runs, len(want))
	}
	for i, w := range want {
		r := runs[i]
		if r.Started.Sub(t0) != w.start || r.Stopped == nil || r.Stopped.Sub(t0) != w.stop || r.End != w.end {
			t.Errorf("run %d = %v..%v %q; want %v..%v %q", i, r.Started.Sub(t0), r.Stopped, r.End, w.start, w.stop, w.end)
		}
	}
	gaps := env.DB.Rules.Gaps(runs, nil, t0.Add(-2*time.Hour), t0.Add(280*time.Minute), t0.Add(280*time.Minute))
	if len(gaps) != 2 || gaps[0].Cause != backend.GapKilled || gaps[1].Cause != backend.GapSuspended {
		t.Errorf("gaps = %+v; want killed then suspended", gaps)
	}
}
