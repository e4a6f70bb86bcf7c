package sqlite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/sqlite"
)

const (
	clRoom  = "5b1f0c7e-8a2d-4c3b-9e4f-2a6d8c0b1e37"
	clOrg   = "b7e3a1c4-2f6d-4e8a-9c15-3d7f20e4a6b9"
	clGuest = "9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	clAgent = "5f0c2d8e-3b1a-4c7e-9d26-81a4f0b7c3e2"
)

// cl builds a Closer business event: message.timestamp is when it happened, @timestamp 300 ms later.
func cl(action, category, clock, event string) string {
	t := at(clock)
	return fmt.Sprintf(`{"@timestamp":%q,"message":{"event":%s,"description":{"kind":"event","category":[%q],`+
		`"type":["business_event"],"action":%q,"outcome":"success"},"timestamp":%d}}`,
		t.Add(300e6).Format("2006-01-02T15:04:05.000-0700"), event, category, action, t.UnixMilli())
}

func room(fields string) string {
	if fields != "" {
		fields = "," + fields
	}
	return fmt.Sprintf(`{"roomId":%q,"orgId":%q%s}`, clRoom, clOrg, fields)
}

// sendCloser plays a room created by a guest, assigned, tagged, closed, written to while
// closed, reopened, and a message that arrives 6.5 min late.
func sendCloser(tb testing.TB, s *scene) {
	tb.Helper()
	s.send(tb, "login", "/closer", at("07:55:00.400"), cl("login", "agent", "07:55:00.000", fmt.Sprintf(
		`{"agentId":%q,"orgId":%q,"firstName":"Jane","lastName":"Doe","email":"jane.doe@example.com"}`, clAgent, clOrg)))
	s.send(tb, "created", "/closer", at("08:00:00.400"), cl("created", "conversation", "08:00:00.000", room(fmt.Sprintf(`"guestId":%q`, clGuest))))
	s.send(tb, "assigned", "/closer", at("08:00:10.400"), cl("assignee_change", "conversation", "08:00:10.000", room(fmt.Sprintf(`"agentId":%q`, clAgent))))
	s.send(tb, "guest1", "/closer", at("08:00:20.400"), cl("message_sent", "conversation", "08:00:20.000",
		room(fmt.Sprintf(`"authorId":%q,"guestId":%q,"body":"My invoice is wrong","messageId":"m-1"`, clGuest, clGuest))))
	s.send(tb, "note", "/closer", at("08:00:40.400"), cl("custom_message_sent", "conversation", "08:00:40.000",
		room(fmt.Sprintf(`"authorId":%q,"subtag":"NOTE","body":"Refund approved","messageId":"m-2"`, clAgent))))
	s.send(tb, "tagged", "/closer", at("08:01:00.400"), cl("tag_change", "conversation", "08:01:00.000", room(`"tags":["billing"]`)))
	s.send(tb, "closed", "/closer", at("08:02:00.400"), cl("closed", "conversation", "08:02:00.000", room(`"status":"true","sub_status":"solved"`)))
	s.send(tb, "guest-closed", "/closer", at("08:03:00.400"), cl("message_sent", "conversation", "08:03:00.000",
		room(fmt.Sprintf(`"authorId":%q,"guestId":%q,"body":"One more thing","messageId":"m-3"`, clGuest, clGuest))))
	s.send(tb, "reopened", "/closer", at("08:03:05.400"), cl("reopened", "conversation", "08:03:05.000", room("")))
	s.send(tb, "away", "/closer", at("08:05:00.300"), cl("status_change", "agent", "08:05:00.000", fmt.Sprintf(
		`{"agentId":%q,"orgId":%q,"status":"AWAY","unavailableReason":"lunch"}`, clAgent, clOrg)))
	s.send(tb, "guest-late", "/closer", at("08:10:30.000"), cl("message_sent", "conversation", "08:04:00.000",
		room(fmt.Sprintf(`"authorId":%q,"guestId":%q,"body":"Found it","messageId":"m-4"`, clGuest, clGuest))))
	s.decode(tb)
}

