package api

import (
	"context"
	"io"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/export"
	"hooklens/backend/replay"
	"hooklens/backend/simulate"
	"hooklens/backend/sqlite"
)

// FixtureStore is the store side of FixtureService.
type FixtureStore interface {
	export.Source
	export.Store
	CountSelection(ctx context.Context, sel sqlite.Selection) (n, bytes int64, err error)
	FindReplays(ctx context.Context, deliveryID string, limit int) ([]sqlite.ReplayRecord, error)
}

// FixtureService is the production Fixtures: export, import, replay runs, the forwarder and the
// simulator over one store.
type FixtureService struct {
	Store  FixtureStore
	Secret func(vendor string) string // configured vendor secrets; may be nil
	// Vendors are the registered vendors: what simulate sends, which secrets an export keeps,
	// which signatures a scrubbed export signs again.
	Vendors   *decode.Registry
	Runs      *replay.Runs
	Forwarder *replay.Forwarder
	Sender    *replay.Sender
	// ReceiverURL is where Simulate sends ("http://127.0.0.1:8787").
	ReceiverURL string
	Generator   string
	// Base outlives requests: background replays end with it.
	Base context.Context
}

func (f *FixtureService) secret(vendor string) string {
	if f.Secret == nil {
		return ""
	}
	return f.Secret(vendor)
}

// Export writes the selection to w.
func (f *FixtureService) Export(ctx context.Context, w io.Writer, opt export.Options) (export.Result, error) {
	opt.Secrets, opt.Generator, opt.Vendors = f.secret, f.Generator, f.Vendors
	return export.Write(ctx, f.Store, w, opt)
}

// Count says how many deliveries and body bytes sel picks.
func (f *FixtureService) Count(ctx context.Context, sel sqlite.Selection) (int64, int64, error) {
	return f.Store.CountSelection(ctx, sel)
}

// Import reads one file into the store.
func (f *FixtureService) Import(ctx context.Context, r io.Reader, format, name string) (export.ImportResult, error) {
	return export.ImportReader(ctx, f.Store, r, format, name)
}

// Replay starts req in the background, or runs it to the end with wait.
func (f *FixtureService) Replay(ctx context.Context, req replay.Request, wait bool) (replay.Run, error) {
	if wait {
		return f.Runs.Wait(ctx, req)
	}
	base := f.Base
	if base == nil {
		base = context.WithoutCancel(ctx)
	}
	return f.Runs.Start(base, req)
}

// ReplayRun returns a started replay.
func (f *FixtureService) ReplayRun(id string) (replay.Run, error) { return f.Runs.Get(id) }

// CancelReplay stops a running replay.
func (f *FixtureService) CancelReplay(id string) error { return f.Runs.Cancel(id) }

// Replays returns the answers recorded for a delivery.
func (f *FixtureService) Replays(ctx context.Context, id string) ([]sqlite.ReplayRecord, error) {
	return f.Store.FindReplays(ctx, id, 100)
}

// Forward returns the forward settings and counters.
func (f *FixtureService) Forward() replay.ForwardStatus {
	if f.Forwarder == nil {
		return replay.ForwardStatus{}
	}
	return f.Forwarder.Status()
}

// SetForward changes and saves the forward settings; EUNAVAILABLE without a forwarder.
func (f *FixtureService) SetForward(ctx context.Context, s replay.ForwardSettings) error {
	if f.Forwarder == nil {
		return backend.Errorf(backend.EUNAVAILABLE, "forwarding is not running in this process")
	}
	return f.Forwarder.Set(ctx, s)
}

// Scenarios lists the simulator's scenarios.
func (f *FixtureService) Scenarios() []simulate.Scenario { return simulate.Scenarios(f.Vendors) }

// Simulate sends a scenario to the receiver, signed with the configured secrets.
func (f *FixtureService) Simulate(ctx context.Context, vendor, scenario string) ([]simulate.Sent, error) {
	vendors := []string{strings.ToLower(vendor)}
	if vendor == "" || strings.EqualFold(vendor, "all") {
		vendors = simulate.Vendors(f.Vendors)
	}
	var reqs []simulate.Request
	for _, v := range vendors {
		sc, err := simulate.Find(f.Vendors, v, scenario)
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, sc.Build(time.Now(), f.secret(v))...)
	}
	sender := f.Sender
	if sender == nil {
		sender = &replay.Sender{}
	}
	return simulate.Send(ctx, sender, f.ReceiverURL, reqs, 0)
}

var _ Fixtures = (*FixtureService)(nil)
