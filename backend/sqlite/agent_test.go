package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"hooklens/backend"
)

const (
	iaConv    = "4c8c7408-f73c-42cd-89e9-afbbee7d9024"
	iaVisitor = "b05f1b45-c891-4a9c-b47e-91ee6c8ffb44"
)

// ia builds an iAdvize v2 event body with the common fields and extra fields.
func ia(eventID, eventType, created, sent, extra string) string {
	return fmt.Sprintf(`{"eventId":%q,"eventType":%q,"platform":"sd","clientId":335,"projectId":1,%s,`+
		`"createdAt":%q,"sentAt":%q}`, eventID, eventType, extra, created, sent)
}

func iaHeaders(delivery, correlation string) []backend.Header {
	return []backend.Header{{Name: "X-iAdvize-Delivery", Value: delivery}, {Name: "X-iAdvize-CorrelationId", Value: correlation}}
}

// sendIAdvize plays a conversation pushed to operator 101, transferred to 202 (whose push
// arrives after the close), closed (and retried), then rated twice, the second answer late.
func sendIAdvize(tb testing.TB, s *scene) {
	tb.Helper()
	ms := func(clock string) string { return at(clock).Format("2006-01-02T15:04:05.000Z") }
	conv := fmt.Sprintf(`"conversationId":%q,"channel":"CHAT","visitorId":%q`, iaConv, iaVisitor)
	s.send(tb, "login-202", "/iadvize", at("09:55:00.400"), ia("e0000000-0000-4000-8000-000000000001", "user.connected",
		ms("09:55:00.000"), ms("09:55:00.200"), `"userId":202`), iaHeaders("d-1", "c-1")...)
	s.send(tb, "push-101", "/iadvize", at("10:00:00.500"), ia("e0000000-0000-4000-8000-000000000002", "v2.conversation.pushed",
		ms("10:00:00.000"), ms("10:00:00.300"), conv+`,"operatorId":101`), iaHeaders("d-2", "c-2")...)
	closed := ia("e0000000-0000-4000-8000-000000000003", "v2.conversation.closed", ms("10:05:20.000"), ms("10:05:20.200"),
		conv+`,"operatorIds":[101,202]`)
	s.send(tb, "close", "/iadvize", at("10:05:20.400"), closed, iaHeaders("d-3", "c-3")...)
	s.send(tb, "close-retry", "/iadvize", at("10:05:30.400"), closed, iaHeaders("d-4", "c-3")...)
	s.send(tb, "push-202", "/iadvize", at("10:05:40.000"), ia("e0000000-0000-4000-8000-000000000004", "v2.conversation.pushed",
		ms("10:05:00.000"), ms("10:05:00.300"), conv+`,"operatorId":202`), iaHeaders("d-5", "c-4")...)
	s.send(tb, "csat", "/iadvize", at("10:05:45.300"), ia("e0000000-0000-4000-8000-000000000005", "satisfaction.answered",
		ms("10:05:45.000"), ms("10:05:45.100"), fmt.Sprintf(`"conversationId":%q,"customerSatisfaction":4`, iaConv)), iaHeaders("d-6", "c-5")...)
	s.send(tb, "comment", "/iadvize", at("10:08:00.000"), ia("e0000000-0000-4000-8000-000000000006", "satisfaction.answered",
		ms("10:06:00.000"), ms("10:06:00.100"), fmt.Sprintf(`"conversationId":%q,"satisfactionComment":"Quick and helpful"`, iaConv)), iaHeaders("d-7", "c-6")...)
	s.send(tb, "away-101", "/iadvize", at("10:10:00.300"), ia("e0000000-0000-4000-8000-000000000007", "user.availability.updated",
		ms("10:10:00.000"), ms("10:10:00.100"), `"userId":101,"origin":"desk","availabilities":[{"channel":"CHAT","status":"UNAVAILABLE"}]`), iaHeaders("d-8", "c-7")...)
	s.decode(tb)
}

