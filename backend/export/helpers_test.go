package export_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/ingest"
	"hooklens/backend/sqlite"
)

// MustOpenDB opens a store in a temporary directory and closes it when the test ends.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// decodeAll decodes every stored delivery, as `hooklens serve` does in the background.
func decodeAll(tb testing.TB, db *sqlite.DB, secrets map[string]string) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dec := ingest.New(db, all.Registry())
	for v, s := range secrets {
		if err := dec.SetSecret(ctx, v, s); err != nil {
			tb.Fatal(err)
		}
	}
	idle := dec.Idle()
	done := make(chan struct{})
	go func() { dec.Run(ctx); close(done) }()
	select {
	case <-idle:
	case <-time.After(30 * time.Second):
		tb.Fatal("decoder did not finish")
	}
	cancel()
	<-done
}

const livechatBody = `{"webhook_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90","secret_key":"s3cr3t","action":"incoming_event",` +
	`"organization_id":"390e44e6-f1e6-4368-a6dd-74a14508c2ec","payload":{"chat_id":"PJ0MRSHTDG","thread_id":"K600PKZON8",` +
	`"event":{"id":"K600PKZON8_2","type":"message","text":"Hi, I am Jane <jane.doe@example.com>, call me at +33 6 12 34 56 78",` +
	`"author_id":"smith@example.com","created_at":"2019-12-09T12:01:18.909000Z","visibility":"all"}},` +
	`"additional_data":{"chat_presence_user_ids":["smith@example.com","b7eff798-f8df-4364-8059-649c35c9ed0c"]}}`

const iadvizeBody = `{"eventId":"0f0bb3af-5035-4ba3-b3fb-ff4879a3a74d","eventType":"satisfaction.answered","platform":"ha",` +
	`"projectId":1,"clientId":335,"conversationId":"4c8c7408-f73c-42cd-89e9-afbbee7d9024",` +
	`"createdAt":"2019-04-12T07:58:35.171Z","sentAt":"2019-04-12T07:58:35.496Z","satisfactionComment":"Thanks Jane, call me on +44 20 7946 0958"}`

// seed stores a varied set of deliveries: vendor JSON, a signed iAdvize event, a binary body,
// a body that is not UTF-8, duplicate and oddly cased headers, a form, gzip, a GET with a query,
// a refused body, and a header value that is not UTF-8.
func seed(tb testing.TB, db *sqlite.DB) []*backend.Delivery {
	tb.Helper()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 123456000, time.UTC)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"email":"gz@example.com"}`))
	zw.Close()
	binary := make([]byte, 300)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	h := func(kv ...string) backend.Headers {
		var hs backend.Headers
		for i := 0; i < len(kv); i += 2 {
			hs = append(hs, backend.Header{Name: kv[i], Value: kv[i+1]})
		}
		return hs
	}
	ds := []*backend.Delivery{
		{Method: "POST", Path: "/livechat/hook", Body: []byte(livechatBody),
			Headers: h("Host", "abc.trycloudflare.com", "Content-Type", "application/json", "X-Forwarded-For", "203.0.113.7", "x-dup", "1", "X-DUP", "2", "CF-Connecting-IP", "198.51.100.1", "Content-Length", strconv.Itoa(len(livechatBody)))},
		{Method: "POST", Path: "/iadvize", Body: []byte(iadvizeBody),
			Headers: h("Host", "abc.trycloudflare.com", "content-type", "application/json", iadvize.HeaderSignature, iadvize.Sign("orig-secret", []byte(iadvizeBody)))},
		{Method: "PUT", Path: "/upload/bin", Body: binary, Headers: h("Content-Type", "application/octet-stream", "X-Weird", "\xff\xfe raw")},
		{Method: "POST", Path: "/text", Body: []byte("caf\xe9 latin-1 from 192.0.2.44"), Headers: h("Content-Type", "text/plain; charset=iso-8859-1")},
		{Method: "POST", Path: "/iadvize/form", Body: []byte("eventId=e1&eventType=user.connected&platform=sd&clientId=1&userId=7&createdAt=2019-04-12T07%3A58%3A35.171Z&sentAt=2019-04-12T07%3A58%3A35.171Z"),
			Headers: h("Content-Type", "application/x-www-form-urlencoded")},
		{Method: "POST", Path: "/gz", Body: gz.Bytes(), Headers: h("Content-Type", "application/json", "Content-Encoding", "gzip")},
		{Method: "GET", Path: "/closer/ping", Query: "token=t0k3n&b=2&a=1&a=%20", Headers: h("Host", "x", "Authorization", "Bearer abc")},
		{Method: "POST", Path: "/big", Refused: "body_too_large", Size: 99 << 20, Status: 413, Headers: h("Content-Length", "103809024")},
		{Method: "POST", Path: "/empty", Body: []byte{}, Headers: h("Content-Length", "0")},
	}
	for i, d := range ds {
		d.ReceivedAt = t0.Add(time.Duration(i) * 1500 * time.Millisecond)
		if d.Status == 0 {
			d.Status = 200
		}
		if d.Refused == "" {
			d.Size = int64(len(d.Body))
		}
		d.ContentType = d.Headers.Get("Content-Type")
		d.RemoteAddr = "192.0.2.10:5555"
		if err := db.AddDelivery(context.Background(), d); err != nil {
			tb.Fatal(err)
		}
	}
	decodeAll(tb, db, nil)
	return ds
}
