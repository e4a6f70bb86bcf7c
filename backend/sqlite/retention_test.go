package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/sqlite"
)

// retentionDB is a store with n deliveries, each decoded (event, two actors, a search row); every
// fifth is a retry of the one before. It returns the ids oldest first.
func retentionDB(t *testing.T, n int) (*sqlite.DB, []string) {
	t.Helper()
	db := newDB(filepath.Join(t.TempDir(), "hooklens.db"))
	db.Now = func() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	ids := make([]string, n)
	evs := make([]backend.Decoded, n)
	for i := range n {
		body := fmt.Sprintf(`{"action":"incoming_event","payload":{"chat_id":"C%d","text":"needle%d"}}`, i, i)
		d := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/livechat", Body: []byte(body),
			Size: int64(len(body)), Status: 200, Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}})
		ids[i] = d.ID
		seq, err := db.SeqOf(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprintf("k%d", i)
		if i%5 == 4 {
			key = fmt.Sprintf("k%d", i-1) // a retry of the previous delivery
		}
		evs[i] = backend.Decoded{Seq: seq, Version: 1, Text: fmt.Sprintf("needle%d", i), Event: backend.Event{
			DeliveryID: d.ID, Vendor: livechat.Name, EventType: "incoming_event", DedupeKey: key,
			Conversation: &backend.ConversationRef{ID: fmt.Sprintf("C%d", i%7)},
			Actors: []backend.Actor{{ID: "smith@example.com", Kind: backend.KindAgent, Role: "author"},
				{ID: fmt.Sprintf("cust-%d", i), Kind: backend.KindCustomer, Role: "participant"}}}}
	}
	for i := 0; i < n; i += 200 {
		end := min(i+200, n)
		if err := db.PutEvents(ctx, evs[i:end], 1, evs[end-1].Seq); err != nil {
			t.Fatal(err)
		}
	}
	return db, ids
}