func TestCloserConversation(t *testing.T) {
	s := newScene(t)
	sendCloser(t, s)
	tl := mustTimeline(t, s.db, "closer", clRoom, backend.TimelineFilter{})
	c := tl.Conversation
	if c.Status != "reopened" || c.EventCount != 9 || c.Organization != clOrg {
		t.Errorf("Conversation = %+v; want reopened, 9 events, org %s", c, clOrg)
	}
	if got, want := roles(c), map[string]string{clGuest: "customer:author,participant", clAgent: "agent:assignee,author"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Participants = %v; want %v", got, want)
	}
	want := []string{"created", "assigned", "guest1", "note", "tagged", "closed", "guest-closed", "reopened", "guest-late"}
	if got := s.order(tl.Items); !slices.Equal(got, want) {
		t.Errorf("order = %v; want %v", got, want)
	}
	s.checkChecks(t, tl, map[string][]string{"guest-closed": {"after_close"}, "guest-late": {"delivery_delay"}})
	a := mustAgentTimeline(t, s.db, "closer", clAgent, backend.TimelineFilter{})
	if a.Agent.Status != "away" || a.Agent.Name != "Jane Doe" || a.Agent.Email != "jane.doe@example.com" || a.Agent.ConversationCount != 1 {
		t.Errorf("Agent = %+v; want away, Jane Doe, jane.doe@example.com, 1 conversation", a.Agent)
	}
	if got, want := s.order(a.Items), []string{"login", "assigned", "note", "away"}; !slices.Equal(got, want) {
		t.Errorf("agent timeline = %v; want %v", got, want)
	}
}

