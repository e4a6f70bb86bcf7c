package iadvize

import (
	"time"

	"hooklens/backend"
	"hooklens/backend/simulate/scenario"
)

// Scenarios returns the conversations the simulator can send as iAdvize would.
func (vendor) Scenarios() []scenario.Scenario {
	return []scenario.Scenario{
		{Name: scenario.Conversation, Make: iadvizeConversation,
			Description: "An operator connects and becomes available; a conversation is pushed to them, then to a second operator, closed, and rated."},
		{Name: scenario.Agent, Make: iadvizeAgent,
			Description: "An operator connects, changes availability, and disconnects."},
	}
}

const iadvizePath = "/" + Name

func iaTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// iadvizeRequest signs body the way iAdvize does: HMAC-SHA256 of the raw body, sha256=<hex>.
func iadvizeRequest(g *scenario.Gen, body scenario.O) scenario.Request {
	r := scenario.JSON(Name, body[3].(string), iadvizePath, body,
		backend.Header{Name: HeaderDelivery, Value: g.UUID()},
		backend.Header{Name: HeaderCorrelationID, Value: g.UUID()})
	if g.Secret != "" {
		r.Delivery.Headers = append(r.Delivery.Headers, backend.Header{Name: HeaderSignature, Value: Sign(g.Secret, r.Delivery.Body)})
	}
	return r
}

// iadvizeIDs are the tenant of one run.
type iadvizeIDs struct {
	client, project, op1, op2 int
	platform                  string
}

func newIDs(g *scenario.Gen) iadvizeIDs {
	return iadvizeIDs{client: 1000 + g.IntN(9000), project: 10000 + g.IntN(90000),
		op1: 100000 + g.IntN(900000), op2: 100000 + g.IntN(900000), platform: "ha"}
}

func iaEvent(g *scenario.Gen, ids iadvizeIDs, typ string, at time.Time, fields ...any) scenario.O {
	o := scenario.O{"eventId", g.UUID(), "eventType", typ, "platform", ids.platform, "clientId", ids.client}
	o = append(o, fields...)
	return append(o, "createdAt", iaTime(at), "sentAt", iaTime(at.Add(180*time.Millisecond)))
}

func iadvizeConversation(g *scenario.Gen) []scenario.Request {
	const n = 7
	ids := newIDs(g)
	conv, visitor := g.UUID(), g.UUID()
	conversation := func(i int, typ string, fields ...any) scenario.Request {
		f := append(scenario.O{"projectId", ids.project, "conversationId", conv}, fields...)
		return iadvizeRequest(g, iaEvent(g, ids, typ, g.At(i, n), f...))
	}
	return []scenario.Request{
		iadvizeRequest(g, iaEvent(g, ids, UserConnected, g.At(0, n), "userId", ids.op1)),
		iadvizeRequest(g, iaEvent(g, ids, UserAvailabilityUpdated, g.At(1, n), "userId", ids.op1, "origin", "desk",
			"availabilities", []any{scenario.O{"channel", "CHAT", "status", "AVAILABLE"}, scenario.O{"channel", "CALL", "status", "UNAVAILABLE"},
				scenario.O{"channel", "VIDEO", "status", "UNAVAILABLE"}})),
		conversation(2, ConversationPushed, "operatorId", ids.op1, "channel", "CHAT", "visitorId", visitor),
		conversation(3, ConversationPushed, "operatorId", ids.op2, "channel", "CHAT", "visitorId", visitor),
		conversation(4, ConversationClosed, "operatorIds", []int{ids.op1, ids.op2}, "channel", "CHAT", "visitorId", visitor),
		conversation(5, SatisfactionAnswered, "customerSatisfaction", 4),
		conversation(6, SatisfactionAnswered, "satisfactionComment", "Quick and friendly, thank you!"),
	}
}

func iadvizeAgent(g *scenario.Gen) []scenario.Request {
	const n = 4
	ids := newIDs(g)
	avail := func(status string) []any {
		return []any{scenario.O{"channel", "CHAT", "status", status}, scenario.O{"channel", "CALL", "status", "UNAVAILABLE"}}
	}
	return []scenario.Request{
		iadvizeRequest(g, iaEvent(g, ids, UserConnected, g.At(0, n), "userId", ids.op1)),
		iadvizeRequest(g, iaEvent(g, ids, UserAvailabilityUpdated, g.At(1, n), "userId", ids.op1, "origin", "desk", "availabilities", avail("AVAILABLE"))),
		iadvizeRequest(g, iaEvent(g, ids, UserAvailabilityUpdated, g.At(2, n), "userId", ids.op1, "origin", "desk", "availabilities", avail("UNAVAILABLE"))),
		iadvizeRequest(g, iaEvent(g, ids, UserDisconnected, g.At(3, n), "userId", ids.op1)),
	}
}
