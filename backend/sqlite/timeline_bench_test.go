package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/sqlite"
)

// benchStore is a store of n deliveries, every one decoded, shaped like a busy inbox: one
// conversation of 10,000 events ("huge"), one of 1,000 ("big"), agent status events, and
// conversations of 20 events (start, messages, a close) between customers and 60 agents, with a
// retry every 97 events and a late delivery every 101.
func benchStore(b *testing.B, n int) *sqlite.DB {
	db := MustOpenDB(b)
	ctx := context.Background()
	start := time.Now()
	base := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	vendors := []string{livechat.Name, iadvize.Name, closer.Name}
	var evs []backend.Decoded
	big, regular, lastID := 0, 0, ""
	lastKey := map[string]string{} // conversation → dedupe key of its last event
	flush := func(through int64) {
		if err := db.PutEvents(ctx, evs, decode.Version, through); err != nil {
			b.Fatal(err)
		}
		evs = evs[:0]
	}
	for i := range n {
		received := base.Add(time.Duration(i) * time.Second)
		occurred := received.Add(-300 * time.Millisecond)
		if i%101 == 50 {
			occurred = received.Add(-3 * time.Minute)
		}
		ev := backend.Event{EventType: "message", OccurredAt: &occurred, Verification: backend.Verification{Status: backend.VerifyVerified},
			DedupeKey: fmt.Sprintf("k%d", i), Flags: []backend.Flag{}}
		var conv, agent, customer string
		pos, size := 0, 20
		switch {
		case i%10 == 0:
			conv, agent, customer, pos, size = "HUGE000001", "agent-0", "cust-huge", i/10, n/10
			ev.Vendor = livechat.Name
		case i%90 == 1 && big < 1000:
			conv, agent, customer, pos, size = "BIG0000001", "agent-0", "cust-big", big, 1000
			ev.Vendor, big = livechat.Name, big+1
		case i%50 == 7:
			agent = fmt.Sprintf("agent-%d", i%60)
			ev.Vendor, ev.EventType, ev.Status, ev.StatusOf = vendors[i%60%3], "status", []string{"available", "away"}[i%2], backend.StatusOfAgent
			ev.Actors = []backend.Actor{{ID: agent, Kind: backend.KindAgent, Role: "subject"}}
		default:
			k := regular / 20
			pos, regular = regular%20, regular+1
			conv, agent, customer = fmt.Sprintf("C%08d", k), fmt.Sprintf("agent-%d", k%60), fmt.Sprintf("cust-%d", k)
			ev.Vendor = vendors[k%60%3]
		}
		if conv != "" {
			ev.Conversation = &backend.ConversationRef{ID: conv, ThreadID: conv + "-T1"}
			author := backend.Actor{ID: customer, Kind: backend.KindCustomer, Role: "author", Name: "Customer " + customer}
			if pos%2 == 1 {
				author = backend.Actor{ID: agent, Kind: backend.KindAgent, Role: "author", Name: "Agent " + agent}
			}
			ev.Actors = []backend.Actor{author}
			switch {
			case pos == 0:
				ev.EventType, ev.Status, ev.StatusOf = "start", "open", backend.StatusOfConversation
				ev.Actors = append(ev.Actors, backend.Actor{ID: agent, Kind: backend.KindAgent, Role: "assignee"})
			case pos == size-1:
				ev.EventType, ev.Status, ev.StatusOf = "close", "closed", backend.StatusOfConversation
			case i%97 == 3 && lastKey[conv] != "":
				ev.DedupeKey = lastKey[conv] // a retry of the previous event
			}
			lastKey[conv] = ev.DedupeKey
		}
		ev.Summary = fmt.Sprintf("%s %s in %s by %s", ev.Vendor, ev.EventType, conv, agent)
		body := fmt.Sprintf(`{"action":%q,"chat_id":%q,"agent":%q,"text":"message number %d with some words in it"}`, ev.EventType, conv, agent, i)
		d := &backend.Delivery{Method: "POST", Path: "/" + ev.Vendor, Body: []byte(body), Size: int64(len(body)), Status: 200,
			ReceivedAt: received, Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
		mustAdd(b, db, d)
		ev.DeliveryID, lastID = d.ID, d.ID
		evs = append(evs, backend.Decoded{Seq: int64(i + 1), Version: decode.Version, Event: ev, Text: ev.Summary})
		if len(evs) == 2000 {
			flush(int64(i + 1))
		}
	}
	if len(evs) > 0 {
		flush(int64(n))
	}
	if seq, err := db.SeqOf(ctx, lastID); err != nil || seq != int64(n) {
		b.Fatalf("seq of the last delivery = %d, %v; want %d", seq, err, n)
	}
	b.Logf("generated %d deliveries in %v", n, time.Since(start).Round(time.Second))
	return db
}

// BenchmarkTimelines measures timelines and entity lists on a 100,000-delivery store.
func BenchmarkTimelines(b *testing.B) {
	n := 100_000
	if s := os.Getenv("HOOKLENS_BENCH_DELIVERIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	db := benchStore(b, n)
	ctx := context.Background()
	run := func(name string, f func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			cpu, items := cpuTime(), 0
			for b.Loop() {
				n, err := f()
				if err != nil || n == 0 {
					b.Fatalf("%s = %d items, %v", name, n, err)
				}
				items = n
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(items), "items")
		})
	}
	conv := func(id string, f backend.TimelineFilter) func() (int, error) {
		return func() (int, error) {
			tl, err := db.ConversationTimeline(ctx, livechat.Name, id, f)
			if err != nil {
				return 0, err
			}
			return len(tl.Items), nil
		}
	}
	agent := func(vendor, id string, f backend.TimelineFilter) func() (int, error) {
		return func() (int, error) {
			tl, err := db.AgentTimeline(ctx, vendor, id, f)
			if err != nil {
				return 0, err
			}
			return len(tl.Items), nil
		}
	}
	huge, err := db.ConversationTimeline(ctx, livechat.Name, "HUGE000001", backend.TimelineFilter{Limit: 5000})
	if err != nil || huge.Total != n/10 {
		b.Fatalf("huge conversation: %v, %v", huge, err)
	}
	run("Conversation1000", conv("BIG0000001", backend.TimelineFilter{}))
	run("Conversation10000", conv("HUGE000001", backend.TimelineFilter{Limit: 10_000}))
	run("Conversation10000Window1000", conv("HUGE000001", backend.TimelineFilter{Cursor: huge.Next, Limit: 1000}))
	run("Agent", agent(iadvize.Name, "agent-1", backend.TimelineFilter{}))
	run("AgentBusyWindow1000", agent(livechat.Name, "agent-0", backend.TimelineFilter{}))
	run("FindConversations", func() (int, error) {
		list, _, err := db.FindConversations(ctx, backend.ConversationFilter{Limit: 100})
		return len(list), err
	})
	run("FindConversationsText", func() (int, error) {
		list, _, err := db.FindConversations(ctx, backend.ConversationFilter{Query: "C00000042"})
		return len(list), err
	})
	run("FindAgents", func() (int, error) {
		list, _, err := db.FindAgents(ctx, backend.AgentFilter{})
		return len(list), err
	})
}

// cpuTime returns the CPU time this process has used, in nanoseconds: unlike wall time, it does
// not count waiting for other processes on a shared machine.
func cpuTime() int64 { return processCPU() }
