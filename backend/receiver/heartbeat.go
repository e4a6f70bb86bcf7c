package receiver

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"hooklens/backend"
)

// DefaultHeartbeat is how often a running receiver records a sign of life.
const DefaultHeartbeat = 15 * time.Second

// Heartbeat records when this process's receiver listens: a run from Start to Stop, a sign of
// life every Interval in between. When the wall clock jumps by more than three intervals between
// two beats, the machine slept (the lid closed) or the process was frozen: the run is closed as
// suspended at the last beat and a new one starts. A process killed without Stop leaves its run
// open; the next Start closes it at the last beat.
type Heartbeat struct {
	Store    backend.CoverageWriter
	Interval time.Duration    // default DefaultHeartbeat
	Now      func() time.Time // wall clock (default time.Now without its monotonic reading)
	Log      *slog.Logger

	mu     sync.Mutex
	id     int64
	last   time.Time
	cancel context.CancelFunc
	done   chan struct{}
}

// Start records a run starting now and beats until Stop. It returns the store's error when the
// run cannot be recorded.
func (h *Heartbeat) Start(ctx context.Context) error {
	if h.Interval <= 0 {
		h.Interval = DefaultHeartbeat
	}
	if h.Now == nil {
		h.Now = func() time.Time { return time.Now().Round(0) }
	}
	if h.Log == nil {
		h.Log = slog.Default()
	}
	now := h.Now()
	id, err := h.Store.StartRun(ctx, now)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.id, h.last = id, now
	bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	h.cancel, h.done = cancel, make(chan struct{})
	h.mu.Unlock()
	go h.loop(bctx)
	return nil
}

func (h *Heartbeat) loop(ctx context.Context) {
	defer close(h.done)
	t := time.NewTicker(h.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.Beat(ctx)
		}
	}
}

// Beat records a sign of life now (the loop calls it every Interval; tests call it directly).
func (h *Heartbeat) Beat(ctx context.Context) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.Now()
	if now.Sub(h.last) > 3*h.Interval {
		if err := h.Store.StopRun(ctx, h.id, h.last, backend.RunSuspended); err != nil {
			h.Log.Warn("coverage: close a suspended run", "err", err)
		}
		id, err := h.Store.StartRun(ctx, now)
		if err != nil {
			h.Log.Warn("coverage: start a run after a suspension", "err", err)
			return
		}
		h.Log.Info("coverage: the receiver was not listening", "from", h.last, "to", now)
		h.id, h.last = id, now
		return
	}
	if err := h.Store.SeeRun(ctx, h.id, now); err != nil {
		h.Log.Warn("coverage: heartbeat", "err", err)
		return
	}
	h.last = now
}

// Stop ends the beats and records a clean stop now. Safe to call once Start succeeded, once.
func (h *Heartbeat) Stop() {
	h.mu.Lock()
	cancel, done := h.cancel, h.done
	h.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.Store.StopRun(context.Background(), h.id, h.Now(), backend.RunClean); err != nil {
		h.Log.Warn("coverage: record the stop", "err", err)
	}
	h.cancel = nil
}
