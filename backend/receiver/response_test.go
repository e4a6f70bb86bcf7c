package receiver_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/receiver"
	"hooklens/backend/sqlite"
)

type answer struct {
	status  int
	body    string
	ctype   string
	elapsed time.Duration
}

func send(tb testing.TB, url, body string) answer {
	tb.Helper()
	start := time.Now()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Header.Get("Content-Type"), time.Since(start)}
}

func TestResponses_Custom(t *testing.T) {
	h := newHarness(t, 0)
	rh := h.srv.Handler.(*receiver.Handler)
	err := rh.SetResponses([]receiver.Response{
		{Prefix: "/", Status: 503, Body: `{"retry":true}`, ContentType: "application/json"},
		{Prefix: "/livechat", Status: 500, Body: "boom", ContentType: "text/plain", DelayMS: 400},
		{Prefix: "/livechat/ok", Status: 204},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// The delayed answer comes after the delivery is committed.
	done := make(chan answer, 1)
	go func() { done <- send(t, h.url+"/livechat/hook?x=1", `{"action":"incoming_chat"}`) }()
	deadline := time.Now().Add(2 * time.Second)
	for n, _ := h.db.CountDeliveries(ctx); n == 0; n, _ = h.db.CountDeliveries(ctx) {
		if time.Now().After(deadline) {
			t.Fatal("the delivery was not committed during the delay")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-done:
		t.Fatal("answered before the delay was over")
	default:
	}
	a := <-done
	if a.status != 500 || a.body != "boom" || a.ctype != "text/plain" || a.elapsed < 400*time.Millisecond {
		t.Errorf("POST /livechat/hook = %d %q %q after %v; want 500 boom text/plain after ≥400ms", a.status, a.body, a.ctype, a.elapsed)
	}
	items, _, _ := h.db.FindDeliveries(ctx, backend.DeliveryFilter{})
	if len(items) != 1 || items[0].Status != 500 || items[0].Path != "/livechat/hook" {
		t.Errorf("stored = %+v; want one delivery with status 500", items)
	}

	for _, tt := range []struct{ path, body string }{{"/other", `{"retry":true}`}, {"/livechat/ok/deeper", ""}} {
		a := send(t, h.url+tt.path, "{}")
		want := map[string]int{"/other": 503, "/livechat/ok/deeper": 204}[tt.path]
		if a.status != want || a.body != tt.body {
			t.Errorf("POST %s = %d %q; want %d %q (longest prefix wins)", tt.path, a.status, a.body, want, tt.body)
		}
	}

	// No custom responses: the default acknowledgement again.
	if err := rh.SetResponses(nil); err != nil {
		t.Fatal(err)
	}
	if a := send(t, h.url+"/livechat", "{}"); a.status != 200 || !strings.Contains(a.body, `"stored":true`) {
		t.Errorf("default answer = %d %q", a.status, a.body)
	}
}

func TestResponses_Validate(t *testing.T) {
	rh := receiver.NewHandler(nil)
	ok := receiver.Response{Prefix: "/a", Status: 200}
	for _, tt := range []struct {
		name string
		rs   []receiver.Response
		msg  string
	}{
		{"ErrStatus1xx", []receiver.Response{{Prefix: "/", Status: 101}}, "1xx"},
		{"ErrStatus99", []receiver.Response{{Prefix: "/", Status: 99}}, "200–599"},
		{"ErrStatus600", []receiver.Response{{Prefix: "/", Status: 600}}, "200–599"},
		{"ErrDelay", []receiver.Response{{Prefix: "/", Status: 200, DelayMS: 60001}}, "delay_ms"},
		{"ErrNegativeDelay", []receiver.Response{{Prefix: "/", Status: 200, DelayMS: -1}}, "delay_ms"},
		{"ErrPrefix", []receiver.Response{{Prefix: "livechat", Status: 200}}, "start with /"},
		{"ErrPrefixQuery", []receiver.Response{{Prefix: "/a?b", Status: 200}}, "query"},
		{"ErrDuplicate", []receiver.Response{ok, ok}, "responses[1]: prefix \"/a\" is already used by responses[0]"},
		{"ErrNoContentBody", []receiver.Response{{Prefix: "/", Status: 204, Body: "x"}}, "204"},
		{"ErrContentType", []receiver.Response{{Prefix: "/", Status: 200, ContentType: "a\r\nX-Evil: 1"}}, "one line"},
		{"ErrBody", []receiver.Response{{Prefix: "/", Status: 200, Body: strings.Repeat("x", receiver.MaxResponseBody+1)}}, "bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := rh.SetResponses(tt.rs)
			if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(backend.ErrorMessage(err), tt.msg) {
				t.Errorf("SetResponses = %v; want invalid containing %q", err, tt.msg)
			}
		})
	}
	if err := rh.SetResponses([]receiver.Response{{Prefix: "/", Status: 599, DelayMS: 60000}, ok}); err != nil {
		t.Errorf("SetResponses(valid) = %v", err)
	}
	if got := rh.Responses(); len(got) != 2 || got[0].Prefix != "/a" {
		t.Errorf("Responses() = %+v; want longest prefix first", got)
	}
}

type failingWriter struct{}

func (failingWriter) AddDelivery(context.Context, *backend.Delivery) error {
	return backend.Errorf(backend.EUNAVAILABLE, "disk full")
}

func (w failingWriter) Capture(ctx context.Context, d *backend.Delivery) error {
	return w.AddDelivery(ctx, d)
}

// TestResponses_CommitFailure: a delivery that cannot be committed gets 503 at once, whatever
// custom response matches: nothing is acknowledged before it is stored.
func TestResponses_CommitFailure(t *testing.T) {
	rh := receiver.NewHandler(failingWriter{})
	rh.SetResponses([]receiver.Response{{Prefix: "/", Status: 200, Body: "ok", DelayMS: 5000}})
	srv := &receiver.Server{Handler: rh}
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	a := send(t, "http://"+srv.Addr().String()+"/x", "{}")
	if a.status != 503 || a.elapsed > 2*time.Second {
		t.Errorf("POST on a failing store = %d after %v; want 503 at once", a.status, a.elapsed)
	}
}

// TestResponses_RefusalsKeepTheirAnswer: a body over the limit still gets 413.
func TestResponses_RefusalsKeepTheirAnswer(t *testing.T) {
	h := newHarness(t, 10)
	h.srv.Handler.(*receiver.Handler).SetResponses([]receiver.Response{{Prefix: "/", Status: 202}})
	if a := send(t, h.url+"/big", strings.Repeat("x", 100)); a.status != 413 {
		t.Errorf("oversized POST = %d; want 413", a.status)
	}
}

// TestResponses_ShutdownEndsDelay: stopping the receiver answers delayed responses at once.
func TestResponses_ShutdownEndsDelay(t *testing.T) {
	h := newHarness(t, 0)
	h.srv.Handler.(*receiver.Handler).SetResponses([]receiver.Response{{Prefix: "/", Status: 429, DelayMS: 60000}})
	done := make(chan answer, 1)
	go func() { done <- send(t, h.url+"/slow", "{}") }()
	for n, _ := h.db.CountDeliveries(context.Background()); n == 0; n, _ = h.db.CountDeliveries(context.Background()) {
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	if err := h.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a := <-done; a.status != 429 || time.Since(start) > 5*time.Second {
		t.Errorf("delayed answer during shutdown = %d after %v", a.status, time.Since(start))
	}
}

// fakeProbes recognizes requests whose X-Test-Probe is "tok".
type fakeProbes struct {
	mu      sync.Mutex
	arrived []string
	db      *sqlite.DB
	stored  int64 // deliveries committed when Arrived was called
}

func (p *fakeProbes) Probe(r *http.Request) string {
	if r.Header.Get("X-Test-Probe") == "tok" {
		return "tok"
	}
	return ""
}

func (p *fakeProbes) Arrived(token string) {
	n, _ := p.db.CountDeliveries(context.Background())
	p.mu.Lock()
	defer p.mu.Unlock()
	p.arrived, p.stored = append(p.arrived, token), n
}

func TestProbes(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "hooklens.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	probes := &fakeProbes{db: db}
	rh := receiver.NewHandler(db)
	rh.Probes = probes
	rh.SetResponses([]receiver.Response{{Prefix: "/", Status: 500, DelayMS: 3000}})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &receiver.Server{Handler: rh}
	srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	url := "http://" + ln.Addr().String()

	req, _ := http.NewRequest("POST", url+"/__probe", strings.NewReader("{}"))
	req.Header.Set("X-Test-Probe", "tok")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || time.Since(start) > 2*time.Second {
		t.Errorf("probe answered %d after %v; want the default 200 at once", resp.StatusCode, time.Since(start))
	}
	probes.mu.Lock()
	if len(probes.arrived) != 1 || probes.arrived[0] != "tok" || probes.stored != 1 {
		t.Errorf("Arrived calls %v with %d stored; want [tok] after the commit", probes.arrived, probes.stored)
	}
	probes.mu.Unlock()
	items, _, _ := db.FindDeliveries(context.Background(), backend.DeliveryFilter{})
	if n, _ := db.CountDeliveries(context.Background()); n != 1 || len(items) != 0 {
		t.Errorf("stored %d, listed %d; want the probe stored and hidden", n, len(items))
	}
}
