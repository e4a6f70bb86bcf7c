package simulate

import (
	"time"

	"hooklens/backend"
)

// LiveChat sends no signature: the registration's secret_key comes back in every body.
const livechatPath = "/livechat"

func lcTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// livechatEnvelope wraps a payload the way LiveChat does.
type livechatEnvelope struct {
	webhookID, secret, org string
}

func (g *gen) livechat() livechatEnvelope {
	secret := g.secret
	if secret == "" {
		secret = "simulated-no-secret"
	}
	return livechatEnvelope{webhookID: g.hex(32), secret: secret, org: g.uuid()}
}

func (e livechatEnvelope) request(action string, payload any, presence []string) Request {
	body := O{"webhook_id", e.webhookID, "secret_key", e.secret, "action", action, "organization_id", e.org,
		"payload", payload, "additional_data", O{"chat_properties", O{}, "chat_presence_user_ids", presence}}
	return jsonRequest(backend.VendorLiveChat, action, livechatPath, body)
}

func livechatConversation(g *gen) []Request {
	const n = 9
	env := g.livechat()
	chat, thread := g.code(10), g.code(10)
	customer, agent, colleague := g.uuid(), "anna.kowalska@example.com", "marc.dupont@example.com"
	event := func(i, seq int, author, text string) O {
		return O{"id", thread + "_" + itoa(seq), "custom_id", g.hex(8), "type", "message", "text", text,
			"author_id", author, "created_at", lcTime(g.at(i, n)), "visibility", "all", "properties", O{}}
	}
	users := []any{
		O{"id", customer, "type", "customer", "name", "Jane Doe", "email", "jane.doe@example.com", "present", true,
			"events_seen_up_to", lcTime(g.at(1, n)), "created_at", lcTime(g.at(0, n)), "email_verified", false,
			"statistics", O{"chats_count", 1, "threads_count", 1, "visits_count", 2, "page_views_count", 5},
			"visit", O{"ip", "203.0.113.7", "user_agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
				"geolocation", O{"country", "France", "country_code", "FR", "city", "Nantes", "timezone", "Europe/Paris"},
				"started_at", lcTime(g.at(0, n)), "last_pages", []any{O{"opened_at", lcTime(g.at(0, n)),
					"url", "https://shop.example.com/orders/1234", "title", "Your order"}}}},
		O{"id", agent, "type", "agent", "name", "Anna Kowalska", "email", agent, "present", true,
			"events_seen_up_to", lcTime(g.at(1, n)), "routing_status", "accepting chats", "visibility", "all"},
	}
	present := []string{customer, agent}
	return []Request{
		env.request("routing_status_set", O{"agent_id", agent, "status", "accepting chats"}, []string{}),
		env.request("incoming_chat", O{"chat", O{"id", chat, "users", users,
			"properties", O{"routing", O{"continuous", false, "pinned", false}, "source", O{"client_id", g.hex(32)}},
			"access", O{"group_ids", []int{0}},
			"thread", O{"id", thread, "active", true, "user_ids", present,
				"events", []any{event(1, 1, customer, "Hello, my order #1234 still says processing. Can you check?")},
				"properties", O{"routing", O{"idle", false, "unassigned", false, "start_url", "https://shop.example.com/orders/1234"}},
				"access", O{"group_ids", []int{0}}, "tags", []string{}, "created_at", lcTime(g.at(1, n))}}}, present),
		env.request("incoming_event", O{"chat_id", chat, "thread_id", thread,
			"event", event(2, 2, customer, "It was supposed to arrive yesterday.")}, present),
		env.request("incoming_event", O{"chat_id", chat, "thread_id", thread,
			"event", event(3, 3, agent, "Let me check that for you. I am passing you to our shipping team.")}, present),
		env.request("chat_transferred", O{"chat_id", chat, "thread_id", thread, "requester_id", agent, "reason", "manual",
			"transferred_to", O{"agent_ids", []string{colleague}}}, []string{customer, colleague}),
		env.request("incoming_event", O{"chat_id", chat, "thread_id", thread,
			"event", event(5, 4, colleague, "Your parcel left our warehouse this morning; you will get it tomorrow.")}, []string{customer, colleague}),
		env.request("thread_tagged", O{"chat_id", chat, "thread_id", thread, "tag", "shipping"}, []string{customer, colleague}),
		env.request("chat_deactivated", O{"chat_id", chat, "thread_id", thread, "user_id", colleague}, []string{}),
		env.request("routing_status_set", O{"agent_id", agent, "status", "not accepting chats"}, []string{}),
	}
}

func livechatAgent(g *gen) []Request {
	env := g.livechat()
	agent := "anna.kowalska@example.com"
	return []Request{
		env.request("routing_status_set", O{"agent_id", agent, "status", "accepting chats"}, []string{}),
		env.request("routing_status_set", O{"agent_id", agent, "status", "not accepting chats"}, []string{}),
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
