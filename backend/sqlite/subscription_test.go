package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"hooklens/backend"
)

// TestSubscribe_News: a subscriber hears only the news it asked for: the decoder hears captures
// and not its own decodes, the live feed both.
func TestSubscribe_News(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	captures := db.Subscribe(backend.NewsCaptured)
	decodes := db.Subscribe(backend.NewsDecoded)
	both := db.Subscribe(backend.NewsCaptured | backend.NewsDecoded)
	defer captures.Close()
	defer decodes.Close()
	defer both.Close()
	take := func(s backend.Subscription) string {
		select {
		case <-s.C():
			return fmt.Sprint(s.Take())
		case <-time.After(2 * time.Second):
			return "nothing"
		}
	}
	none := func(s backend.Subscription) bool {
		select {
		case <-s.C():
			return len(s.Take()) == 0
		case <-time.After(50 * time.Millisecond):
			return true
		}
	}

	d := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/x", Body: []byte(`{}`), Size: 2, Status: 200})
	want := fmt.Sprint([]string{d.ID})
	if got := take(captures); got != want {
		t.Errorf("captures after AddDelivery = %s; want %s", got, want)
	}
	if got := take(both); got != want {
		t.Errorf("both after AddDelivery = %s; want %s", got, want)
	}
	if !none(decodes) {
		t.Error("decodes heard of a capture")
	}

	pend, err := db.PendingDecode(ctx, 0, 1, 10)
	if err != nil || len(pend) != 1 {
		t.Fatalf("PendingDecode = %d, %v; want 1", len(pend), err)
	}
	ev := backend.Decoded{Seq: pend[0].Seq, Version: 1, Event: backend.Event{DeliveryID: d.ID, Vendor: backend.VendorUnknown}}
	if err := db.PutEvents(ctx, []backend.Decoded{ev}, 1, pend[0].Seq); err != nil {
		t.Fatal(err)
	}
	if got := take(decodes); got != want {
		t.Errorf("decodes after PutEvents = %s; want %s", got, want)
	}
	if got := take(both); got != want {
		t.Errorf("both after PutEvents = %s; want %s", got, want)
	}
	if !none(captures) {
		t.Error("captures heard of a decode")
	}
}
