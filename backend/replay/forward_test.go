package replay_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/replay"
)

func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	tb.Fatalf("timed out waiting for %s", what)
}

func startForwarder(tb testing.TB, f *replay.Forwarder) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped, err := f.Start(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cancel(); <-stopped })
	if !f.Running() {
		tb.Fatal("Running = false after Start")
	}
}

func TestForward_InOrder(t *testing.T) {
	db := MustOpenDB(t)
	before := add(t, db, &backend.Delivery{Method: "POST", Path: "/old", Body: []byte("old")})
	tg := newTarget(t)
	f := &replay.Forwarder{Store: db, Sender: &replay.Sender{}, Self: []string{"127.0.0.1:8787"}}
	if err := f.Set(context.Background(), replay.ForwardSettings{URL: tg.URL + "/mine", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	startForwarder(t, f)
	var ids []string
	for i := 0; i < 20; i++ {
		d := add(t, db, &backend.Delivery{Method: "POST", Path: fmt.Sprintf("/livechat/%d", i), Body: []byte(fmt.Sprintf(`{"n":%d}`, i)),
			Headers: backend.Headers{{Name: "X-B", Value: "2"}, {Name: "x-a", Value: "1"}, {Name: "X-B", Value: "3"}}})
		ids = append(ids, d.ID)
		if i == 5 { // imported and refused deliveries are not forwarded
			add(t, db, &backend.Delivery{Method: "POST", Path: "/imported", Body: []byte("x"), Source: backend.SourceImport})
		}
	}
	loop := add(t, db, &backend.Delivery{Method: "POST", Path: "/loop", Body: []byte("x"),
		Headers: backend.Headers{{Name: replay.HeaderForwarded, Value: ids[0]}}})
	waitFor(t, "20 forwards", func() bool { return len(tg.got()) == 20 && f.Status().Forwarded == 20 && f.Status().Failed == 1 })
	// The refusal is counted before its record is written: wait for the record too.
	var loopRecs []backend.ReplayRecord
	waitFor(t, "the loop refusal record", func() bool {
		loopRecs, _ = db.FindReplays(context.Background(), loop.ID, 0)
		return len(loopRecs) > 0
	})
	if len(loopRecs) != 1 || !strings.Contains(loopRecs[0].Error, "loop") {
		t.Errorf("a delivery Hooklens forwarded itself was forwarded again: %+v", loopRecs)
	}
	for i, h := range tg.got() {
		if h.URI != fmt.Sprintf("/mine/livechat/%d", i) || string(h.Body) != fmt.Sprintf(`{"n":%d}`, i) ||
			!strings.Contains(h.Head, "X-B: 2\r\nx-a: 1\r\nX-B: 3\r\n"+replay.HeaderForwarded+": "+ids[i]+"\r\nContent-Length: ") {
			t.Errorf("forward %d = %s %q\n%s", i, h.URI, h.Body, h.Head)
		}
	}
	waitFor(t, "records", func() bool {
		recs, _ := db.FindReplays(context.Background(), ids[19], 0)
		return len(recs) == 1
	})
	recs, _ := db.FindReplays(context.Background(), ids[0], 0)
	if len(recs) != 1 || recs[0].Kind != backend.KindForward || recs[0].Status != http.StatusAccepted {
		t.Errorf("records = %+v", recs)
	}
	if recs, _ := db.FindReplays(context.Background(), before.ID, 0); len(recs) != 0 {
		t.Errorf("a delivery stored before the start was forwarded: %+v", recs)
	}

	// Turned off: nothing more is forwarded.
	if err := f.Set(context.Background(), replay.ForwardSettings{URL: tg.URL, Enabled: false}); err != nil {
		t.Fatal(err)
	}
	add(t, db, &backend.Delivery{Method: "POST", Path: "/off", Body: []byte("x")})
	time.Sleep(200 * time.Millisecond)
	if n := len(tg.got()); n != 20 {
		t.Errorf("target got %d requests after forwarding was turned off; want 20", n)
	}
	// The setting is saved.
	g := &replay.Forwarder{Store: db}
	if err := g.Load(context.Background()); err != nil || g.Status().URL != tg.URL || g.Status().Enabled {
		t.Errorf("Load = %v, %+v", err, g.Status())
	}
}

// TestForward_SlowTarget: a target that never answers in time neither blocks captures nor loses
// them; what cannot wait is dropped and recorded.
func TestForward_SlowTarget(t *testing.T) {
	db := MustOpenDB(t)
	tg := newTarget(t)
	release := make(chan struct{})
	tg.wait = func(*http.Request) { <-release }
	t.Cleanup(func() { close(release) })
	f := &replay.Forwarder{Store: db, Sender: &replay.Sender{Timeout: 300 * time.Millisecond}, Queue: 2}
	if err := f.Override(tg.URL); err != nil {
		t.Fatal(err)
	}
	startForwarder(t, f)
	start := time.Now()
	var ids []string
	for i := 0; i < 30; i++ {
		ids = append(ids, add(t, db, &backend.Delivery{Method: "POST", Path: "/x", Body: []byte("{}")}).ID)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("30 captures took %v with a stuck forward target", d)
	}
	waitFor(t, "every delivery accounted for", func() bool {
		s := f.Status()
		return s.Forwarded+s.Failed+s.Dropped == 30
	})
	s := f.Status()
	if s.Dropped == 0 || s.Failed == 0 || !strings.Contains(s.LastError, "timed out") && !strings.Contains(s.LastError, "queue") {
		t.Errorf("status = %+v; want drops and timeouts", s)
	}
	if n, _ := db.CountDeliveries(context.Background()); n != 30 {
		t.Errorf("stored %d deliveries; want 30", n)
	}
	waitFor(t, "a record per delivery", func() bool {
		for _, id := range ids {
			if recs, _ := db.FindReplays(context.Background(), id, 0); len(recs) != 1 || recs[0].Error == "" {
				return false
			}
		}
		return true
	})
}

// TestForward_Toggle: forwarding takes what is stored while it is on, from the moment it is
// switched on, and nothing stored while it was off.
func TestForward_Toggle(t *testing.T) {
	db := MustOpenDB(t)
	tg := newTarget(t)
	f := &replay.Forwarder{Store: db, Sender: &replay.Sender{}}
	startForwarder(t, f)
	ctx := context.Background()
	post := func(path string) { add(t, db, &backend.Delivery{Method: "POST", Path: path, Body: []byte("{}")}) }
	post("/off/1")
	post("/off/2")
	set := func(on bool) {
		if err := f.Set(ctx, replay.ForwardSettings{URL: tg.URL, Enabled: on}); err != nil {
			t.Fatal(err)
		}
	}
	set(true)
	post("/on/1")
	post("/on/2")
	waitFor(t, "2 forwards", func() bool { return f.Status().Forwarded == 2 })
	set(false)
	post("/off/3")
	time.Sleep(50 * time.Millisecond) // announced (5 ms) and seen while off
	set(true)
	post("/on/3")
	waitFor(t, "3 forwards", func() bool { return f.Status().Forwarded == 3 })
	time.Sleep(100 * time.Millisecond)
	var paths []string
	for _, h := range tg.got() {
		paths = append(paths, h.URI)
	}
	if got := strings.Join(paths, " "); got != "/on/1 /on/2 /on/3" {
		t.Errorf("forwarded %s; want /on/1 /on/2 /on/3", got)
	}
}

func TestForward_ErrSelf(t *testing.T) {
	f := &replay.Forwarder{Self: []string{"127.0.0.1:8787"}}
	for _, u := range []string{"http://127.0.0.1:8787/x", "http://localhost:8787", "ftp://x"} {
		if err := f.Override(u); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("Override(%s) = %v; want invalid", u, err)
		}
	}
	if err := f.Override("http://127.0.0.1:9000/hooks"); err != nil {
		t.Errorf("Override(other port) = %v", err)
	}
}
