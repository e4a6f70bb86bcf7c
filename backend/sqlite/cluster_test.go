package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/sqlite"
)

// clusterScene stores, interleaved, a long LiveChat conversation (300 events, a late one every
// 17th, a retry every 41st), a short one (20 events) and agent status events without a
// conversation; summaries carry round.
func clusterScene(t *testing.T, db *sqlite.DB, round string, add bool) []backend.Decoded {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var all, batch []backend.Decoded
	long, short := 0, 0
	for i := range 400 {
		seq := int64(i + 1)
		received := base.Add(time.Duration(i) * time.Second)
		occurred := received.Add(-time.Second)
		if i%17 == 5 {
			occurred = received.Add(-time.Minute) // late: before events that arrived earlier
		}
		ev := backend.Event{Vendor: livechat.Name, EventType: "incoming_event", OccurredAt: &occurred,
			DedupeKey: fmt.Sprintf("k%d", i), Flags: []backend.Flag{}}
		switch {
		case i%4 == 3 && short < 20:
			ev.Conversation, short = &backend.ConversationRef{ID: "SHORT00001"}, short+1
		case i%4 != 3 && long < 300:
			ev.Conversation, long = &backend.ConversationRef{ID: "LONG000001"}, long+1
			if long%41 == 0 {
				ev.DedupeKey = fmt.Sprintf("k%d", i-1) // a retry of the event before
			}
		default:
			ev.EventType, ev.Status, ev.StatusOf = "routing_status_set", "accepting_chats", backend.StatusOfAgent
			ev.Actors = []backend.Actor{{ID: "agent-1", Kind: backend.KindAgent, Role: "subject"}}
		}
		ev.Summary = fmt.Sprintf("%s event %d", round, i)
		if add {
			body := fmt.Sprintf(`{"n":%d}`, i)
			d := &backend.Delivery{Method: "POST", Path: "/livechat", Body: []byte(body), Size: int64(len(body)), Status: 200,
				ReceivedAt: received, Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
			mustAdd(t, db, d)
		}
		ev.DeliveryID = fmt.Sprint(seq) // PutEvents names deliveries by id only for the stream
		d := backend.Decoded{Seq: seq, Version: decode.Version, Event: ev, Text: ev.Summary}
		all, batch = append(all, d), append(batch, d)
		if len(batch) == 50 || i == 399 {
			if err := db.PutEvents(ctx, batch, decode.Version, seq); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return all
}

// places returns each event's pos by seq.
func places(t *testing.T, db *sqlite.DB) map[int64]int64 {
	t.Helper()
	c, err := sql.Open("sqlite", "file:"+db.Path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rows, err := c.Query(`SELECT seq, pos FROM events`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var seq, pos int64
		if err := rows.Scan(&seq, &pos); err != nil {
			t.Fatal(err)
		}
		out[seq] = pos
	}
	return out
}

// TestEvents_LongConversationStoredTogether: once a conversation counts 128 events, its next
// ones are placed together (the conversation's id above the seq), the rest stay in arrival
// order, and timelines, windows, re-decoding and pruning work the same on both.
func TestEvents_LongConversationStoredTogether(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	evs := clusterScene(t, db, "first", true)

	long := rawCount(t, db, `SELECT id FROM conversations WHERE external_id = 'LONG000001'`)
	pos := places(t, db)
	var together, apart int
	var last int64
	for _, e := range evs {
		p := pos[e.Seq]
		conv := ""
		if e.Event.Conversation != nil {
			conv = e.Event.Conversation.ID
		}
		switch {
		case p == e.Seq:
			apart++
			if conv == "LONG000001" && together > 0 {
				t.Errorf("event %d of the long conversation is in arrival order after %d were placed together", e.Seq, together)
			}
		case conv == "LONG000001" && p&(1<<43-1) == e.Seq && p>>43 == long&(1<<20-1):
			together++
			if p <= last {
				t.Errorf("event %d placed at %d, before the conversation's previous one (%d)", e.Seq, p, last)
			}
			last = p
		default:
			t.Errorf("event %d of %q placed at %d (%d<<43 | %d); want its seq or conversation %d above it",
				e.Seq, conv, p, p>>43, p&(1<<43-1), long)
		}
	}
	// A conversation's count leaves retries out: with the three before (its 41st, 82nd and 123rd
	// events), its 128th counted event is its 131st, the last one in arrival order.
	if together != 300-131 || apart != 400-together {
		t.Errorf("placed together %d, in arrival order %d; want %d and %d", together, apart, 300-131, 400-(300-131))
	}

	want := mustTimeline(t, db, livechat.Name, "LONG000001", backend.TimelineFilter{Limit: 1000})
	if len(want.Items) != 300 || want.Total != 300 || want.Next != "" {
		t.Fatalf("timeline = %d items, total %d, next %q; want all 300", len(want.Items), want.Total, want.Next)
	}
	for i := 1; i < len(want.Items); i++ {
		a, b := want.Items[i-1], want.Items[i]
		if ta, tb := *a.OccurredAt, *b.OccurredAt; ta.After(tb) || ta.Equal(tb) && a.Seq > b.Seq {
			t.Fatalf("timeline item %d (seq %d at %v) before item %d (seq %d at %v)", i-1, a.Seq, ta, i, b.Seq, tb)
		}
	}
	var paged []backend.TimelineItem
	for f := (backend.TimelineFilter{Limit: 7}); ; {
		tl := mustTimeline(t, db, livechat.Name, "LONG000001", f)
		paged = append(paged, tl.Items...)
		if tl.Next == "" {
			break
		}
		f.Cursor = tl.Next
	}
	if !reflect.DeepEqual(paged, want.Items) {
		t.Errorf("timeline read in windows of 7 differs from the whole one (%d vs %d items)", len(paged), len(want.Items))
	}

	// Decoding again rewrites the rows where they are.
	clusterScene(t, db, "again", false)
	if got := places(t, db); !reflect.DeepEqual(got, pos) {
		t.Errorf("decoding again moved events")
	}
	again := mustTimeline(t, db, livechat.Name, "LONG000001", backend.TimelineFilter{Limit: 1000})
	if len(again.Items) != 300 || again.Items[299].Summary != "again"+want.Items[299].Summary[len("first"):] {
		t.Errorf("timeline after decoding again: %d items, last %q", len(again.Items), again.Items[len(again.Items)-1].Summary)
	}

	// Pruning reaches rows placed together (by seq).
	if _, err := db.PruneOldest(ctx, backend.Retention{MaxDeliveries: 100}); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, db, `SELECT count(*) FROM events`); n != 100 {
		t.Errorf("events after keeping the newest 100 deliveries = %d; want 100", n)
	}
	if n := rawCount(t, db, `SELECT count(*) FROM events WHERE pos != seq`); n != 75 {
		t.Errorf("events placed together after pruning = %d; want the long conversation's newest 75", n)
	}
}
