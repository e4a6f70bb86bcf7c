// Package bgrun keeps the runs started in the background (replays, contract tests) in memory by
// id: each one with its cancel while it runs, and the last Keep finished ones after.
package bgrun

import (
	"context"
	"sync"
)

// DefaultKeep is how many finished runs a Table keeps when Keep is 0.
const DefaultKeep = 20

// Table holds runs of type R. Its zero value is ready; every change to a run it holds goes
// through Update or Finish, so that Get copies a run in one state.
type Table[R any] struct {
	Keep int

	mu    sync.Mutex
	runs  map[string]*entry[R]
	order []string // ids, oldest first
}

type entry[R any] struct {
	run    *R
	cancel context.CancelFunc // nil once finished
}

// Add keeps run under id, with the cancel that stops it (nil when it has finished already), and
// returns a copy of it made by snap. The oldest finished runs beyond Keep are forgotten.
func (t *Table[R]) Add(id string, run *R, cancel context.CancelFunc, snap func(*R) R) R {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.runs == nil {
		t.runs = map[string]*entry[R]{}
	}
	t.runs[id] = &entry[R]{run: run, cancel: cancel}
	t.order = append(t.order, id)
	keep := t.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	for len(t.order) > keep && t.runs[t.order[0]].cancel == nil {
		delete(t.runs, t.order[0])
		t.order = t.order[1:]
	}
	return snap(run)
}

// Update runs fn, which changes a run, under the table's lock.
func (t *Table[R]) Update(fn func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fn()
}

// Finish runs fn under the table's lock and marks the run with id finished.
func (t *Table[R]) Finish(id string, fn func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fn()
	if e := t.runs[id]; e != nil {
		e.cancel = nil
	}
}

// Get returns a copy of the run with id made by snap; false when it is unknown or forgotten.
func (t *Table[R]) Get(id string, snap func(*R) R) (R, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.runs[id]
	if e == nil {
		var zero R
		return zero, false
	}
	return snap(e.run), true
}

// Cancel stops the run with id; false when it is not running.
func (t *Table[R]) Cancel(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.runs[id]
	if e == nil || e.cancel == nil {
		return false
	}
	e.cancel()
	return true
}