// snapshot is every conversation and agent, as JSON, for comparing stores.
func snapshot(tb testing.TB, db *sqlite.DB) string {
	tb.Helper()
	ctx := context.Background()
	convs, _, err := db.FindConversations(ctx, backend.ConversationFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	agents, _, err := db.FindAgents(ctx, backend.AgentFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	b, _ := json.Marshal([]any{convs, agents})
	return string(b)
}

func TestEntities_ReDecode(t *testing.T) {
	s := newScene(t)
	sendLiveChat(t, s)
	sendIAdvize(t, s)
	sendCloser(t, s)
	before := snapshot(t, s.db)
	ctx := context.Background()
	for range 2 {
		if err := s.db.InvalidateEvents(ctx, ""); err != nil {
			t.Fatal(err)
		}
		s.decode(t)
		if after := snapshot(t, s.db); after != before {
			t.Fatalf("entities after re-decode =\n%s\nwant\n%s", after, before)
		}
	}

	// A re-decode that moves an event to another conversation takes it out of the first one.
	seq, _ := s.db.SeqOf(ctx, s.ids["orphan-close"])
	pend, _ := s.db.PendingDecode(ctx, seq-1, decode.Version+1, 1)
	ev := s.reg.Decode(pend[0].Delivery, nil)
	ev.Conversation.ID = lcChat
	if err := s.db.PutEvents(ctx, []backend.Decoded{{Seq: seq, Version: decode.Version, Event: ev}}, decode.Version, seq); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ConversationTimeline(ctx, "livechat", lcOther, backend.TimelineFilter{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("ConversationTimeline(%s) after its only event moved = %v; want not_found", lcOther, err)
	}
	tl := mustTimeline(t, s.db, "livechat", lcChat, backend.TimelineFilter{})
	if tl.Conversation.EventCount != 12 || tl.Conversation.Status != "closed" || !slices.Equal(tl.Conversation.Threads, []string{lcT1, lcT2, "QX9T000001"}) {
		t.Errorf("after move: %+v; want 12 events, closed, a third thread", tl.Conversation)
	}
	smith := mustAgentTimeline(t, s.db, "livechat", "smith@example.com", backend.TimelineFilter{Limit: 1}).Agent
	if smith.ConversationCount != 1 || smith.EventCount != 6 {
		t.Errorf("smith after move = %+v; want 1 conversation, 6 events", smith)
	}
	// Moving it back restores the store exactly.
	ev.Conversation.ID = lcOther
	if err := s.db.PutEvents(ctx, []backend.Decoded{{Seq: seq, Version: decode.Version, Event: ev}}, decode.Version, seq); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, s.db); after != before {
		t.Errorf("entities after moving back =\n%s\nwant\n%s", after, before)
	}
}

// TestChecksStored checks that the checks kept with each event (appended, or rebuilt after a
// late arrival or a re-decode) are what checking the whole conversation gives.
func TestChecksStored(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	base := at("09:00:00.000")
	types := map[string][]string{
		"livechat": {"incoming_chat", "incoming_event", "chat_deactivated", "thread_tagged", "chat_transferred", "event_updated"},
		"iadvize":  {"v2.conversation.pushed", "v2.conversation.closed", "satisfaction.answered", "visitor.updated"},
		"closer":   {"created", "message_sent", "closed", "reopened", "tag_change", "snoozed"},
	}
	status := map[string]string{"incoming_chat": "open", "chat_deactivated": "closed", "chat_transferred": "transferred",
		"v2.conversation.pushed": "assigned", "v2.conversation.closed": "closed", "created": "open", "closed": "closed",
		"reopened": "open", "snoozed": "snoozed"}
	var evs []backend.Decoded
	compare := func(step string) {
		t.Helper()
		for _, vendor := range []string{"livechat", "iadvize", "closer"} {
			tl, err := db.ConversationTimeline(ctx, vendor, "C-"+vendor, backend.TimelineFilter{})
			if backend.ErrorCode(err) == backend.ENOTFOUND {
				continue
			} else if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(tl.Items)
			rules.CheckTimeline(want)
			rules.CheckInactivity(tl.Conversation, want, time.Now()) // read time: it depends on the clock
			for i := range want {
				if got := tl.Items[i].Checks; fmt.Sprint(got) != fmt.Sprint(want[i].Checks) {
					t.Fatalf("%s: Checks(%s %s #%d) = %v; want %v", step, vendor, tl.Items[i].EventType, i, got, want[i].Checks)
				}
			}
		}
	}
	clock := base
	for i := range 240 {
		vendor := []string{"livechat", "iadvize", "closer"}[rng.IntN(3)]
		clock = clock.Add(time.Duration(rng.IntN(20)+1) * time.Second)
		received := clock
		occurred := received.Add(-time.Duration(rng.IntN(500)) * time.Millisecond)
		switch rng.IntN(12) {
		case 0:
			occurred = received.Add(-time.Duration(rng.IntN(600)) * time.Second) // late
		case 1:
			occurred = received.Add(time.Minute) // sender clock ahead
		}
		typ := types[vendor][rng.IntN(len(types[vendor]))]
		ev := backend.Event{Vendor: vendor, EventType: typ, DedupeKey: fmt.Sprintf("k%d", i), Summary: typ,
			Conversation: &backend.ConversationRef{ID: "C-" + vendor}, Status: status[typ]}
		if ev.Status != "" {
			ev.StatusOf = backend.StatusOfConversation
		}
		if vendor == "livechat" {
			ev.Conversation.ThreadID = []string{"T1", "T2", ""}[rng.IntN(3)]
		}
		if rng.IntN(3) > 0 || vendor != "livechat" {
			ev.OccurredAt = &occurred
		}
		if rng.IntN(10) == 0 && len(evs) > 0 { // a retry of an earlier event
			ev = evs[rng.IntN(len(evs))].Event
		}
		d := mustAdd(t, db, &backend.Delivery{Method: "POST", Path: "/" + vendor, Status: 200, ReceivedAt: received})
		seq, _ := db.SeqOf(ctx, d.ID)
		ev.DeliveryID = d.ID
		evs = append(evs, backend.Decoded{Seq: seq, Version: 1, Event: ev})
		if err := db.PutEvents(ctx, evs[len(evs)-1:], 1, seq); err != nil {
			t.Fatal(err)
		}
		compare(fmt.Sprintf("after delivery %d", i))
		if i%60 == 59 { // re-decode some events with other times, then keep appending
			for j := range evs {
				if rng.IntN(4) == 0 && evs[j].Event.OccurredAt != nil {
					moved := evs[j].Event.OccurredAt.Add(time.Duration(rng.IntN(120)-60) * time.Second)
					evs[j].Event.OccurredAt = &moved
					if err := db.PutEvents(ctx, evs[j:j+1], 1, evs[len(evs)-1].Seq); err != nil {
						t.Fatal(err)
					}
				}
			}
			compare(fmt.Sprintf("after re-decode at %d", i))
		}
	}
}

// TestEntities_Pruned checks that deleting deliveries (retention) takes their events back out of
// conversations and agents.
func TestEntities_Pruned(t *testing.T) {
	ctx := context.Background()
	want := newScene(t)
	sendIAdvize(t, want)
	sendCloser(t, want)

	s := newScene(t)
	sendLiveChat(t, s)
	sendIAdvize(t, s)
	sendCloser(t, s)
	keep, _ := want.db.CountDeliveries(ctx)
	if p, err := s.db.PruneOldest(ctx, backend.Retention{MaxDeliveries: keep}); err != nil || p.Deliveries != 14 {
		t.Fatalf("PruneOldest = %+v, %v; want the 14 LiveChat deliveries removed", p, err)
	}
	if got, w := snapshot(t, s.db), snapshot(t, want.db); got != w {
		t.Errorf("entities after pruning =\n%s\nwant\n%s", got, w)
	}
	if _, err := s.db.AgentTimeline(ctx, "livechat", "smith@example.com", backend.TimelineFilter{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("AgentTimeline(smith) after pruning = %v; want not_found", err)
	}
}
