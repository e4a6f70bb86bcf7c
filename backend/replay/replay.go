package replay

import (
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"time"

	"hooklens/backend"
)

// Paces of a replay.
const (
	PaceFast     = "fast"     // one after the other, as fast as the target answers
	PaceOriginal = "original" // the intervals they arrived at, divided by the speed
)

// Store is what a replay reads and records.
type Store interface {
	EachDelivery(ctx context.Context, sel backend.Selection, order backend.Order, fn func(*backend.Item) error) error
	AddReplays(ctx context.Context, recs []backend.ReplayRecord) error
}

// Request is one replay: which deliveries, where to, how fast.
type Request struct {
	Selection backend.Selection `json:"selection"`
	To        string            `json:"to"`
	Pace      string            `json:"pace"`  // PaceFast (default) or PaceOriginal
	Speed     float64           `json:"speed"` // with PaceOriginal: 2 is twice as fast; default 1
}

// Result is what happened to one delivery of a replay.
type Result struct {
	DeliveryID string `json:"delivery_id"`
	Method     string `json:"method"`
	EventType  string `json:"event_type"`
	Response
	Skipped string `json:"skipped,omitempty"` // why it was not sent
}

// Replayer sends selections of deliveries to a target, in event order.
type Replayer struct {
	Store  Store
	Sender *Sender
	Log    *slog.Logger
	// Sleep waits for d or until ctx is done; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Check validates req and fills its defaults; EINVALID when it cannot run.
func Check(req *Request) error {
	if _, err := ParseTarget(req.To); err != nil {
		return err
	}
	switch req.Pace = strings.ToLower(req.Pace); req.Pace {
	case "":
		req.Pace = PaceFast
	case PaceFast, PaceOriginal:
	default:
		return backend.Errorf(backend.EINVALID, "pace %q: want fast or original", req.Pace)
	}
	if req.Speed == 0 {
		req.Speed = 1
	}
	if req.Speed < 0 || req.Speed > 1e6 {
		return backend.Errorf(backend.EINVALID, "speed %v: want a positive factor (2 is twice as fast)", req.Speed)
	}
	return nil
}

// Run replays the selection in event order (occurred_at, else received_at), records every
// answer under runID ("" picks one), and calls each (when set) after each delivery. It returns
// how many were sent, and an EINVALID error for a bad request; a target that fails is recorded,
// not returned.
func (r *Replayer) Run(ctx context.Context, runID string, req Request, each func(Result)) (int, error) {
	if err := Check(&req); err != nil {
		return 0, err
	}
	target, _ := ParseTarget(req.To)
	sleep := r.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	if runID == "" {
		runID = NewRunID()
	}
	var (
		sent         int
		first, start time.Time
		due          time.Duration
	)
	err := r.Store.EachDelivery(ctx, req.Selection, backend.ByEvent, func(it *backend.Item) error {
		d := &it.Delivery
		res := Result{DeliveryID: d.ID, Method: d.Method}
		if it.Event != nil {
			res.EventType = it.Event.EventType
		}
		if d.Refused != "" {
			res.Skipped = "the receiver did not keep its body (" + strings.ReplaceAll(d.Refused, "_", " ") + ")"
			res.URL = TargetURL(target, d)
			if each != nil {
				each(res)
			}
			return nil
		}
		if req.Pace == PaceOriginal {
			if first.IsZero() {
				first, start = d.ReceivedAt, time.Now()
			}
			due = max(due, time.Duration(float64(d.ReceivedAt.Sub(first))/req.Speed))
			if err := sleep(ctx, due-time.Since(start)); err != nil {
				return err
			}
		}
		res.Response = r.Sender.Send(ctx, d, target)
		sent++
		rec := record(d.ID, backend.KindReplay, runID, res.Response)
		if err := r.Store.AddReplays(context.WithoutCancel(ctx), []backend.ReplayRecord{rec}); err != nil && r.Log != nil {
			r.Log.Error("replay: record answer", "delivery", d.ID, "err", err)
		}
		if each != nil {
			each(res)
		}
		return ctx.Err()
	})
	return sent, err
}

// NewRunID returns a new id for a replay run.
func NewRunID() string { return "run-" + strings.ToLower(rand.Text()[:12]) }

// record turns a response into a stored record.
func record(id, kind, run string, res Response) backend.ReplayRecord {
	return backend.ReplayRecord{DeliveryID: id, Kind: kind, Run: run, Target: res.URL, StartedAt: res.StartedAt,
		Duration: res.Duration, Status: res.Status, StatusText: res.StatusText, Excerpt: res.Excerpt,
		Truncated: res.Truncated, Error: res.Error}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
