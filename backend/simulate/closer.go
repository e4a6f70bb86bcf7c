package simulate

import (
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/closer"
)

const closerPath = "/closer"

// closerRequest wraps event in Closer's business-event envelope; with a secret, the shared
// token goes in X-Closer-Token.
func (g *gen) closerRequest(at time.Time, category, action string, event O) Request {
	body := O{"@timestamp", at.Add(120 * time.Millisecond).UTC().Format("2006-01-02T15:04:05.000-0700"),
		"message", O{"event", event,
			"description", O{"kind", "event", "category", []string{category}, "type", []string{"business_event"},
				"action", action, "outcome", "success"},
			"timestamp", at.UnixMilli()}}
	var hs []backend.Header
	if g.secret != "" {
		hs = append(hs, backend.Header{Name: closer.HeaderToken, Value: g.secret})
	}
	return jsonRequest(backend.VendorCloser, action, closerPath, body, hs...)
}

func closerConversation(g *gen) []Request {
	const n = 9
	org, agent, room, guest := g.uuid(), g.uuid(), g.uuid(), g.uuid()
	conv := func(i int, action string, fields ...any) Request {
		return g.closerRequest(g.at(i, n), "conversation", action, append(O{"roomId", room, "orgId", org}, fields...))
	}
	return []Request{
		g.closerRequest(g.at(0, n), "agent", "login", O{"agentId", agent, "orgId", org, "firstName", "Lena",
			"lastName", "Martin", "email", "lena.martin@example.com"}),
		g.closerRequest(g.at(1, n), "agent", "status_change", O{"agentId", agent, "orgId", org, "status", "AVAILABLE", "unavailableReason", ""}),
		conv(2, "created", "guestId", guest),
		conv(3, "assignee_change", "agentId", agent),
		conv(4, "message_sent", "authorId", guest, "body", "Hi! Can I change the delivery address of my order?", "messageId", g.uuid()),
		conv(5, "message_sent", "authorId", agent, "body", "Of course, which address should we use?", "messageId", g.uuid()),
		conv(6, "tag_change", "tags", []string{"delivery", "address-change"}),
		conv(7, "closed", "status", "true", "sub_status", "solved"),
		conv(8, "reopened", "customerId", guest),
	}
}

func closerAgent(g *gen) []Request {
	const n = 4
	org, agent := g.uuid(), g.uuid()
	person := O{"agentId", agent, "orgId", org, "firstName", "Lena", "lastName", "Martin", "email", "lena.martin@example.com"}
	return []Request{
		g.closerRequest(g.at(0, n), "agent", "login", person),
		g.closerRequest(g.at(1, n), "agent", "status_change", O{"agentId", agent, "orgId", org, "status", "AVAILABLE", "unavailableReason", ""}),
		g.closerRequest(g.at(2, n), "agent", "status_change", O{"agentId", agent, "orgId", org, "status", "AWAY", "unavailableReason", "Lunch"}),
		g.closerRequest(g.at(3, n), "agent", "logout", person),
	}
}
