package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/sqlite"
)

// MustOpenDB opens a store in a temporary directory and closes it when the test ends.
// rules are the registered vendors' rules, as the app gives them to its store.
var rules = all.Registry().Rulebook()

// newDB returns a store for the file at path with the registered vendors' rules (not open).
func newDB(path string) *sqlite.DB {
	db := sqlite.NewDB(path)
	db.Rules = rules
	return db
}

func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := newDB(filepath.Join(tb.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustAdd(tb testing.TB, db *sqlite.DB, d *backend.Delivery) *backend.Delivery {
	tb.Helper()
	if err := db.AddDelivery(context.Background(), d); err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestAddDelivery_RoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	body := []byte{'{', 0xff, 0xfe, 0, '}'} // invalid UTF-8 and a NUL
	in := &backend.Delivery{
		Method: "PROPFIND", Path: "/a/b", Query: "x=1&x=2",
		Headers: backend.Headers{{Name: "X-B", Value: "1"}, {Name: "x-a", Value: "\xff raw"}, {Name: "X-B", Value: "3"}},
		Body:    body, Size: int64(len(body)), ContentType: "application/json",
		RemoteAddr: "127.0.0.1:1", ForwardedFor: "203.0.113.9", Status: 200,
		ReceivedAt: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC),
	}
	mustAdd(t, db, in)
	if in.ID == "" {
		t.Fatal("AddDelivery did not assign an id")
	}
	got, err := db.FindDeliveryByID(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, body) {
		t.Errorf("Body = %q; want %q", got.Body, body)
	}
	if fmt.Sprint(got.Headers) != fmt.Sprint(in.Headers) {
		t.Errorf("Headers = %v; want %v", got.Headers, in.Headers)
	}
	if want := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC); !got.ReceivedAt.Equal(want) {
		t.Errorf("ReceivedAt = %v; want %v (microseconds)", got.ReceivedAt, want)
	}
	if got.Method != "PROPFIND" || got.Query != "x=1&x=2" || got.ForwardedFor != "203.0.113.9" || got.Source != backend.SourceReceiver {
		t.Errorf("metadata = %+v", got.Delivery)
	}
	if n, _ := db.CountDeliveries(ctx); n != 1 {
		t.Errorf("CountDeliveries = %d; want 1", n)
	}
}

func TestFindDeliveryByID_ErrNotFound(t *testing.T) {
	db := MustOpenDB(t)
	if _, err := db.FindDeliveryByID(context.Background(), "nope"); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("FindDeliveryByID(nope) = %v; want not_found", err)
	}
}

