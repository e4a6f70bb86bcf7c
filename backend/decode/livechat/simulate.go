package livechat

import (
	"encoding/json"
	"time"

	"hooklens/backend/simulate/scenario"
)

// Scenarios returns the conversations the simulator can send as LiveChat would.
func (vendor) Scenarios() []scenario.Scenario {
	return []scenario.Scenario{
		{Name: scenario.Conversation, Make: livechatConversation,
			Description: "A customer chats, an agent answers, transfers the chat to a colleague who tags and closes it; the first agent's routing status around it."},
		{Name: scenario.Agent, Make: livechatAgent,
			Description: "An agent starts accepting chats, then stops."},
	}
}

// LiveChat sends no signature: the registration's secret_key comes back in every body.
const livechatPath = "/" + Name

func lcTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// livechatEnvelope wraps a payload the way LiveChat does.
type livechatEnvelope struct {
	webhookID, secret, org string
}

func livechatEnv(g *scenario.Gen) livechatEnvelope {
	secret := g.Secret
	if secret == "" {
		secret = "simulated-no-secret"
	}
	return livechatEnvelope{webhookID: g.Hex(32), secret: secret, org: g.UUID()}
}

func (e livechatEnvelope) request(action string, payload any, presence []string) scenario.Request {
	body := scenario.O{"webhook_id", e.webhookID, "secret_key", e.secret, "action", action, "organization_id", e.org,
		"payload", payload, "additional_data", scenario.O{"chat_properties", scenario.O{}, "chat_presence_user_ids", presence}}
	return scenario.JSON(Name, action, livechatPath, body)
}

func livechatConversation(g *scenario.Gen) []scenario.Request {
	const n = 9
	env := livechatEnv(g)
	chat, thread := g.Code(10), g.Code(10)
	customer, agent, colleague := g.UUID(), "anna.kowalska@example.com", "marc.dupont@example.com"
	event := func(i, seq int, author, text string) scenario.O {
		return scenario.O{"id", thread + "_" + itoa(seq), "custom_id", g.Hex(8), "type", "message", "text", text,
			"author_id", author, "created_at", lcTime(g.At(i, n)), "visibility", "all", "properties", scenario.O{}}
	}
	users := []any{
		scenario.O{"id", customer, "type", "customer", "name", "Jane Doe", "email", "jane.doe@example.com", "present", true,
			"events_seen_up_to", lcTime(g.At(1, n)), "created_at", lcTime(g.At(0, n)), "email_verified", false,
			"statistics", scenario.O{"chats_count", 1, "threads_count", 1, "visits_count", 2, "page_views_count", 5},
			"visit", scenario.O{"ip", "203.0.113.7", "user_agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
				"geolocation", scenario.O{"country", "France", "country_code", "FR", "city", "Nantes", "timezone", "Europe/Paris"},
				"started_at", lcTime(g.At(0, n)), "last_pages", []any{scenario.O{"opened_at", lcTime(g.At(0, n)),
					"url", "https://shop.example.com/orders/1234", "title", "Your order"}}}},
		scenario.O{"id", agent, "type", "agent", "name", "Anna Kowalska", "email", agent, "present", true,
			"events_seen_up_to", lcTime(g.At(1, n)), "routing_status", "accepting chats", "visibility", "all"},
	}
	present := []string{customer, agent}
	return []scenario.Request{
		env.request("routing_status_set", scenario.O{"agent_id", agent, "status", "accepting chats"}, []string{}),
		env.request("incoming_chat", scenario.O{"chat", scenario.O{"id", chat, "users", users,
			"properties", scenario.O{"routing", scenario.O{"continuous", false, "pinned", false}, "source", scenario.O{"client_id", g.Hex(32)}},
			"access", scenario.O{"group_ids", []int{0}},
			"thread", scenario.O{"id", thread, "active", true, "user_ids", present,
				"events", []any{event(1, 1, customer, "Hello, my order #1234 still says processing. Can you check?")},
				"properties", scenario.O{"routing", scenario.O{"idle", false, "unassigned", false, "start_url", "https://shop.example.com/orders/1234"}},
				"access", scenario.O{"group_ids", []int{0}}, "tags", []string{}, "created_at", lcTime(g.At(1, n))}}}, present),
		env.request("incoming_event", scenario.O{"chat_id", chat, "thread_id", thread,
			"event", event(2, 2, customer, "It was supposed to arrive yesterday.")}, present),
		env.request("incoming_event", scenario.O{"chat_id", chat, "thread_id", thread,
			"event", event(3, 3, agent, "Let me check that for you. I am passing you to our shipping team.")}, present),
		env.request("chat_transferred", scenario.O{"chat_id", chat, "thread_id", thread, "requester_id", agent, "reason", "manual",
			"transferred_to", scenario.O{"agent_ids", []string{colleague}}}, []string{customer, colleague}),
		env.request("incoming_event", scenario.O{"chat_id", chat, "thread_id", thread,
			"event", event(5, 4, colleague, "Your parcel left our warehouse this morning; you will get it tomorrow.")}, []string{customer, colleague}),
		env.request("thread_tagged", scenario.O{"chat_id", chat, "thread_id", thread, "tag", "shipping"}, []string{customer, colleague}),
		env.request("chat_deactivated", scenario.O{"chat_id", chat, "thread_id", thread, "user_id", colleague}, []string{}),
		env.request("routing_status_set", scenario.O{"agent_id", agent, "status", "not accepting chats"}, []string{}),
	}
}

func livechatAgent(g *scenario.Gen) []scenario.Request {
	env := livechatEnv(g)
	agent := "anna.kowalska@example.com"
	return []scenario.Request{
		env.request("routing_status_set", scenario.O{"agent_id", agent, "status", "accepting chats"}, []string{}),
		env.request("routing_status_set", scenario.O{"agent_id", agent, "status", "not accepting chats"}, []string{}),
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// AsVersion rewrites a simulated request as API version v sends it (simulate.Versioned): the
// action under v's name, the fields v lacks left out, renamed fields under v's names.
func (vendor) AsVersion(r scenario.Request, v string) (scenario.Request, bool) {
	var doc map[string]any
	if err := json.Unmarshal(r.Delivery.Body, &doc); err != nil {
		return r, false
	}
	name, _, ok := catalog.AsVersion(r.EventType, doc, v)
	if !ok {
		return r, false
	}
	doc["action"] = name
	b, err := json.Marshal(doc)
	if err != nil {
		return r, false
	}
	r.EventType, r.Delivery.Body, r.Delivery.Size = name, b, int64(len(b))
	return r, true
}
