package sqlite_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
)

// oldStore turns the store at path back into what the schema before 0004 made: no enc column,
// no packing trigger, the migration not recorded.
func oldStore(t *testing.T, path string) {
	t.Helper()
	c, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, q := range []string{
		`DROP TRIGGER deliveries_count_pack`,
		`ALTER TABLE deliveries DROP COLUMN enc`,
		`DELETE FROM migrations WHERE name LIKE 'migrations/0004%'`,
	} {
		if _, err := c.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestMigrate_PackUpgrade opens a store made by the old schema (bodies and headers raw): its
// deliveries read back byte for byte, the running totals stay right, and deliveries decoded
// after the upgrade are packed.
func TestMigrate_PackUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hooklens.db")
	db := newDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"eventId":"93880d3c-e8df-4ed3-a4b1-1018bd18171c","eventType":"v2.conversation.pushed","platform":"ha",` +
		`"projectId":3717,"clientId":335,"conversationId":"a0639009-d997-4177-9010-c5dd5b0b58f0","operatorId":15318}`)
	headers := backend.Headers{{Name: "Content-Type", Value: "application/json"}, {Name: "Cf-Visitor", Value: `{"scheme":"https"}`},
		{Name: "X-Forwarded-For", Value: "34.140.85.200"}, {Name: "X-Forwarded-Proto", Value: "https"}, {Name: "User-Agent", Value: "iAdvize"}}
	old := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/iadvize", Headers: headers, Body: body, Size: int64(len(body)), Status: 200})
	refused := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/iadvize", Headers: headers, Refused: "body_too_large", Size: 1 << 30, Status: 413})
	db.Close()
	oldStore(t, path)

	db = newDB(path)
	if err := db.Open(); err != nil {
		t.Fatalf("Open(old store) = %v", err)
	}
	defer db.Close()
	for _, want := range []*backend.Delivery{old, refused} {
		got, err := db.FindDeliveryByID(ctx, want.ID)
		if err != nil || !bytes.Equal(got.Body, want.Body) || (got.Body == nil) != (want.Body == nil) || len(got.Headers) != len(headers) {
			t.Fatalf("FindDeliveryByID(%s) after upgrade = %+v, %v", want.ID, got, err)
		}
	}
	fresh := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/iadvize", Headers: headers, Body: body, Size: int64(len(body)), Status: 200})
	pend, err := db.PendingDecode(ctx, 0, 1, 10)
	if err != nil || len(pend) != 3 {
		t.Fatalf("PendingDecode = %d, %v; want 3", len(pend), err)
	}
	var evs []backend.Decoded
	for _, p := range pend {
		evs = append(evs, backend.Decoded{Seq: p.Seq, Version: 1, Event: backend.Event{DeliveryID: p.Delivery.ID, Vendor: iadvize.Name},
			Text: "x"})
	}
	if err := db.PutEvents(ctx, evs, 1, pend[2].Seq); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, db, `SELECT count(*) FROM deliveries WHERE enc != 0`); n != 3 {
		t.Errorf("packed deliveries = %d; want 3 (headers of all, bodies where there are)", n)
	}
	if n := rawCount(t, db, `SELECT length(body) FROM deliveries WHERE seq = 1`); n >= int64(len(body)) {
		t.Errorf("packed body = %d bytes; want less than %d", n, len(body))
	}
	stored := rawCount(t, db, `SELECT coalesce(sum(length(body)), 0) + sum(length(headers)) FROM deliveries`)
	if _, bytesN, err := db.Stats(ctx); err != nil || bytesN != stored {
		t.Errorf("Stats bytes = %d, %v; want %d (what is stored)", bytesN, err, stored)
	}
	for _, want := range []*backend.Delivery{old, refused, fresh} {
		got, err := db.FindDeliveryByID(ctx, want.ID)
		if err != nil || !bytes.Equal(got.Body, want.Body) || (got.Body == nil) != (want.Body == nil) {
			t.Fatalf("FindDeliveryByID(%s) after packing = %q, %v; want %q", want.ID, got.Body, err, want.Body)
		}
		for i, h := range got.Headers {
			if h != headers[i] {
				t.Fatalf("header %d = %+v; want %+v", i, h, headers[i])
			}
		}
	}
	// Retention removes packed rows and keeps the totals right.
	if _, err := db.PruneOldest(ctx, backend.Retention{MaxDeliveries: 1}); err != nil {
		t.Fatal(err)
	}
	stored = rawCount(t, db, `SELECT coalesce(sum(length(body)), 0) + sum(length(headers)) FROM deliveries`)
	if n, bytesN, err := db.Stats(ctx); err != nil || n != 1 || bytesN != stored {
		t.Errorf("Stats after pruning = %d, %d, %v; want 1, %d", n, bytesN, err, stored)
	}
}

// TestMigrate_Compact opens a store made by the schema before 0005 (testdata/pre0005.db.gz: the
// deliveries of bulkDeliveries stored and decoded by that code, then the oldest 3 pruned). The
// migration keeps every delivery; once the decoder has gone over the store again, every table
// holds what the current code stores for the same deliveries and the same pruning, search finds
// the same, and timelines read the same.
func TestMigrate_Compact(t *testing.T) {
	ctx := context.Background()
	ds := bulkDeliveries(t)
	path := filepath.Join(t.TempDir(), "old", "hooklens.db")
	gunzip(t, "testdata/pre0005.db.gz", path)
	old := newDB(path)
	if err := old.Open(); err != nil {
		t.Fatalf("Open(store before 0005) = %v", err)
	}
	if n, err := old.CountDeliveries(ctx); err != nil || n != int64(len(ds)-3) {
		t.Fatalf("deliveries after migrating = %d, %v; want %d", n, err, len(ds)-3)
	}
	// Conversations and timelines are there at once, before decoding again.
	before, _, err := old.FindConversations(ctx, backend.ConversationFilter{Limit: 1000})
	if err != nil || len(before) == 0 {
		t.Fatalf("FindConversations after migrating = %d, %v; want the store's", len(before), err)
	}
	tlBefore, err := old.ConversationTimeline(ctx, before[0].Vendor, before[0].ExternalID, backend.TimelineFilter{})
	if err != nil || len(tlBefore.Items) == 0 {
		t.Fatalf("timeline after migrating = %+v, %v", tlBefore, err)
	}
	decodeAll(t, old, len(ds))
	tlAfter, err := old.ConversationTimeline(ctx, before[0].Vendor, before[0].ExternalID, backend.TimelineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	fresh := openStore(t, "fresh")
	for _, d := range ds {
		c := *d
		if err := fresh.AddDelivery(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	decodeAll(t, fresh, len(ds))
	if _, err := fresh.PruneOldest(ctx, backend.Retention{MaxDeliveries: int64(len(ds) - 3)}); err != nil {
		t.Fatal(err)
	}
	// The migrated store was decoded by an older decode.Version: decoding it again may change
	// events, and then the timeline reads as the current decoder has it, like a fresh store's.
	tlFresh, err := fresh.ConversationTimeline(ctx, before[0].Vendor, before[0].ExternalID, backend.TimelineFilter{})
	if err != nil || !reflect.DeepEqual(tlAfter.Items, tlFresh.Items) {
		t.Errorf("timeline decoded again =\n%+v, %v\nwant (a fresh store's)\n%+v", tlAfter, err, tlFresh)
	}
	fresh.Close()
	// Stored lifecycle checks are a cache: an event that decoding again changed marks its
	// conversation's checks stale, computed when read (compared just above), where the fresh
	// store appended them. Leave that cache out of the table comparison.
	for _, p := range []string{fresh.Path, path} {
		forgetChecks(t, p)
	}

	a, b := dump(t, fresh.Path), dump(t, path)
	for table, rows := range a {
		if table != "settings" && !reflect.DeepEqual(rows, b[table]) {
			t.Errorf("table %s: migrated store holds\n%v\nwant\n%v", table, head(b[table]), head(rows))

		}
	}
	for _, q := range []string{"chat", `"thread_closed"`, "agent", "livechat"} {
		if got, want := match(t, path, q), match(t, fresh.Path, q); got != want {
			t.Errorf("search %s in the migrated store = %s; want %s", q, got, want)
		}
	}
}

// decodeAll runs the decoder on db until every delivery up to seq n is decoded.
func decodeAll(t *testing.T, db *sqlite.DB, n int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dec := ingest.New(db, all.Registry())
	done := make(chan struct{})
	go func() { dec.Run(ctx); close(done) }()
	waitDecoded(t, db, dec, n)
	cancel()
	<-done
}

func gunzip(t *testing.T, from, to string) {
	t.Helper()
	f, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// eventsColumns are the columns of events before 0006, in their order.
const eventsColumns = `seq, version, vendor, event_type, occurred_at, organization, conversation_id, thread_id, summary,
	documented, verification, verify_reason, flags, flag_count, actors, duplicate_of, status, status_of, dedupe_hash, t,
	checks, received_at, delivery_id`

// TestMigrate_Cluster turns a store back into what 0005 made (events keyed by seq) and opens it:
// every event row is kept as it was, all the events of a conversation of 128 events or more
// are placed together, short ones keep arrival order, and timelines read the same.
func TestMigrate_Cluster(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, "cluster")
	clusterScene(t, db, "first", true)
	before := mustTimeline(t, db, livechat.Name, "LONG000001", backend.TimelineFilter{Limit: 1000})
	short := mustTimeline(t, db, livechat.Name, "SHORT00001", backend.TimelineFilter{})
	db.Close()
	c, err := sql.Open("sqlite", "file:"+db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	read := func() []string { // every event row, column for column, by seq
		r, err := c.Query(`SELECT ` + eventsColumns + ` FROM events ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		return rowStrings(t, r)
	}
	want := read()
	for _, q := range []string{
		`CREATE TABLE events_old (seq INTEGER PRIMARY KEY REFERENCES deliveries (seq) ON DELETE CASCADE, version INTEGER NOT NULL,
			vendor TEXT NOT NULL, event_type TEXT NOT NULL DEFAULT '', occurred_at INTEGER, organization TEXT NOT NULL DEFAULT '',
			conversation_id TEXT NOT NULL DEFAULT '', thread_id TEXT NOT NULL DEFAULT '', summary TEXT NOT NULL DEFAULT '',
			documented INTEGER NOT NULL DEFAULT 0, verification TEXT NOT NULL DEFAULT '', verify_reason TEXT NOT NULL DEFAULT '',
			flags TEXT NOT NULL DEFAULT '[]', flag_count INTEGER NOT NULL DEFAULT 0, actors TEXT NOT NULL DEFAULT '[]',
			duplicate_of INTEGER, status TEXT NOT NULL DEFAULT '', status_of TEXT NOT NULL DEFAULT '',
			dedupe_hash INTEGER NOT NULL DEFAULT 0, t INTEGER, checks TEXT NOT NULL DEFAULT '', received_at INTEGER NOT NULL DEFAULT 0,
			delivery_id TEXT NOT NULL DEFAULT '')`,
		`INSERT INTO events_old SELECT ` + eventsColumns + ` FROM events ORDER BY seq`,
		`DROP TABLE events`,
		`ALTER TABLE events_old RENAME TO events`,
		`CREATE INDEX events_flagged ON events (seq) WHERE flag_count > 0`,
		`CREATE INDEX events_dedupe ON events (dedupe_hash) WHERE dedupe_hash != 0`,
		`CREATE INDEX events_timeline ON events (vendor, conversation_id, t)`,
		`CREATE INDEX events_status ON events (vendor, conversation_id, t) WHERE conversation_id != '' AND status_of = 'conversation'
			AND status != '' AND duplicate_of IS NULL AND t IS NOT NULL`,
		`DELETE FROM migrations WHERE name LIKE 'migrations/0006%'`,
	} {
		if _, err := c.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if n := len(read()); n != len(want) {
		t.Fatalf("store before 0006 holds %d events; want %d", n, len(want))
	}

	db = newDB(db.Path)
	if err := db.Open(); err != nil {
		t.Fatalf("Open(store before 0006) = %v", err)
	}
	defer db.Close()
	if got := read(); !reflect.DeepEqual(got, want) {
		t.Errorf("events after 0006 differ from before (%d rows, want %d)", len(got), len(want))
	}
	long := rawCount(t, db, `SELECT id FROM conversations WHERE external_id = 'LONG000001'`)
	if n := rawCount(t, db, fmt.Sprintf(`SELECT count(*) FROM events WHERE conversation_id = 'LONG000001' AND pos = (%d << 43) | seq`, long)); n != 300 {
		t.Errorf("events of the long conversation placed together = %d; want all 300", n)
	}
	if n := rawCount(t, db, `SELECT count(*) FROM events WHERE conversation_id != 'LONG000001' AND pos != seq`); n != 0 {
		t.Errorf("other events placed apart from arrival order = %d; want 0", n)
	}
	for _, tl := range []*backend.Timeline{before, short} {
		v, id := tl.Conversation.Vendor, tl.Conversation.ExternalID
		if got := mustTimeline(t, db, v, id, backend.TimelineFilter{Limit: 1000}); !reflect.DeepEqual(got.Items, tl.Items) {
			t.Errorf("timeline of %s after 0006 = %d items; want the %d from before", id, len(got.Items), len(tl.Items))
			for i := range min(len(got.Items), len(tl.Items)) {
				if !reflect.DeepEqual(got.Items[i], tl.Items[i]) {
					t.Logf("item %d: %+v\nbefore: %+v", i, got.Items[i], tl.Items[i])
				}
			}
		}
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// forgetChecks clears the stored lifecycle checks of the store at path (see TestMigrate_Compact).
func forgetChecks(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`UPDATE events SET checks = ''`, `UPDATE conversations SET checks_stale = 0`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