// rawCount counts rows with a connection of its own (the store keeps its handles private).
func rawCount(t *testing.T, db *sqlite.DB, query string) int64 {
	t.Helper()
	c, err := sql.Open("sqlite", "file:"+db.Path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int64
	if err := c.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestPruneOldest_MaxDeliveries(t *testing.T) {
	db, ids := retentionDB(t, 600) // more than one batch
	ctx := context.Background()
	_, bytesBefore, _ := db.Stats(ctx)
	// ids[549] is a retry of ids[548]: keeping 51 prunes its first attempt.
	if v, _ := db.FindDeliveryByID(ctx, ids[549]); v.DuplicateOf != ids[548] {
		t.Fatalf("before pruning %s is a retry of %q; want %s", ids[549], v.DuplicateOf, ids[548])
	}
	res, err := db.PruneOldest(ctx, backend.Retention{MaxDeliveries: 51})
	if err != nil {
		t.Fatal(err)
	}
	if res.Deliveries != 549 || res.At != db.Now() {
		t.Errorf("PruneOldest = %+v; want 549 pruned at the store's clock", res)
	}
	n, bytes, _ := db.Stats(ctx)
	if n != 51 || bytes != bytesBefore-res.Bytes {
		t.Errorf("Stats = %d, %d; want 51, %d", n, bytes, bytesBefore-res.Bytes)
	}
	if got := rawCount(t, db, `SELECT coalesce(sum(length(body) + length(headers)), 0) FROM deliveries`); got != bytes {
		t.Errorf("stats bytes %d; the rows hold %d", bytes, got)
	}
	items, _, _ := db.FindDeliveries(ctx, backend.DeliveryFilter{Limit: 1000})
	if len(items) != 51 || items[0].ID != ids[599] || items[50].ID != ids[549] {
		t.Fatalf("kept %d, newest %s, oldest %s; want the newest 51", len(items), items[0].ID, items[len(items)-1].ID)
	}
	for table, want := range map[string]int64{"events": 51, "entity_agent_events": 51, "search": 51, "events WHERE t IS NOT NULL": 51} {
		if got := rawCount(t, db, `SELECT count(*) FROM `+table); got != want {
			t.Errorf("%s rows = %d; want %d", table, got, want)
		}
	}
	// Search finds what is kept and nothing that was pruned.
	if items, _, _ := db.FindDeliveries(ctx, backend.DeliveryFilter{Query: "needle10"}); len(items) != 0 {
		t.Errorf("search for a pruned delivery found %d", len(items))
	}
	if items, _, _ := db.FindDeliveries(ctx, backend.DeliveryFilter{Query: "needle580"}); len(items) != 1 {
		t.Errorf("search for a kept delivery found %d", len(items))
	}
	// The retry whose first attempt was pruned now stands as the first.
	if v, _ := db.FindDeliveryByID(ctx, ids[549]); v.DuplicateOf != "" || v.Attempts != 1 {
		t.Errorf("%s: duplicate of %q, %d attempts; want a first attempt", ids[549], v.DuplicateOf, v.Attempts)
	}
	last, err := db.LastPrune(ctx)
	if err != nil || last == nil || *last != res {
		t.Errorf("LastPrune = %+v, %v; want %+v", last, err, res)
	}
}

func TestPruneOldest_MaxBytes(t *testing.T) {
	db, ids := retentionDB(t, 40)
	ctx := context.Background()
	_, total, _ := db.Stats(ctx)
	max := total / 4
	res, err := db.PruneOldest(ctx, backend.Retention{MaxBytes: max})
	if err != nil {
		t.Fatal(err)
	}
	n, bytes, _ := db.Stats(ctx)
	if bytes > max || n+res.Deliveries != 40 {
		t.Errorf("after pruning: %d deliveries, %d bytes (max %d), %d pruned", n, bytes, max, res.Deliveries)
	}
	// It removed no more than needed: with the newest pruned one back it would be over.
	v, _ := db.FindDeliveryByID(ctx, ids[res.Deliveries-1])
	if v != nil {
		t.Errorf("the newest pruned delivery is still there")
	}
	oldest, _, _ := db.FindDeliveries(ctx, backend.DeliveryFilter{Limit: 1000})
	if oldest[len(oldest)-1].ID != ids[res.Deliveries] {
		t.Errorf("oldest kept = %s; want %s", oldest[len(oldest)-1].ID, ids[res.Deliveries])
	}
	if bytes+res.Bytes/res.Deliveries <= max {
		t.Errorf("pruned too much: %d bytes kept of %d allowed after removing %d", bytes, max, res.Deliveries)
	}
}

func TestPruneOldest_Within(t *testing.T) {
	db, _ := retentionDB(t, 10)
	ctx := context.Background()
	for _, r := range []backend.Retention{{}, {MaxDeliveries: 10}, {MaxDeliveries: 100, MaxBytes: 1 << 30}} {
		res, err := db.PruneOldest(ctx, r)
		if err != nil || res.Deliveries != 0 {
			t.Errorf("PruneOldest(%+v) = %+v, %v; want nothing", r, res, err)
		}
	}
	if last, err := db.LastPrune(ctx); last != nil || err != nil {
		t.Errorf("LastPrune = %+v, %v; want none", last, err)
	}
}

// TestPruner_AfterBurst: captures wake the pruner, which brings the store back within the policy.
func TestPruner_AfterBurst(t *testing.T) {
	db := MustOpenDB(t)
	pruned := make(chan backend.Prune, 10)
	p := sqlite.NewPruner(db, func() backend.Retention { return backend.Retention{MaxDeliveries: 5} })
	p.Settle, p.OnPrune = 20*time.Millisecond, func(r backend.Prune) { pruned <- r }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	var last string
	for i := range 30 {
		last = mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/x", Body: []byte(strings.Repeat("b", i))}).ID
	}
	deadline := time.After(5 * time.Second)
	for {
		n, _ := db.CountDeliveries(context.Background())
		if n == 5 {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("%d deliveries after the burst; want 5", n)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if items, _, _ := db.FindDeliveries(context.Background(), backend.DeliveryFilter{}); items[0].ID != last {
		t.Errorf("newest kept = %s; want %s", items[0].ID, last)
	}
	select {
	case r := <-pruned:
		if r.Deliveries == 0 {
			t.Errorf("OnPrune(%+v)", r)
		}
	case <-time.After(time.Second):
		t.Error("OnPrune was not called")
	}
}
