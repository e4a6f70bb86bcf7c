package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
)

// TestCapturedFields stores iAdvize deliveries of two versions (a retry among them), decodes
// them, and reads back per event type how many events carry each field.
func TestCapturedFields(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	n := 0
	add := func(file, eventID string) {
		body, err := os.ReadFile("../decode/iadvize/testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		// The doc samples share one eventId; each event here gets its own.
		body = bytes.Replace(body, []byte("0f0bb3af-5035-4ba3-b3fb-ff4879a3a74d"), []byte(eventID), 1)
		n++
		at = at.Add(time.Second)
		d := &backend.Delivery{ID: fmt.Sprintf("0196b000-0000-7000-8000-%012d", n), ReceivedAt: at, Method: "POST",
			Path: "/iadvize", Body: body, Size: int64(len(body)), ContentType: "application/json", Status: 200,
			Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}, Source: backend.SourceReceiver}
		if err := db.AddDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	add("v2.conversation.closed.2019-04.json", "e1") // operatorId as an array
	add("v2.conversation.closed.json", "e2")         // operatorIds
	add("v2.conversation.closed.json", "e2")         // a retry of it: not counted twice
	add("v2.conversation.pushed.json", "e3")
	decodeAll(t, db, n)

	got, err := db.CapturedFields(ctx, "iadvize")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].EventType != "v2.conversation.closed" || got[1].EventType != "v2.conversation.pushed" {
		t.Fatalf("CapturedFields = %+v; want closed and pushed", got)
	}
	closed := got[0]
	if closed.Events != 2 || closed.Unknown != 0 {
		t.Errorf("closed: %d events, %d unknown; want 2, 0", closed.Events, closed.Unknown)
	}
	for path, want := range map[string]int{"operatorId": 1, "operatorId[]": 1, "operatorIds": 1, "operatorIds[]": 1, "eventId": 2, "visitorId": 1} {
		if closed.Fields[path] != want {
			t.Errorf("closed: %s on %d events; want %d", path, closed.Fields[path], want)
		}
	}
	if got[1].Events != 1 || got[1].Fields["operatorId"] != 1 {
		t.Errorf("pushed = %+v; want 1 event with operatorId", got[1])
	}
	if other, err := db.CapturedFields(ctx, "closer"); err != nil || len(other) != 0 {
		t.Errorf("CapturedFields(closer) = %+v, %v; want none", other, err)
	}

	// An event decoded before the store kept paths counts as unknown, not as fieldless.
	c, err := sql.Open("sqlite", "file:"+db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Exec(`UPDATE events SET path_set = NULL WHERE event_type = 'v2.conversation.pushed'`); err != nil {
		t.Fatal(err)
	}
	got, err = db.CapturedFields(ctx, "iadvize")
	if err != nil || len(got) != 2 {
		t.Fatalf("CapturedFields = %+v, %v", got, err)
	}
	if want := (backend.CapturedType{EventType: "v2.conversation.pushed", Events: 1, Unknown: 1, Fields: map[string]int{}}); !reflect.DeepEqual(got[1], want) {
		t.Errorf("pushed without paths = %+v; want %+v", got[1], want)
	}
}

// BenchmarkCapturedFields reads the captured fields of a vendor from a store of 20,000
// deliveries (the samples of bulkDeliveries over and over, bulk-loaded with their paths).
func BenchmarkCapturedFields(b *testing.B) {
	ctx := context.Background()
	db := newDB(filepath.Join(b.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	samples := bulkDeliveries(b)
	reg := all.Registry()
	loader := db.NewBulkLoader(decode.Version)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var items []sqlite.BulkItem
	for i := range 20000 {
		c := *samples[i%len(samples)]
		c.ID = fmt.Sprintf("0196c000-0000-7000-8000-%012d", i)
		c.ReceivedAt = at.Add(time.Duration(i) * time.Second)
		ev, text := ingest.Decode(reg, sqlite.ForDecode(&c), nil)
		items = append(items, sqlite.BulkItem{Delivery: &c, Event: ev, Text: text, Paths: ingest.BodyPaths(sqlite.ForDecode(&c))})
		if len(items) == 2000 {
			if err := loader.Add(ctx, items); err != nil {
				b.Fatal(err)
			}
			items = nil
		}
	}
	if err := loader.Close(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		got, err := db.CapturedFields(ctx, "iadvize")
		if err != nil || len(got) == 0 {
			b.Fatalf("CapturedFields = %d types, %v", len(got), err)
		}
	}
}
