package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"hooklens/backend"
)

const (
	lcOrg   = "390e44e6-f1e6-4368-a6dd-74a14508c2e1"
	lcChat  = "PJ0MRSHTDG"
	lcT1    = "K600PKZON8"
	lcT2    = "K600PKZOO1"
	lcJane  = "b7eff798-f8df-4364-8059-649c35c9ed0c"
	lcOther = "QX9ZZ1ABCD"
)

// lc wraps a LiveChat payload in the webhook envelope.
func lc(action, payload string) string {
	return fmt.Sprintf(`{"webhook_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90","secret_key":"s3cr3t","action":%q,`+
		`"organization_id":%q,"payload":%s,"additional_data":{}}`, action, lcOrg, payload)
}

func lcIncomingChat(thread, created, agent, name, text string) string {
	return lc("incoming_chat", fmt.Sprintf(`{"chat":{"id":%q,"users":[`+
		`{"id":%q,"type":"customer","name":"Jane Doe","email":"jane.doe@example.com"},`+
		`{"id":%q,"type":"agent","name":%q,"email":%q,"routing_status":"accepting chats"}],`+
		`"access":{"group_ids":[0]},"thread":{"id":%q,"active":true,"user_ids":[%q,%q],`+
		`"events":[{"id":"%s_1","type":"message","text":%q,"author_id":%q,"created_at":%q,"visibility":"all"}],`+
		`"created_at":%q}}}`, lcChat, lcJane, agent, name, agent, thread, lcJane, agent, thread, text, lcJane, created, created))
}

func lcMessage(thread, id, author, created, text string) string {
	return lc("incoming_event", fmt.Sprintf(`{"chat_id":%q,"thread_id":%q,"event":{"id":%q,"type":"message",`+
		`"text":%q,"author_id":%q,"created_at":%q,"visibility":"all"}}`, lcChat, thread, id, text, author, created))
}

// sendLiveChat plays a chat with Jane: Smith answers, transfers to Jones, Jones closes; a
// message arrives in the closed thread, a late one arrives last; Jane comes back in a new thread.
// Another chat is only ever seen closing.
func sendLiveChat(tb testing.TB, s *scene) {
	tb.Helper()
	s.send(tb, "status", "/livechat", at("11:59:00.000"), lc("routing_status_set",
		`{"agent_id":"smith@example.com","status":"accepting chats"}`))
	s.send(tb, "start", "/livechat", at("12:01:09.400"), lcIncomingChat(lcT1, iso("12:01:09.000"), "smith@example.com", "Agent Smith", "Hi, where is my order?"))
	s.send(tb, "jane1", "/livechat", at("12:01:19.200"), lcMessage(lcT1, lcT1+"_2", lcJane, iso("12:01:18.909"), "Order 1234 still says processing"))
	smith := lcMessage(lcT1, lcT1+"_3", "smith@example.com", iso("12:01:30.000"), "Let me check with shipping")
	s.send(tb, "smith1", "/livechat", at("12:01:30.300"), smith)
	s.send(tb, "smith1-retry", "/livechat", at("12:01:45.300"), smith)
	s.send(tb, "transfer", "/livechat", at("12:02:00.000"), lc("chat_transferred", fmt.Sprintf(
		`{"chat_id":%q,"thread_id":%q,"requester_id":"smith@example.com","reason":"manual",`+
			`"transferred_to":{"agent_ids":["jones@example.com"]}}`, lcChat, lcT1)))
	s.send(tb, "jones1", "/livechat", at("12:02:10.200"), lcMessage(lcT1, lcT1+"_4", "jones@example.com", iso("12:02:10.000"), "Shipping says it left today"))
	s.send(tb, "close", "/livechat", at("12:03:00.000"), lc("chat_deactivated", fmt.Sprintf(
		`{"chat_id":%q,"thread_id":%q,"user_id":"jones@example.com"}`, lcChat, lcT1)))
	s.send(tb, "tag", "/livechat", at("12:03:05.000"), lc("thread_tagged", fmt.Sprintf(
		`{"chat_id":%q,"thread_id":%q,"tag":"shipping"}`, lcChat, lcT1)))
	s.send(tb, "jane-late", "/livechat", at("12:03:20.300"), lcMessage(lcT1, lcT1+"_6", lcJane, iso("12:03:20.000"), "Thanks!"))
	s.send(tb, "smith-delayed", "/livechat", at("12:05:00.000"), lcMessage(lcT1, lcT1+"_5", "smith@example.com", iso("12:02:40.000"), "Handing over to Jones"))
	s.send(tb, "restart", "/livechat", at("12:30:00.300"), lcIncomingChat(lcT2, iso("12:30:00.000"), "jones@example.com", "Agent Jones", "Me again"))
	s.send(tb, "jane2", "/livechat", at("12:30:05.300"), lcMessage(lcT2, lcT2+"_2", lcJane, iso("12:30:05.000"), "It arrived, thanks"))
	s.send(tb, "orphan-close", "/livechat", at("12:40:00.000"), lc("chat_deactivated",
		`{"chat_id":"QX9ZZ1ABCD","thread_id":"QX9T000001","user_id":"smith@example.com"}`))
	s.decode(tb)
}

