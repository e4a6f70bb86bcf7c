package replay

import (
	"context"
	"sync"
	"time"

	"hooklens/backend"
)

// maxRuns is how many finished runs Runs remembers.
const maxRuns = 20

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

// Runs runs replays in the background and keeps their progress.
type Runs struct {
	Replayer *Replayer

	mu      sync.Mutex
	runs    map[string]*Run
	cancels map[string]context.CancelFunc
	order   []string
}

// Start checks req and starts it; the run outlives ctx (it ends with base). It returns an
// EINVALID error for a bad request.
func (rs *Runs) Start(base context.Context, req Request) (Run, error) {
	if err := Check(&req); err != nil {
		return Run{}, err
	}
	run := &Run{ID: NewRunID(), Request: req, Started: time.Now().UTC(), Results: []Result{}}
	ctx, cancel := context.WithCancel(base)
	rs.mu.Lock()
	if rs.runs == nil {
		rs.runs, rs.cancels = map[string]*Run{}, map[string]context.CancelFunc{}
	}
	rs.runs[run.ID], rs.cancels[run.ID] = run, cancel
	rs.order = append(rs.order, run.ID)
	rs.forget()
	snapshot := *run
	rs.mu.Unlock()
	go func() {
		defer cancel()
		sent, err := rs.Replayer.Run(ctx, run.ID, req, func(r Result) {
			rs.mu.Lock()
			run.Results = append(run.Results, r)
			rs.mu.Unlock()
		})
		rs.mu.Lock()
		run.Done, run.Sent = true, sent
		if err != nil {
			run.Error = backend.ErrorMessage(err)
			run.Canceled = ctx.Err() != nil
		}
		delete(rs.cancels, run.ID)
		rs.mu.Unlock()
	}()
	return snapshot, nil
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
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r := rs.runs[id]
	if r == nil {
		return Run{}, backend.Errorf(backend.ENOTFOUND, "no replay run %s", id)
	}
	c := *r
	c.Results = append([]Result(nil), r.Results...)
	return c, nil
}

// Cancel stops a running replay; ENOTFOUND when it is not running.
func (rs *Runs) Cancel(id string) error {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	cancel := rs.cancels[id]
	if cancel == nil {
		return backend.Errorf(backend.ENOTFOUND, "replay run %s is not running", id)
	}
	cancel()
	return nil
}

// forget drops the oldest finished runs beyond maxRuns; the caller holds mu.
func (rs *Runs) forget() {
	for len(rs.order) > maxRuns {
		id := rs.order[0]
		if !rs.runs[id].Done {
			return
		}
		delete(rs.runs, id)
		rs.order = rs.order[1:]
	}
}
