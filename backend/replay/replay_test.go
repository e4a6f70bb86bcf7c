package replay_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/replay"
	"hooklens/backend/sqlite"
)

func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func decodeAll(tb testing.TB, db *sqlite.DB) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dec := ingest.New(db, all.Registry())
	idle := dec.Idle()
	done := make(chan struct{})
	go func() { dec.Run(ctx); close(done) }()
	<-idle
	cancel()
	<-done
}

// hit is one request as the target saw it, with its raw head.
type hit struct {
	Method, URI string
	Head        string // raw header lines, as sent
	Body        []byte
}

// target is an httptest server that keeps every request's raw bytes (net/http's own view
// canonicalizes and sorts headers, so order and case are read from the wire).
type target struct {
	*httptest.Server
	mu   sync.Mutex
	hits []hit
	raw  map[string]*bytes.Buffer // by remote address
	wait func(r *http.Request)    // runs before answering, when set
}

type tapConn struct {
	net.Conn
	buf *bytes.Buffer
	mu  *sync.Mutex
}

func (c tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.buf.Write(p[:n])
	c.mu.Unlock()
	return n, err
}

type tapListener struct {
	net.Listener
	t *target
}

func (l tapListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	buf := &bytes.Buffer{}
	l.t.mu.Lock()
	l.t.raw[c.RemoteAddr().String()] = buf
	l.t.mu.Unlock()
	return tapConn{c, buf, &l.t.mu}, nil
}

func newTarget(tb testing.TB) *target {
	t := &target{raw: map[string]*bytes.Buffer{}}
	t.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if t.wait != nil {
			t.wait(r)
		}
		t.mu.Lock()
		raw := t.raw[r.RemoteAddr].String()
		head, _, _ := strings.Cut(raw, "\r\n\r\n")
		_, lines, _ := strings.Cut(head, "\r\n")
		t.hits = append(t.hits, hit{Method: r.Method, URI: r.RequestURI, Head: lines, Body: body})
		t.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "accepted "+r.URL.Path+" "+strings.Repeat("x", 3000))
	}))
	t.Listener = tapListener{t.Listener, t}
	t.Start()
	tb.Cleanup(t.Close)
	return t
}

func (t *target) got() []hit {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]hit(nil), t.hits...)
}

func lcEvent(chat, id, at string) string {
	return `{"webhook_id":"w","secret_key":"s","action":"incoming_event","organization_id":"o","payload":{"chat_id":"` + chat +
		`","thread_id":"T1","event":{"id":"` + id + `","type":"message","text":"hi","author_id":"a@example.com","created_at":"` + at + `","visibility":"all"}}}`
}

