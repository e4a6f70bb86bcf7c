package contract_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/contract"
	"hooklens/backend/decode/all"
	"hooklens/backend/replay"
	"hooklens/backend/simulate"
)

// inputs are the simulated conversation of vendor, received one second apart, newest last.
func inputs(t testing.TB, vendor string) []contract.Input {
	t.Helper()
	sc, err := simulate.Find(all.Registry(), vendor, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []contract.Input
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, r := range sc.Build(base, "s") {
		d := r.Delivery
		d.ID = fmt.Sprintf("d%02d", i)
		d.ReceivedAt = base.Add(time.Duration(i) * time.Second)
		out = append(out, contract.Input{Delivery: &d})
	}
	return out
}

func TestExpectations_LayersAndErrors(t *testing.T) {
	e, err := contract.ParseExpectations("e.yaml", []byte(`
default:
  status: 2xx
  max_latency: 1s
  body: [{path: ok, equals: true}]
events:
  incoming_chat: {status: [200, 202]}
  livechat/incoming_chat: {max_latency: 250ms}
deliveries:
  d01: {same_on_retry: true, headers: [{name: X-Id, matches: "^[0-9]+$"}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := e.For("livechat", "incoming_chat", "d01")
	if !r.Status.Accepts(202) || r.Status.Accepts(204) || r.MaxLatency.Duration != 250*time.Millisecond ||
		r.SameOnRetry == nil || !*r.SameOnRetry || len(r.Body) != 1 || len(r.Headers) != 1 {
		t.Errorf("rule %+v", r)
	}
	if r := e.For("iadvize", "x", "d09"); !r.Status.Accepts(204) || r.MaxLatency.Duration != time.Second {
		t.Errorf("default rule %+v", r)
	}
	for text, want := range map[string]string{
		"default:\n  status: 2xx\n  timeout: 1s\n":      "line 3, column 3: unknown key \"timeout\"",
		"events:\n  x:\n    max_latency: soon\n":        "line 3, column 18: \"soon\" is not a duration",
		"default:\n  headers:\n    - equals: x\n":       "line 3, column 7: a header check needs a name",
		"default:\n  body:\n    - path: a\n":            "line 3, column 7: a body check needs equals, matches or contains",
		"deliveries: [1, 2]\n":                          "cannot unmarshal",
		"default:\n  status: 700\n":                     "line 2, column 11: status \"700\"",
		"default:\n  body:\n    - {path: a, nope: 1}\n": "line 3, column 17: unknown key \"nope\"",
	} {
		_, err := contract.ParseExpectations("e.yaml", []byte(text))
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want EINVALID with %q", text, err, want)
		}
	}
}

func TestPlan_OrderShuffleDuplicates(t *testing.T) {
	reg := all.Registry()
	in := inputs(t, "livechat")
	// Received in reverse: timeline order puts them back, arrival order keeps them.
	for i, x := range in {
		x.Delivery.ReceivedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(-time.Duration(i) * time.Second)
	}
	p, err := contract.NewPlan(reg, in, contract.Options{To: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, c := range p.Cases {
		types = append(types, c.EventType)
	}
	// The events with a time of their own are put back in the order they happened.
	if types[0] != "incoming_chat" || types[1] != "incoming_event" {
		t.Errorf("timeline order: %v", types)
	}
	p, _ = contract.NewPlan(reg, in, contract.Options{To: "http://127.0.0.1:1", Order: contract.OrderArrival})
	if p.Cases[0].DeliveryID != in[len(in)-1].Delivery.ID {
		t.Errorf("arrival order starts with %s", p.Cases[0].DeliveryID)
	}
	order := func(seed uint64) string {
		p, err := contract.NewPlan(reg, in, contract.Options{To: "http://127.0.0.1:1", Shuffle: 3, Seed: seed, DuplicateRate: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range p.Cases {
			ids = append(ids, c.DeliveryID)
		}
		return strings.Join(ids, " ") + fmt.Sprintf(" dups=%d", p.Duplicates())
	}
	if a, b := order(42), order(42); a != b {
		t.Errorf("the same seed planned %s then %s", a, b)
	}
	if a, b := order(42), order(43); a == b {
		t.Errorf("two seeds planned the same: %s", a)
	}
	for _, o := range []contract.Options{{To: "ftp://x"}, {To: "http://x", Order: "random"}, {To: "http://x", DuplicateRate: 2},
		{To: "http://x", Concurrency: -1}, {To: "http://x", Sets: []string{"payload.none=1"}}} {
		if _, err := contract.NewPlan(reg, in, o); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", o, err)
		}
	}
}

// TestRun_ConcurrencyRetriesAndTimeout runs a plan with retries against a handler that allows
// at most two requests at once and is slow on one event type.
func TestRun_ConcurrencyRetriesAndTimeout(t *testing.T) {
	var inflight, peak, total atomic.Int32
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		total.Add(1)
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen[string(b)]++
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		if strings.Contains(string(b), `"action":"chat_deactivated"`) {
			time.Sleep(400 * time.Millisecond)
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	in := inputs(t, "livechat")
	p, err := contract.NewPlan(all.Registry(), in, contract.Options{To: srv.URL, Concurrency: 2, Retries: true,
		Speed: 1000, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var cases atomic.Int32
	rep := (&contract.Runner{Sender: &replay.Sender{}}).Run(context.Background(), p, func(*contract.Case) { cases.Add(1) })
	if want := int32(len(in) * 4); total.Load() != want || rep.Sent != int(want) {
		t.Errorf("sent %d (handler saw %d), want %d: each first and its 3 retries", rep.Sent, total.Load(), want)
	}
	if peak.Load() != 2 {
		t.Errorf("peak concurrency %d, want 2", peak.Load())
	}
	if int(cases.Load()) != len(in) || rep.Failed != 1 || rep.Passed != len(in)-1 {
		t.Fatalf("cases %d, passed %d, failed %d", cases.Load(), rep.Passed, rep.Failed)
	}
	for _, c := range rep.Cases {
		if !c.Passed && (c.EventType != "chat_deactivated" || !strings.Contains(c.Failures[0], "no answer within 200ms")) {
			t.Errorf("%s failed: %v", c.EventType, c.Failures)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for body, n := range seen {
		if n != 4 {
			t.Errorf("a body was sent %d times, want 4: %.80s", n, body)
		}
	}
}

// TestRun_SameOnRetryAndBodyHeaderChecks: a handler that counts what it got answers a retry
// with the same status but another body; same_on_retry catches it, the default does not.
func TestRun_SameOnRetryAndBodyHeaderChecks(t *testing.T) {
	var mu sync.Mutex
	count := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		count[string(b)]++
		n := count[string(b)]
		mu.Unlock()
		w.Header().Set("X-Request-Id", "abc")
		fmt.Fprintf(w, `{"status":"stored","times":%d}`, n)
	}))
	defer srv.Close()
	in := inputs(t, "iadvize")[:2]
	run := func(expect string) *contract.Report {
		t.Helper()
		mu.Lock()
		clear(count)
		mu.Unlock()
		e, err := contract.ParseExpectations("e.yaml", []byte(expect))
		if err != nil {
			t.Fatal(err)
		}
		p, err := contract.NewPlan(all.Registry(), in, contract.Options{To: srv.URL, Retries: true, Speed: 1000, Expect: e})
		if err != nil {
			t.Fatal(err)
		}
		return (&contract.Runner{Sender: &replay.Sender{}}).Run(context.Background(), p, nil)
	}
	if rep := run("default:\n  body: [{path: status, equals: stored}, {contains: times}]\n  headers: [{name: X-Request-Id, matches: '^[a-z]+$'}]\n"); rep.Failed != 0 {
		t.Errorf("status, body and header checks: %+v", rep.Cases[0].Failures)
	}
	rep := run("default:\n  same_on_retry: true\n")
	if rep.Failed != 2 || !strings.Contains(strings.Join(rep.Cases[0].Failures, "|"), `retry 1: answered "{\"status\":\"stored\",\"times\":2}"`) {
		t.Errorf("same_on_retry: failed %d, %v", rep.Failed, rep.Cases[0].Failures)
	}
	rep = run("default:\n  body: [{path: times, equals: 1}]\n  headers: [{name: X-Other}, {name: X-Request-Id, absent: true}]\n")
	f := strings.Join(rep.Cases[0].Failures, "|")
	for _, want := range []string{"retry 1: body times is 2, want 1", "header X-Other is missing", `header X-Request-Id is "abc", want none`} {
		if !strings.Contains(f, want) {
			t.Errorf("failures %q lack %q", f, want)
		}
	}
}
