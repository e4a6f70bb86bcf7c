package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"hooklens/backend"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/sqlite"
)

// seedDeliveries stores n decoded deliveries across three vendors, with a retry every 50th.
func seedDeliveries(tb testing.TB, db *sqlite.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	vendors := []string{livechat.Name, iadvize.Name, closer.Name}
	var batch []backend.Decoded
	for i := 0; i < n; i++ {
		body := fmt.Sprintf(`{"n":%d,"text":"message number %d from customer"}`, i, i)
		d := &backend.Delivery{Method: "POST", Path: "/" + vendors[i%3], Body: []byte(body), Size: int64(len(body)), Status: 200}
		if err := db.AddDelivery(ctx, d); err != nil {
			tb.Fatal(err)
		}
		key := fmt.Sprintf("k%d", i)
		if i%50 == 1 {
			key = fmt.Sprintf("k%d", i-1)
		}
		batch = append(batch, backend.Decoded{Seq: int64(i + 1), Version: 1, Text: body, Event: backend.Event{
			DeliveryID: d.ID, Vendor: vendors[i%3], EventType: "message", DedupeKey: key,
			Conversation: &backend.ConversationRef{ID: fmt.Sprintf("C%d", i%100)},
			Summary:      "message", Actors: []backend.Actor{{ID: fmt.Sprintf("a%d", i%20), Kind: "agent", Role: "author"}},
		}})
		if len(batch) == 500 || i == n-1 {
			if err := db.PutEvents(ctx, batch, 1, int64(i+1)); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

func BenchmarkFindDeliveries(b *testing.B) {
	db := MustOpenDB(b)
	seedDeliveries(b, db, 20000)
	ctx := context.Background()
	for _, q := range []string{"", "vendor:livechat", "type:message vendor:closer", "agent:a3", "conv:C7", "customer", "has:flags"} {
		b.Run(fmt.Sprintf("q=%q", q), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := db.FindDeliveries(ctx, backend.DeliveryFilter{Query: q, Limit: 100}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
