package contract

import (
	"context"
	"io"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/bgrun"
	"hooklens/backend/decode"
	"hooklens/backend/replay"
)

// Store is where the app's test runs read their deliveries.
type Store interface {
	EachDelivery(ctx context.Context, sel backend.Selection, order backend.Order, fn func(*backend.Item) error) error
}

// Run is a test run started in the background: its plan's size and the cases judged so far.
type Run struct {
	ID       string
	Started  time.Time
	Done     bool
	Canceled bool
	Error    string
	Options  Options
	Seed     uint64
	Total    int // deliveries planned
	Sent     int
	Warnings []string
	Cases    []*Case // judged so far, in the order they finished
	Report   *Report // when done
}

// Runs runs tests of stored deliveries in the background, keeps them in memory (the last
// bgrun.DefaultKeep finished ones) and writes their JUnit reports.
type Runs struct {
	Store    Store
	Registry *decode.Registry
	// Secret returns the configured secret of a vendor; deliveries are signed with it.
	Secret func(vendor string) string
	Sender *replay.Sender

	t bgrun.Table[Run]
}

// Start plans the test of the deliveries sel picks and runs it in the background (it ends
// with base). EINVALID for bad options or an empty selection.
func (rs *Runs) Start(ctx, base context.Context, sel backend.Selection, opts Options) (Run, error) {
	p, err := rs.plan(ctx, sel, opts)
	if err != nil {
		return Run{}, err
	}
	run := newRun(p)
	run.Cases = []*Case{}
	rctx, cancel := context.WithCancel(base)
	snap := rs.t.Add(run.ID, run, cancel, snapshot)
	go func() {
		defer cancel()
		rep := rs.runner().Run(rctx, p, func(c *Case) {
			rs.t.Update(func() {
				run.Cases = append(run.Cases, c)
				run.Sent += len(c.Attempts)
			})
		})
		rs.t.Finish(run.ID, func() { run.finish(rep) })
	}()
	return snap, nil
}

// Wait plans and runs the test to its end (or until ctx ends it).
func (rs *Runs) Wait(ctx context.Context, sel backend.Selection, opts Options) (Run, error) {
	p, err := rs.plan(ctx, sel, opts)
	if err != nil {
		return Run{}, err
	}
	run := newRun(p)
	rep := rs.runner().Run(ctx, p, nil)
	run.finish(rep)
	run.Cases = rep.Cases
	return rs.t.Add(run.ID, run, nil, snapshot), nil
}

// newRun is a run of plan p, not started yet.
func newRun(p *Plan) *Run {
	return &Run{ID: "test-" + strings.TrimPrefix(replay.NewRunID(), "run-"), Started: time.Now().UTC(), Options: p.Options,
		Seed: p.Seed, Total: len(p.Cases), Warnings: p.Warnings}
}

// finish records the report of the run.
func (r *Run) finish(rep *Report) {
	r.Done, r.Report, r.Sent, r.Canceled = true, rep, rep.Sent, rep.Canceled
	if rep.Canceled {
		r.Error = "stopped before the end"
	}
}

func (rs *Runs) runner() *Runner {
	s := rs.Sender
	if s == nil {
		s = &replay.Sender{}
	}
	return &Runner{Sender: s}
}

// plan reads the selection and plans its test, signed with the configured secrets.
func (rs *Runs) plan(ctx context.Context, sel backend.Selection, opts Options) (*Plan, error) {
	if err := check(&opts); err != nil {
		return nil, err
	}
	var inputs []Input
	err := rs.Store.EachDelivery(ctx, sel, backend.ByArrival, func(it *backend.Item) error {
		d := it.Delivery
		inputs = append(inputs, Input{Delivery: &d})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(inputs) == 0 {
		return nil, backend.Errorf(backend.EINVALID, "nothing matches the selection")
	}
	opts.Secrets = map[string]string{}
	if rs.Secret != nil {
		for _, v := range rs.Registry.Names() {
			if s := rs.Secret(v); s != "" {
				opts.Secrets[v] = s
			}
		}
	}
	return NewPlan(rs.Registry, inputs, opts)
}

// Get returns a copy of the run with id; ENOTFOUND when it is unknown or forgotten.
func (rs *Runs) Get(id string) (Run, error) {
	if r, ok := rs.t.Get(id, snapshot); ok {
		return r, nil
	}
	return Run{}, backend.Errorf(backend.ENOTFOUND, "no test run %s", id)
}

// Cancel stops a running test; ENOTFOUND when it is not running.
func (rs *Runs) Cancel(id string) error {
	if !rs.t.Cancel(id) {
		return backend.Errorf(backend.ENOTFOUND, "test run %s is not running", id)
	}
	return nil
}

// JUnit writes the JUnit report of a finished run; ENOTFOUND when unknown, ECONFLICT while
// it runs.
func (rs *Runs) JUnit(id string, w io.Writer) error {
	run, err := rs.Get(id)
	if err != nil {
		return err
	}
	if !run.Done || run.Report == nil {
		return backend.Errorf(backend.ECONFLICT, "test run %s is still running", id)
	}
	return WriteJUnit(w, run.Report)
}

// snapshot copies r; cases are not changed once judged.
func snapshot(r *Run) Run {
	c := *r
	c.Cases = append([]*Case(nil), r.Cases...)
	return c
}