func TestIAdvizeConversation(t *testing.T) {
	s := newScene(t)
	sendIAdvize(t, s)
	tl := mustTimeline(t, s.db, "iadvize", iaConv, backend.TimelineFilter{})
	c := tl.Conversation
	if c.Status != "closed" || c.EventCount != 5 || tl.Total != 6 || c.Organization != "335" || len(c.Threads) != 0 {
		t.Errorf("Conversation = %+v, %d items; want closed, 5 events, 6 items, client 335, no threads", c, tl.Total)
	}
	if got, want := roles(c), map[string]string{
		"101": "agent:assignee,participant", "202": "agent:assignee,participant", iaVisitor: "customer:participant,requester",
	}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Participants = %v; want %v", got, want)
	}
	if got, want := s.order(tl.Items), []string{"push-101", "push-202", "close", "close-retry", "csat", "comment"}; !slices.Equal(got, want) {
		t.Errorf("order = %v; want %v", got, want)
	}
	s.checkChecks(t, tl, map[string][]string{
		"push-202":    {"out_of_order", "retry_only"}, // received 40 s late: iAdvize's third attempt
		"close-retry": {"duplicate"},
		"comment":     {"delivery_delay"},
	})

	ctx := context.Background()
	agents, next, err := s.db.FindAgents(ctx, backend.AgentFilter{})
	if err != nil || next != "" || len(agents) != 2 {
		t.Fatalf("FindAgents() = %d agents, %q, %v; want 2", len(agents), next, err)
	}
	if a := agents[0]; a.ExternalID != "101" || a.Status != "unavailable" || a.ConversationCount != 1 || a.EventCount != 3 {
		t.Errorf("agents[0] = %+v; want 101, unavailable, 1 conversation, 3 events (latest activity first)", a)
	}
	if a := agents[1]; a.ExternalID != "202" || a.Status != "connected" || a.ConversationCount != 1 || a.EventCount != 3 {
		t.Errorf("agents[1] = %+v; want 202, connected, 1 conversation, 3 events", a)
	}
	op := mustAgentTimeline(t, s.db, "iadvize", "202", backend.TimelineFilter{})
	if got, want := s.order(op.Items), []string{"login-202", "push-202", "close", "close-retry"}; !slices.Equal(got, want) {
		t.Errorf("202's timeline = %v; want %v", got, want)
	}
	s.checkChecks(t, op, map[string][]string{"push-202": {"out_of_order", "retry_only"}, "close-retry": {"duplicate"}})
	if op.Items[0].Conversation != "" || op.Items[1].Conversation != iaConv {
		t.Errorf("202's items conversations = %q, %q; want \"\", %s", op.Items[0].Conversation, op.Items[1].Conversation, iaConv)
	}
	for _, tt := range []struct {
		f    backend.AgentFilter
		want []string
	}{
		{backend.AgentFilter{Status: "connected"}, []string{"202"}},
		{backend.AgentFilter{Vendor: "livechat"}, nil},
		{backend.AgentFilter{Query: "conv:" + iaConv}, []string{"101", "202"}},
		{backend.AgentFilter{Query: "type:user.connected"}, []string{"202"}},
		{backend.AgentFilter{Query: "10"}, []string{"101"}},
		{backend.AgentFilter{Limit: 1}, []string{"101"}},
	} {
		list, _, err := s.db.FindAgents(ctx, tt.f)
		var got []string
		for _, a := range list {
			got = append(got, a.ExternalID)
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("FindAgents(%+v) = %v, %v; want %v", tt.f, got, err, tt.want)
		}
	}
	page, next, _ := s.db.FindAgents(ctx, backend.AgentFilter{Limit: 1})
	rest, last, err := s.db.FindAgents(ctx, backend.AgentFilter{Limit: 1, Cursor: next})
	if len(page) != 1 || len(rest) != 1 || rest[0].ExternalID != "202" || last != "" || err != nil {
		t.Errorf("FindAgents second page = %v, %q, %v; want [202] and no cursor", rest, last, err)
	}
	if _, _, err := s.db.FindAgents(ctx, backend.AgentFilter{Cursor: "zz"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("FindAgents(bad cursor) = %v; want invalid", err)
	}
	if _, err := s.db.AgentTimeline(ctx, "iadvize", "999", backend.TimelineFilter{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("AgentTimeline(999) = %v; want not_found", err)
	}
}

// TestIAdvizeAgentName: an operator's name captured by a user.updated delivery names the agent,
// and later deliveries that carry only the id (or an empty name) keep it.
func TestIAdvizeAgentName(t *testing.T) {
	s := newScene(t)
	ms := func(clock string) string { return at(clock).Format("2006-01-02T15:04:05.000Z") }
	conv := fmt.Sprintf(`"conversationId":%q,"channel":"CHAT","visitorId":%q`, iaConv, iaVisitor)
	s.send(t, "login", "/iadvize", at("09:00:00.300"), ia("e1000000-0000-4000-8000-000000000001", "user.connected",
		ms("09:00:00.000"), ms("09:00:00.100"), `"userId":303`), iaHeaders("d-1", "c-1")...)
	s.send(t, "named", "/iadvize", at("09:01:00.300"), ia("e1000000-0000-4000-8000-000000000002", "user.updated",
		ms("09:01:00.000"), ms("09:01:00.100"), `"userId":303,"firstName":"Alice","lastName":"Martin","email":"alice@example.com"`), iaHeaders("d-2", "c-2")...)
	s.send(t, "push", "/iadvize", at("09:02:00.300"), ia("e1000000-0000-4000-8000-000000000003", "v2.conversation.pushed",
		ms("09:02:00.000"), ms("09:02:00.100"), conv+`,"operatorId":303`), iaHeaders("d-3", "c-3")...)
	s.send(t, "unnamed", "/iadvize", at("09:03:00.300"), ia("e1000000-0000-4000-8000-000000000004", "user.updated",
		ms("09:03:00.000"), ms("09:03:00.100"), `"userId":303,"name":""`), iaHeaders("d-4", "c-4")...)
	s.decode(t)

	agents, _, err := s.db.FindAgents(context.Background(), backend.AgentFilter{})
	if err != nil || len(agents) != 1 {
		t.Fatalf("FindAgents() = %d agents, %v; want 1", len(agents), err)
	}
	if a := agents[0]; a.ExternalID != "303" || a.Name != "Alice Martin" || a.Email != "alice@example.com" {
		t.Errorf("agent = %q %q %q; want 303 named Alice Martin, alice@example.com", a.ExternalID, a.Name, a.Email)
	}
	list, _, err := s.db.FindAgents(context.Background(), backend.AgentFilter{Query: "alice"})
	if err != nil || len(list) != 1 {
		t.Errorf("FindAgents(alice) = %d agents, %v; want the agent found by its name", len(list), err)
	}
	// A participant whose events carry only its id gets the agent's best known name.
	tl := mustTimeline(t, s.db, "iadvize", iaConv, backend.TimelineFilter{})
	named := false
	for _, p := range tl.Conversation.Participants {
		if p.ID == "303" {
			named = p.Name == "Alice Martin" && p.Email == "alice@example.com"
		}
	}
	if !named {
		t.Errorf("Participants = %+v; want 303 named Alice Martin, alice@example.com", tl.Conversation.Participants)
	}
}
