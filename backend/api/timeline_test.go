package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/sqlite/sqlitetest"
)

// newTimelineHarness is newHarness with conversations and agents served.
func newTimelineHarness(tb testing.TB) *harness {
	tb.Helper()
	env := sqlitetest.Open(tb)
	db, reg, dec := env.DB, env.Registry, env.Decoder
	s := &api.Server{Store: db, Registry: reg, Settings: env.Settings, Timelines: db, Version: "test"}
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	s.Guard = &api.Guard{Token: token, Hosts: api.LoopbackHosts(srv.Listener.Addr().String())}
	srv.Config.Handler = s.Handler()
	tb.Cleanup(func() { srv.Close() })
	return &harness{db: db, decoder: dec, srv: srv}
}

// addAt captures body on path as received at at.
func (h *harness) addAt(tb testing.TB, path string, at time.Time, body string) string {
	tb.Helper()
	d := &backend.Delivery{Method: "POST", Path: path, Body: []byte(body), Size: int64(len(body)), Status: 200,
		ReceivedAt: at, Headers: backend.Headers{{Name: "Content-Type", Value: "application/json"}}}
	if err := h.db.AddDelivery(context.Background(), d); err != nil {
		tb.Fatal(err)
	}
	return d.ID
}

func (h *harness) getJSON(tb testing.TB, path string, v any) int {
	tb.Helper()
	resp, body := h.do(tb, "GET", path, "")
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("GET %s = %d %s: %v", path, resp.StatusCode, body, err)
	}
	return resp.StatusCode
}

type timelineBody struct {
	Conversation map[string]any   `json:"conversation"`
	Agent        map[string]any   `json:"agent"`
	Items        []map[string]any `json:"items"`
	Total        int              `json:"total"`
	Next         string           `json:"next_cursor"`
}

func codes(it map[string]any) string {
	var out []string
	for _, c := range it["checks"].([]any) {
		out = append(out, c.(map[string]any)["code"].(string))
	}
	return strings.Join(out, ",")
}

func lcBody(action, payload string) string {
	return fmt.Sprintf(`{"webhook_id":"w1","secret_key":"s","action":%q,"organization_id":"org-1","payload":%s}`, action, payload)
}