func TestFindDeliveries_Pagination(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	var ids []string
	for i := 0; i < 25; i++ {
		method := "POST"
		if i%5 == 0 {
			method = "GET"
		}
		d := mustAdd(t, db, &backend.Delivery{Method: method, Path: fmt.Sprintf("/p/%d", i), Status: 200})
		ids = append(ids, d.ID)
	}
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		items, next, err := db.FindDeliveries(ctx, backend.DeliveryFilter{Limit: 10, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			seen = append(seen, it.ID)
		}
		if next == "" {
			if pages != 2 {
				t.Errorf("pages = %d; want 3", pages+1)
			}
			break
		}
		cursor = next
	}
	if len(seen) != 25 || seen[0] != ids[24] || seen[24] != ids[0] {
		t.Errorf("pages listed %d deliveries (first %s); want 25 newest first", len(seen), seen[0])
	}
	got, _, err := db.FindDeliveries(ctx, backend.DeliveryFilter{Method: "get"})
	if err != nil || len(got) != 5 {
		t.Errorf("FindDeliveries(method=get) = %d, %v; want 5", len(got), err)
	}
	got, _, _ = db.FindDeliveries(ctx, backend.DeliveryFilter{Path: "/p/1"})
	if len(got) != 11 { // /p/1 and /p/10../p/19
		t.Errorf("FindDeliveries(path=/p/1) = %d; want 11", len(got))
	}
	if _, _, err := db.FindDeliveries(ctx, backend.DeliveryFilter{Cursor: "!!"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("bad cursor err = %v; want invalid", err)
	}
}

func TestPutEvents_SearchAndRetries(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	add := func(at time.Duration, body string) (*backend.Delivery, int64) {
		d := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/iadvize", Body: []byte(body), Status: 200, ReceivedAt: base.Add(at)})
		seq, err := db.SeqOf(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d, seq
	}
	first, s1 := add(0, `{"eventId":"E1"}`)
	retry, s2 := add(10*time.Second, `{"eventId":"E1"}`)
	other, s3 := add(20*time.Second, `{"eventId":"E2"}`)
	ev := func(d *backend.Delivery, seq int64, key, summary string) backend.Decoded {
		return backend.Decoded{Seq: seq, Version: 1, Text: summary + " " + string(d.Body), Event: backend.Event{
			DeliveryID: d.ID, Vendor: iadvize.Name, EventType: "v2.conversation.closed",
			Conversation: &backend.ConversationRef{ID: "C1"}, Summary: summary, DedupeKey: key,
			Actors: []backend.Actor{{ID: "42", Kind: backend.KindAgent, Role: "assignee"}},
			Flags:  []backend.Flag{{Path: "x", Code: "unknown_field", Reason: "r"}}[:len(key)%2],
		}}
	}
	err := db.PutEvents(ctx, []backend.Decoded{ev(first, s1, "E1", "closed by operator"), ev(retry, s2, "E1", "closed again"),
		ev(other, s3, "E2x", "transfer to smith@example.com")}, 1, s3)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindDeliveryByID(ctx, retry.ID)
	if got.DuplicateOf != first.ID {
		t.Errorf("retry DuplicateOf = %q; want %q", got.DuplicateOf, first.ID)
	}
	got, _ = db.FindDeliveryByID(ctx, first.ID)
	if got.Attempts != 2 || got.DuplicateOf != "" {
		t.Errorf("first Attempts, DuplicateOf = %d, %q; want 2, \"\"", got.Attempts, got.DuplicateOf)
	}
	if through, _ := db.DecodedThrough(ctx, 1); through != s3 {
		t.Errorf("DecodedThrough = %d; want %d", through, s3)
	}
	for q, want := range map[string]int{
		"vendor:iadvize":                      3,
		"vendor:livechat":                     0,
		"conv:C1 type:v2.conversation.closed": 3,
		"agent:42":                            3,
		"smith@example.com":                   1,
		"has:flags":                           1,
		"closed":                              2,
		`"closed again"`:                      1,
	} {
		items, _, err := db.FindDeliveries(ctx, backend.DeliveryFilter{Query: q})
		if err != nil || len(items) != want {
			t.Errorf("FindDeliveries(q=%q) = %d, %v; want %d", q, len(items), err, want)
		}
	}
	// Re-decoding replaces the event and its search text.
	if err := db.InvalidateEvents(ctx, ""); err != nil {
		t.Fatal(err)
	}
	pend, err := db.PendingDecode(ctx, 0, 1, 10)
	if err != nil || len(pend) != 3 {
		t.Fatalf("PendingDecode after invalidate = %d, %v; want 3", len(pend), err)
	}
	if err := db.PutEvents(ctx, []backend.Decoded{ev(other, s3, "E2x", "renamed")}, 1, s3); err != nil {
		t.Fatal(err)
	}
	if items, _, _ := db.FindDeliveries(ctx, backend.DeliveryFilter{Query: "smith"}); len(items) != 0 {
		t.Errorf("old search text still found after re-decode")
	}
}

func TestOpen_Permissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db := newDB(filepath.Join(dir, "hooklens.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for path, want := range map[string]string{dir: "drwx------", db.Path: "-rw-------"} {
		if fi, err := osStat(path); err != nil || fi != want {
			t.Errorf("mode of %s = %s, %v; want %s", path, fi, err, want)
		}
	}
}

// TestPutEvents_Version checks that an event's API version, its evidence and its notes are
// stored and read back, and that an event without them reads back without them.
func TestPutEvents_Version(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	var seqs []int64
	var ds []*backend.Delivery
	for i := range 2 {
		d := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/x", Body: []byte(fmt.Sprintf(`{"n":%d}`, i)), Status: 200,
			ReceivedAt: time.Date(2026, 5, 1, 10, 0, i, 0, time.UTC)})
		seq, err := db.SeqOf(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		seqs, ds = append(seqs, seq), append(ds, d)
	}
	with := backend.Event{DeliveryID: ds[0].ID, Vendor: "v", EventType: "t", APIVersion: "3.4+",
		VersionEvidence: []backend.VersionEvidence{{Path: "organization_id", Since: "3.4", Reason: "organization_id present → 3.4 or later"}},
		Notes:           []backend.Flag{{Code: "deprecated", Reason: "t is deprecated"}}}
	without := backend.Event{DeliveryID: ds[1].ID, Vendor: "v", EventType: "t"}
	if err := db.PutEvents(ctx, []backend.Decoded{{Seq: seqs[0], Version: 2, Event: with}, {Seq: seqs[1], Version: 2, Event: without}}, 2, seqs[1]); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindDeliveryByID(ctx, ds[0].ID)
	if err != nil || got.Event == nil {
		t.Fatalf("FindDeliveryByID = %+v, %v", got, err)
	}
	if got.Event.APIVersion != "3.4+" || !reflect.DeepEqual(got.Event.VersionEvidence, with.VersionEvidence) || !reflect.DeepEqual(got.Event.Notes, with.Notes) {
		t.Errorf("stored event version %q evidence %v notes %v; want %q %v %v", got.Event.APIVersion, got.Event.VersionEvidence,
			got.Event.Notes, with.APIVersion, with.VersionEvidence, with.Notes)
	}
	got, err = db.FindDeliveryByID(ctx, ds[1].ID)
	if err != nil || got.Event == nil || got.Event.APIVersion != "" || got.Event.VersionEvidence != nil || got.Event.Notes != nil {
		t.Errorf("stored event without a version = %+v, %v; want none", got.Event, err)
	}
}

// TestSearchTypeRenamed checks that type: matches every name of a renamed event type, from
// the registered vendors' rules.
func TestSearchTypeRenamed(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	var evs []backend.Decoded
	var last int64
	for i, typ := range []string{"thread_closed", "chat_deactivated", "incoming_chat"} {
		d := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/x", Body: []byte(fmt.Sprintf(`{"n":%d}`, i)), Status: 200,
			ReceivedAt: time.Date(2026, 5, 1, 10, 0, i, 0, time.UTC)})
		seq, err := db.SeqOf(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		last = seq
		evs = append(evs, backend.Decoded{Seq: seq, Version: 2, Event: backend.Event{DeliveryID: d.ID, Vendor: livechat.Name, EventType: typ}})
	}
	if err := db.PutEvents(ctx, evs, 2, last); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"type:chat_deactivated": 2, "type:thread_closed": 2, "type:incoming_chat": 1, "type:nope": 0} {
		items, _, err := db.FindDeliveries(ctx, backend.DeliveryFilter{Query: q})
		if err != nil || len(items) != want {
			t.Errorf("FindDeliveries(%s) = %d, %v; want %d", q, len(items), err, want)
		}
	}
}
