package replay

import (
	"context"
	"time"

	"hooklens/backend"
	"hooklens/backend/bgrun"
)

// Run is a replay started in the background, as the API shows it.
type Run struct {
	ID       string    `json:"id"`
	Request  Request   `json:"request"`
	Started  time.Time `json:"started_at"`
	Done     bool      `json:"done"`
	Sent     int       `json:"sent"`
	Error    string    `json:"error,omitempty"`
	Results  []Result  `json:"results"`
	Canceled bool      `json:"canceled,omitempty"`
}

// snapshot copies r; results are not changed once added.
func snapshot(r *Run) Run {
	c := *r
	c.Results = append([]Result(nil), r.Results...)
	return c
}

// Runs runs replays in the background and keeps their progress (the last
// bgrun.DefaultKeep finished ones).
type Runs struct {
	Replayer *Replayer

	t bgrun.Table[Run]
}

// Start checks req and starts it; the run outlives ctx (it ends with base). It returns an
// EINVALID error for a bad request.
func (rs *Runs) Start(base context.Context, req Request) (Run, error) {
	if err := Check(&req); err != nil {
		return Run{}, err
	}
	run := &Run{ID: NewRunID(), Request: req, Started: time.Now().UTC(), Results: []Result{}}
	ctx, cancel := context.WithCancel(base)
	snap := rs.t.Add(run.ID, run, cancel, snapshot)
	go func() {
		defer cancel()
		sent, err := rs.Replayer.Run(ctx, run.ID, req, func(r Result) {
			rs.t.Update(func() { run.Results = append(run.Results, r) })
		})
		rs.t.Finish(run.ID, func() {
			run.Done, run.Sent = true, sent
			if err != nil {
				run.Error = backend.ErrorMessage(err)
				run.Canceled = ctx.Err() != nil
			}
		})
	}()
	return snap, nil
}

// Wait runs req and returns once it is done (or ctx ends it).
func (rs *Runs) Wait(ctx context.Context, req Request) (Run, error) {
	if err := Check(&req); err != nil {
		return Run{}, err
	}
	run := Run{ID: NewRunID(), Request: req, Started: time.Now().UTC(), Results: []Result{}}
	sent, err := rs.Replayer.Run(ctx, run.ID, req, func(r Result) { run.Results = append(run.Results, r) })
	run.Done, run.Sent = true, sent
	if err != nil {
		if backend.ErrorCode(err) == backend.EINVALID {
			return run, err
		}
		run.Error, run.Canceled = backend.ErrorMessage(err), ctx.Err() != nil
	}
	return run, nil
}

// Get returns a copy of the run with id; ENOTFOUND when it is unknown or forgotten.
func (rs *Runs) Get(id string) (Run, error) {
	if r, ok := rs.t.Get(id, snapshot); ok {
		return r, nil
	}
	return Run{}, backend.Errorf(backend.ENOTFOUND, "no replay run %s", id)
}

// Cancel stops a running replay; ENOTFOUND when it is not running.
func (rs *Runs) Cancel(id string) error {
	if !rs.t.Cancel(id) {
		return backend.Errorf(backend.ENOTFOUND, "replay run %s is not running", id)
	}
	return nil
}