func add(tb testing.TB, db *sqlite.DB, d *backend.Delivery) *backend.Delivery {
	tb.Helper()
	if d.Status == 0 {
		d.Status = 200
	}
	d.Size = int64(len(d.Body))
	if err := db.AddDelivery(context.Background(), d); err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestReplay_Conversation(t *testing.T) {
	db := MustOpenDB(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	headers := backend.Headers{{Name: "Host", Value: "abc.trycloudflare.com"}, {Name: "User-Agent", Value: "LiveChat"},
		{Name: "content-type", Value: "application/json"}, {Name: "X-Dup", Value: "1"}, {Name: "Connection", Value: "keep-alive, X-Hop"},
		{Name: "X-Hop", Value: "drop me"}, {Name: "x-dup", Value: "2"}, {Name: "Content-Length", Value: "999"},
		{Name: "Transfer-Encoding", Value: "chunked"}, {Name: "X-iAdvize-Signature", Value: "sha256=abc"}}
	// Arrival order B, A, C; event order A, B, C. D is another conversation.
	b := add(t, db, &backend.Delivery{Method: "POST", Path: "/livechat/b", Query: "n=2", Headers: headers, ReceivedAt: t0,
		Body: []byte(lcEvent("CHAT1", "T1_2", "2026-03-01T08:00:02.000000Z"))})
	a := add(t, db, &backend.Delivery{Method: "POST", Path: "/livechat/a", Headers: headers, ReceivedAt: t0.Add(time.Second),
		Body: []byte(lcEvent("CHAT1", "T1_1", "2026-03-01T08:00:01.000000Z"))})
	c := add(t, db, &backend.Delivery{Method: "PUT", Path: "/livechat/c", Headers: headers, ReceivedAt: t0.Add(3 * time.Second),
		Body: []byte(lcEvent("CHAT1", "T1_3", "2026-03-01T08:00:03.000000Z"))})
	add(t, db, &backend.Delivery{Method: "POST", Path: "/livechat/d", Headers: headers, ReceivedAt: t0.Add(4 * time.Second),
		Body: []byte(lcEvent("OTHER", "X_1", "2026-03-01T08:00:00.000000Z"))})
	decodeAll(t, db)

	tg := newTarget(t)
	var slept []time.Duration
	r := &replay.Replayer{Store: db, Sender: &replay.Sender{}, Sleep: func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d.Round(100*time.Millisecond))
		return nil
	}}
	var results []replay.Result
	n, err := r.Run(context.Background(), "", replay.Request{
		Selection: backend.Selection{Conversation: backend.Ref{Vendor: "livechat", ID: "CHAT1"}},
		To:        tg.URL + "/hooks/?k=v", Pace: replay.PaceOriginal, Speed: 2,
	}, func(res replay.Result) { results = append(results, res) })
	if err != nil || n != 3 {
		t.Fatalf("Run = %d, %v; want 3", n, err)
	}
	hits := tg.got()
	want := []*backend.Delivery{a, b, c}
	if len(hits) != 3 {
		t.Fatalf("target got %d requests; want 3", len(hits))
	}
	wantHead := "Host: " + strings.TrimPrefix(tg.URL, "http://") + "\r\nUser-Agent: LiveChat\r\ncontent-type: application/json\r\n" +
		"X-Dup: 1\r\nx-dup: 2\r\nX-iAdvize-Signature: sha256=abc\r\nContent-Length: "
	for i, h := range hits {
		d := want[i]
		uri := "/hooks" + d.Path + "?k=v"
		if d.Query != "" {
			uri += "&" + d.Query
		}
		if h.Method != d.Method || h.URI != uri {
			t.Errorf("request %d = %s %s; want %s %s", i, h.Method, h.URI, d.Method, uri)
		}
		if !strings.HasPrefix(h.Head, wantHead) || !strings.HasSuffix(h.Head, "\r\nConnection: close") {
			t.Errorf("request %d headers:\n%s\nwant them in order, starting:\n%s", i, h.Head, wantHead)
		}
		if !bytes.Equal(h.Body, d.Body) {
			t.Errorf("request %d body = %q; want %q", i, h.Body, d.Body)
		}
		res := results[i]
		if res.DeliveryID != d.ID || res.Status != 202 || res.Error != "" || !res.Truncated || len(res.Excerpt) != replay.DefaultMaxExcerpt {
			t.Errorf("result %d = %+v", i, res)
		}
	}
	// Original pacing at speed 2: A at 0, B arrived 1 s before A (no wait), C 2 s after A.
	if len(slept) != 3 || slept[0] > 0 || slept[2] < 900*time.Millisecond || slept[2] > time.Second {
		t.Errorf("slept %v; want about [0 0 1s]", slept)
	}
	recs, err := db.FindReplays(context.Background(), a.ID, 0)
	if err != nil || len(recs) != 1 {
		t.Fatalf("FindReplays = %v, %v", recs, err)
	}
	if rec := recs[0]; rec.Kind != backend.KindReplay || rec.Status != 202 || rec.StatusText != "Accepted" || !rec.Truncated ||
		!strings.HasPrefix(string(rec.Excerpt), "accepted /hooks/livechat/a") || rec.Target != tg.URL+"/hooks/livechat/a?k=v" {
		t.Errorf("record = %+v", rec)
	}
}

func TestReplay_ErrTargetDown(t *testing.T) {
	db := MustOpenDB(t)
	d := add(t, db, &backend.Delivery{Method: "POST", Path: "/x", Body: []byte("{}")})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	r := &replay.Replayer{Store: db, Sender: &replay.Sender{Timeout: time.Second}}
	var got replay.Result
	n, err := r.Run(context.Background(), "", replay.Request{Selection: backend.Selection{IDs: []string{d.ID}}, To: "http://" + addr},
		func(res replay.Result) { got = res })
	if err != nil || n != 1 || got.Status != 0 || !strings.HasPrefix(got.Error, "connect:") {
		t.Fatalf("Run = %d, %v, %+v; want a connect error recorded", n, err, got)
	}
	recs, _ := db.FindReplays(context.Background(), d.ID, 0)
	if len(recs) != 1 || recs[0].Error == "" {
		t.Errorf("records = %+v", recs)
	}
	if _, err := r.Run(context.Background(), "", replay.Request{To: "ftp://x"}, nil); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("Run(ftp) = %v; want invalid", err)
	}
}