func TestLiveChatConversation(t *testing.T) {
	s := newScene(t)
	sendLiveChat(t, s)
	tl := mustTimeline(t, s.db, "livechat", lcChat, backend.TimelineFilter{})
	c := tl.Conversation
	if c.Status != "open" || c.EventCount != 11 || tl.Total != 12 || c.Organization != lcOrg {
		t.Errorf("Conversation = status %q, %d events, %d items, org %q; want open, 11, 12, %s",
			c.Status, c.EventCount, tl.Total, c.Organization, lcOrg)
	}
	if !slices.Equal(c.Threads, []string{lcT1, lcT2}) {
		t.Errorf("Threads = %v; want [%s %s]", c.Threads, lcT1, lcT2)
	}
	if !c.FirstAt.Equal(at("12:01:09.000")) || !c.LastAt.Equal(at("12:30:05.000")) {
		t.Errorf("FirstAt, LastAt = %v, %v", c.FirstAt, c.LastAt)
	}
	if got, want := roles(c), map[string]string{
		lcJane:              "customer:author,requester",
		"smith@example.com": "agent:assignee,author,requester",
		"jones@example.com": "agent:assignee,author,transferred_to",
	}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Participants = %v; want %v", got, want)
	}
	if p := c.Participants; p[0].Name != "Jane Doe" || p[1].Name != "Agent Smith" || p[2].Name != "Agent Jones" {
		t.Errorf("Participants = %+v; want Jane Doe, Agent Smith, Agent Jones in the order they appeared", p)
	}
	want := []string{"start", "jane1", "smith1", "smith1-retry", "transfer", "jones1", "smith-delayed", "close", "tag",
		"jane-late", "restart", "jane2"}
	if got := s.order(tl.Items); !slices.Equal(got, want) {
		t.Errorf("order = %v; want %v", got, want)
	}
	s.checkChecks(t, tl, map[string][]string{
		"smith1-retry":  {"duplicate"},
		"smith-delayed": {"out_of_order", "delivery_delay"},
		"jane-late":     {"after_close"},
		"jane2":         {"no_close"}, // the restarted thread was never closed, years ago
	})
	if it := tl.Items[3]; it.DuplicateOf != s.ids["smith1"] {
		t.Errorf("retry DuplicateOf = %q; want %q", it.DuplicateOf, s.ids["smith1"])
	}
	if it := tl.Items[6]; !strings.Contains(fmt.Sprint(it.Checks), "2m20s") {
		t.Errorf("delay reason = %+v; want the delay (2m20s) and the window", it.Checks)
	}
	orphan := mustTimeline(t, s.db, "livechat", lcOther, backend.TimelineFilter{})
	s.checkChecks(t, orphan, map[string][]string{"orphan-close": {"close_without_start"}})
	if orphan.Conversation.Status != "closed" {
		t.Errorf("orphan status = %q; want closed", orphan.Conversation.Status)
	}

	ctx := context.Background()
	smith := mustAgentTimeline(t, s.db, "livechat", "smith@example.com", backend.TimelineFilter{})
	if a := smith.Agent; a.Status != "accepting chats" || a.ConversationCount != 2 || a.EventCount != 6 || a.Name != "Agent Smith" {
		t.Errorf("Agent(smith) = %+v; want accepting chats, 2 conversations, 6 events, named", a)
	}
	if got, want := s.order(smith.Items), []string{"status", "start", "smith1", "smith1-retry", "transfer", "smith-delayed", "orphan-close"}; !slices.Equal(got, want) {
		t.Errorf("smith's timeline = %v; want %v", got, want)
	}
	s.checkChecks(t, smith, map[string][]string{"smith1-retry": {"duplicate"}, "smith-delayed": {"out_of_order", "delivery_delay"},
		"orphan-close": {"close_without_start"}})
	if it := smith.Items[4]; it.Conversation != lcChat || it.EventType != "chat_transferred" {
		t.Errorf("smith's transfer item = %+v; want chat_transferred in %s", it, lcChat)
	}
	for q, want := range map[string][]string{
		"":                        {lcOther, lcChat},
		"status:open":             {lcChat},
		"agent:jones@example.com": {lcChat},
		"jane.doe":                {lcChat},
		"QX9":                     {lcOther},
		"type:thread_tagged":      {lcChat},
		"vendor:iadvize":          nil,
		`"handing over"`:          nil,
		"thanks":                  {lcChat},
	} {
		list, _, err := s.db.FindConversations(ctx, backend.ConversationFilter{Query: q})
		var got []string
		for _, c := range list {
			got = append(got, c.ExternalID)
		}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("FindConversations(q=%q) = %v, %v; want %v", q, got, err, want)
		}
	}
}