func TestConversationsAndAgents(t *testing.T) {
	h := newTimelineHarness(t)
	base := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	iso := func(d time.Duration) string { return base.Add(d).Format(time.RFC3339Nano) }
	h.addAt(t, "/livechat", base.Add(time.Second), lcBody("incoming_chat", fmt.Sprintf(`{"chat":{"id":"PJ0MRSHTDG",
		"users":[{"id":"b7eff798-f8df-4364-8059-649c35c9ed0c","type":"customer","name":"Jane Doe"},
		{"id":"smith@example.com","type":"agent","name":"Agent Smith"}],
		"thread":{"id":"K600PKZON8","events":[],"created_at":%q}}}`, iso(0))))
	msg := h.addAt(t, "/livechat", base.Add(11*time.Second), lcBody("incoming_event", fmt.Sprintf(`{"chat_id":"PJ0MRSHTDG",
		"thread_id":"K600PKZON8","event":{"id":"K600PKZON8_2","type":"message","text":"Hello",
		"author_id":"smith@example.com","created_at":%q}}`, iso(10*time.Second))))
	transfer := h.addAt(t, "/livechat", base.Add(20*time.Second), lcBody("chat_transferred", `{"chat_id":"PJ0MRSHTDG",
		"thread_id":"K600PKZON8","requester_id":"smith@example.com","reason":"manual","transferred_to":{"agent_ids":["jones@example.com"]}}`))
	h.addAt(t, "/livechat", base.Add(31*time.Second), lcBody("incoming_event", fmt.Sprintf(`{"chat_id":"PJ0MRSHTDG",
		"thread_id":"K600PKZON8","event":{"id":"K600PKZON8_4","type":"message","text":"Jones here",
		"author_id":"jones@example.com","created_at":%q}}`, iso(30*time.Second))))
	late := h.addAt(t, "/livechat", base.Add(5*time.Minute), lcBody("incoming_event", fmt.Sprintf(`{"chat_id":"PJ0MRSHTDG",
		"thread_id":"K600PKZON8","event":{"id":"K600PKZON8_3","type":"message","text":"Still there?",
		"author_id":"b7eff798-f8df-4364-8059-649c35c9ed0c","created_at":%q}}`, iso(15*time.Second))))
	h.addAt(t, "/livechat", base.Add(6*time.Minute), lcBody("chat_deactivated",
		`{"chat_id":"PJ0MRSHTDG","thread_id":"K600PKZON8","user_id":"jones@example.com"}`))
	h.addAt(t, "/iadvize", base.Add(time.Minute), fmt.Sprintf(`{"eventId":"e-1","eventType":"v2.conversation.closed","platform":"sd",
		"clientId":3,"conversationId":"c-1","operatorIds":[7],"createdAt":%q,"sentAt":%q}`, iso(time.Minute), iso(time.Minute)))
	h.decoded(t)

	var list struct {
		Items []map[string]any `json:"items"`
		Next  string           `json:"next_cursor"`
	}
	if st := h.getJSON(t, "/api/v1/conversations", &list); st != 200 || len(list.Items) != 2 {
		t.Fatalf("GET /conversations = %d, %v", st, list.Items)
	}
	c := list.Items[0]
	for k, want := range map[string]any{"vendor": "livechat", "external_id": "PJ0MRSHTDG", "status": "closed",
		"event_count": 6.0, "organization": "org-1", "first_at": "2026-03-02T12:00:00.000000Z", "last_at": "2026-03-02T12:06:00.000000Z",
		"threads": []any{"K600PKZON8"}} {
		if fmt.Sprint(c[k]) != fmt.Sprint(want) {
			t.Errorf("conversation %s = %v; want %v", k, c[k], want)
		}
	}
	if p := fmt.Sprint(c["participants"]); !strings.Contains(p, "jones@example.com") || !strings.Contains(p, "transferred_to") ||
		!strings.Contains(p, "Jane Doe") || !strings.Contains(c["last_summary"].(string), "closed") {
		t.Errorf("participants %s, last summary %q", p, c["last_summary"])
	}
	for q, want := range map[string]int{"?vendor=iadvize": 1, "?status=closed&vendor=livechat": 1, "?agent=jones@example.com": 1,
		"?q=jane": 1, "?q=vendor:livechat+status:open": 0, "?limit=1": 1} {
		h.getJSON(t, "/api/v1/conversations"+q, &list)
		if len(list.Items) != want {
			t.Errorf("GET /conversations%s = %d items; want %d", q, len(list.Items), want)
		}
	}
	h.getJSON(t, "/api/v1/conversations?limit=1", &list)
	h.getJSON(t, "/api/v1/conversations?limit=1&cursor="+list.Next, &list)
	if len(list.Items) != 1 || list.Items[0]["vendor"] != "iadvize" || list.Next != "" {
		t.Errorf("second page = %v, %q; want the iAdvize conversation and no cursor", list.Items, list.Next)
	}

	var tl timelineBody
	if st := h.getJSON(t, "/api/v1/conversations/livechat/PJ0MRSHTDG/timeline", &tl); st != 200 || len(tl.Items) != 6 || tl.Total != 6 {
		t.Fatalf("timeline = %d, %d items, total %d", st, len(tl.Items), tl.Total)
	}
	var order []string
	for _, it := range tl.Items {
		order = append(order, it["event_type"].(string)+"/"+codes(it))
	}
	if got, want := strings.Join(order, " "), "incoming_chat/ incoming_event/ incoming_event/out_of_order,delivery_delay chat_transferred/ incoming_event/ chat_deactivated/"; got != want {
		t.Errorf("timeline = %s; want %s", got, want)
	}
	if it := tl.Items[2]; it["delivery_id"] != late || it["occurred_at"] != "2026-03-02T12:00:15.000000Z" ||
		it["received_at"] != "2026-03-02T12:05:00.000000Z" || it["thread_id"] != "K600PKZON8" {
		t.Errorf("late item = %v", it)
	}
	for _, k := range []string{"delivery_id", "event_type", "occurred_at", "received_at", "summary", "actors", "thread_id",
		"verification", "flag_count", "duplicate_of", "checks", "conversation"} {
		if _, ok := tl.Items[0][k]; !ok {
			t.Errorf("timeline item has no %q: %v", k, tl.Items[0])
		}
	}
	h.getJSON(t, "/api/v1/conversations/livechat/PJ0MRSHTDG/timeline?limit=2", &tl)
	if len(tl.Items) != 2 || tl.Next == "" || tl.Total != 6 {
		t.Fatalf("first window = %d items, next %q, total %d", len(tl.Items), tl.Next, tl.Total)
	}
	h.getJSON(t, "/api/v1/conversations/livechat/PJ0MRSHTDG/timeline?limit=2&cursor="+tl.Next, &tl)
	if len(tl.Items) != 2 || codes(tl.Items[0]) != "out_of_order,delivery_delay" {
		t.Errorf("second window = %v; want the late message first, with its checks", tl.Items)
	}

	var agents struct {
		Items []map[string]any `json:"items"`
	}
	h.getJSON(t, "/api/v1/agents?vendor=livechat", &agents)
	if len(agents.Items) != 2 {
		t.Fatalf("GET /agents?vendor=livechat = %v; want smith and jones", agents.Items)
	}
	if a := agents.Items[0]; a["external_id"] != "jones@example.com" || a["conversation_count"] != 1.0 || a["event_count"] != 3.0 || a["kind"] != "agent" {
		t.Errorf("agents[0] = %v; want jones, latest activity first, 1 conversation, 3 events", a)
	}
	h.getJSON(t, "/api/v1/agents/livechat/smith@example.com/timeline", &tl)
	if tl.Agent["name"] != "Agent Smith" || len(tl.Items) != 3 || tl.Items[1]["delivery_id"] != msg || tl.Items[2]["delivery_id"] != transfer {
		t.Fatalf("smith's timeline = %v, %v", tl.Agent, tl.Items)
	}
	if conv, _ := tl.Items[2]["conversation"].(map[string]any); conv["id"] != "PJ0MRSHTDG" || tl.Items[2]["vendor"] != "livechat" {
		t.Errorf("agent item conversation = %v; want a link to PJ0MRSHTDG", tl.Items[2]["conversation"])
	}

	for path, status := range map[string]int{
		"/api/v1/conversations/livechat/NOPE/timeline":                   404,
		"/api/v1/agents/iadvize/8/timeline":                              404,
		"/api/v1/conversations?limit=0":                                  400,
		"/api/v1/conversations?cursor=%21":                               400,
		"/api/v1/conversations?q=has:nothing":                            400,
		"/api/v1/conversations/livechat/PJ0MRSHTDG/timeline?limit=10001": 400,
		"/api/v1/agents/livechat/smith@example.com/timeline?cursor=x":    400,
		"/api/v1/agents?limit=1001":                                      400,
	} {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if st := h.getJSON(t, path, &e); st != status || e.Error.Message == "" {
			t.Errorf("GET %s = %d %+v; want %d with a message", path, st, e, status)
		}
	}
}
