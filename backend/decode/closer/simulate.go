package closer

import (
	"time"

	"hooklens/backend"
	"hooklens/backend/simulate/scenario"
)

// Scenarios returns the conversations the simulator can send as Closer would.
func (vendor) Scenarios() []scenario.Scenario {
	return []scenario.Scenario{
		{Name: scenario.Conversation, Make: closerConversation,
			Description: "An agent signs in and becomes available; a guest opens a room, it is assigned, messages go both ways, it is tagged, closed and reopened."},
		{Name: scenario.Agent, Make: closerAgent,
			Description: "An agent signs in, goes away, and signs out."},
	}
}

const closerPath = "/" + Name

// closerRequest wraps event in Closer's business-event envelope; with a secret, the shared
// token goes in X-Closer-Token.
func closerRequest(g *scenario.Gen, at time.Time, category, action string, event scenario.O) scenario.Request {
	body := scenario.O{"@timestamp", at.Add(120 * time.Millisecond).UTC().Format("2006-01-02T15:04:05.000-0700"),
		"message", scenario.O{"event", event,
			"description", scenario.O{"kind", "event", "category", []string{category}, "type", []string{"business_event"},
				"action", action, "outcome", "success"},
			"timestamp", at.UnixMilli()}}
	var hs []backend.Header
	if g.Secret != "" {
		hs = append(hs, backend.Header{Name: HeaderToken, Value: g.Secret})
	}
	return scenario.JSON(Name, action, closerPath, body, hs...)
}

func closerConversation(g *scenario.Gen) []scenario.Request {
	const n = 9
	org, agent, room, guest := g.UUID(), g.UUID(), g.UUID(), g.UUID()
	conv := func(i int, action string, fields ...any) scenario.Request {
		return closerRequest(g, g.At(i, n), "conversation", action, append(scenario.O{"roomId", room, "orgId", org}, fields...))
	}
	return []scenario.Request{
		closerRequest(g, g.At(0, n), "agent", "login", scenario.O{"agentId", agent, "orgId", org, "firstName", "Lena",
			"lastName", "Martin", "email", "lena.martin@example.com"}),
		closerRequest(g, g.At(1, n), "agent", "status_change", scenario.O{"agentId", agent, "orgId", org, "status", "AVAILABLE", "unavailableReason", ""}),
		conv(2, "created", "guestId", guest),
		conv(3, "assignee_change", "agentId", agent),
		conv(4, "message_sent", "authorId", guest, "body", "Hi! Can I change the delivery address of my order?", "messageId", g.UUID()),
		conv(5, "message_sent", "authorId", agent, "body", "Of course, which address should we use?", "messageId", g.UUID()),
		conv(6, "tag_change", "tags", []string{"delivery", "address-change"}),
		conv(7, "closed", "status", "true", "sub_status", "solved"),
		conv(8, "reopened", "customerId", guest),
	}
}

func closerAgent(g *scenario.Gen) []scenario.Request {
	const n = 4
	org, agent := g.UUID(), g.UUID()
	person := scenario.O{"agentId", agent, "orgId", org, "firstName", "Lena", "lastName", "Martin", "email", "lena.martin@example.com"}
	return []scenario.Request{
		closerRequest(g, g.At(0, n), "agent", "login", person),
		closerRequest(g, g.At(1, n), "agent", "status_change", scenario.O{"agentId", agent, "orgId", org, "status", "AVAILABLE", "unavailableReason", ""}),
		closerRequest(g, g.At(2, n), "agent", "status_change", scenario.O{"agentId", agent, "orgId", org, "status", "AWAY", "unavailableReason", "Lunch"}),
		closerRequest(g, g.At(3, n), "agent", "logout", person),
	}
}
