package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"hooklens/backend"
)

// benchBody is a 2 KB webhook body, the size the ingest benchmark posts.
var benchBody = []byte(`{"webhook_id":"w","secret_key":"s","action":"incoming_event","payload":{"text":"` +
	strings.Repeat("lorem ipsum ", 170) + `"}}`)

// BenchmarkAddDelivery measures durable captures: one client (every capture its own commit) and
// 32 concurrent clients (captures share commits), as the receiver calls AddDelivery.
func BenchmarkAddDelivery(b *testing.B) {
	for _, bc := range []struct {
		name    string
		clients int
	}{{"c1", 1}, {"c32", 32}} {
		b.Run(bc.name, func(b *testing.B) {
			db := MustOpenDB(b)
			ctx := context.Background()
			hs := backend.Headers{{Name: "Host", Value: "127.0.0.1:8787"}, {Name: "Content-Type", Value: "application/json"},
				{Name: "User-Agent", Value: "LiveChat-Webhooks"}, {Name: "Content-Length", Value: "2048"}}
			add := func() {
				d := &backend.Delivery{Method: "POST", Path: "/livechat", Headers: hs, Body: benchBody,
					Size: int64(len(benchBody)), ContentType: "application/json", RemoteAddr: "127.0.0.1:5000", Status: 200}
				if err := db.AddDelivery(ctx, d); err != nil {
					b.Error(err)
				}
			}
			b.SetBytes(int64(len(benchBody)))
			b.ResetTimer()
			if bc.clients == 1 {
				for range b.N {
					add()
				}
				return
			}
			b.SetParallelism(bc.clients) // × GOMAXPROCS goroutines; at least 32
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					add()
				}
			})
		})
	}
}
