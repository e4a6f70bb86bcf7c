package bgrun_test

import (
	"fmt"
	"testing"

	"hooklens/backend/bgrun"
)

type run struct {
	id   string
	done bool
}

func snap(r *run) run { return *r }

// TestTable: finished runs beyond Keep are forgotten oldest first, but never past one still
// running; a finished run cannot be canceled; Get sees what Update and Finish changed.
func TestTable(t *testing.T) {
	var tb bgrun.Table[run]
	tb.Keep = 2
	canceled := false
	first := &run{id: "r0"}
	tb.Add("r0", first, func() { canceled = true }, snap)
	for i := 1; i <= 3; i++ {
		r := &run{id: fmt.Sprint("r", i), done: true}
		tb.Add(r.id, r, nil, snap)
	}
	if _, ok := tb.Get("r1", snap); !ok {
		t.Error("r1 forgotten while the older r0 still runs")
	}
	if !tb.Cancel("r0") || !canceled {
		t.Error("Cancel(r0) did not stop the running run")
	}
	tb.Finish("r0", func() { first.done = true })
	if tb.Cancel("r0") {
		t.Error("Cancel of a finished run = true")
	}
	if r, ok := tb.Get("r0", snap); !ok || !r.done {
		t.Errorf("Get(r0) = %+v, %v; want it done", r, ok)
	}
	tb.Add("r4", &run{id: "r4", done: true}, nil, snap)
	for id, want := range map[string]bool{"r0": false, "r1": false, "r2": false, "r3": true, "r4": true} {
		if _, ok := tb.Get(id, snap); ok != want {
			t.Errorf("Get(%s) found = %v; want %v (keep the last 2)", id, ok, want)
		}
	}
	if _, ok := tb.Get("nope", snap); ok {
		t.Error("Get of an unknown id found something")
	}
}
