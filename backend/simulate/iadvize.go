package simulate

import (
	"math/rand/v2"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/iadvize"
)

const iadvizePath = "/iadvize"

func iaTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// iadvizeRequest signs body the way iAdvize does: HMAC-SHA256 of the raw body, sha256=<hex>.
func (g *gen) iadvizeRequest(body O) Request {
	r := jsonRequest(backend.VendorIAdvize, body[3].(string), iadvizePath, body,
		backend.Header{Name: iadvize.HeaderDelivery, Value: g.uuid()},
		backend.Header{Name: iadvize.HeaderCorrelationID, Value: g.uuid()})
	if g.secret != "" {
		r.Delivery.Headers = append(r.Delivery.Headers, backend.Header{Name: iadvize.HeaderSignature, Value: iadvize.Sign(g.secret, r.Delivery.Body)})
	}
	return r
}

// iadvizeIDs are the tenant of one run.
type iadvizeIDs struct {
	client, project, op1, op2 int
	platform                  string
}

func (g *gen) iadvizeIDs() iadvizeIDs {
	return iadvizeIDs{client: 1000 + rand.IntN(9000), project: 10000 + rand.IntN(90000),
		op1: 100000 + rand.IntN(900000), op2: 100000 + rand.IntN(900000), platform: "ha"}
}

func (g *gen) iaEvent(ids iadvizeIDs, typ string, at time.Time, fields ...any) O {
	o := O{"eventId", g.uuid(), "eventType", typ, "platform", ids.platform, "clientId", ids.client}
	o = append(o, fields...)
	return append(o, "createdAt", iaTime(at), "sentAt", iaTime(at.Add(180*time.Millisecond)))
}

func iadvizeConversation(g *gen) []Request {
	const n = 7
	ids := g.iadvizeIDs()
	conv, visitor := g.uuid(), g.uuid()
	conversation := func(i int, typ string, fields ...any) Request {
		f := append(O{"projectId", ids.project, "conversationId", conv}, fields...)
		return g.iadvizeRequest(g.iaEvent(ids, typ, g.at(i, n), f...))
	}
	return []Request{
		g.iadvizeRequest(g.iaEvent(ids, iadvize.UserConnected, g.at(0, n), "userId", ids.op1)),
		g.iadvizeRequest(g.iaEvent(ids, iadvize.UserAvailabilityUpdated, g.at(1, n), "userId", ids.op1, "origin", "desk",
			"availabilities", []any{O{"channel", "CHAT", "status", "AVAILABLE"}, O{"channel", "CALL", "status", "UNAVAILABLE"},
				O{"channel", "VIDEO", "status", "UNAVAILABLE"}})),
		conversation(2, iadvize.ConversationPushed, "operatorId", ids.op1, "channel", "CHAT", "visitorId", visitor),
		conversation(3, iadvize.ConversationPushed, "operatorId", ids.op2, "channel", "CHAT", "visitorId", visitor),
		conversation(4, iadvize.ConversationClosed, "operatorIds", []int{ids.op1, ids.op2}, "channel", "CHAT", "visitorId", visitor),
		conversation(5, iadvize.SatisfactionAnswered, "customerSatisfaction", 4),
		conversation(6, iadvize.SatisfactionAnswered, "satisfactionComment", "Quick and friendly, thank you!"),
	}
}

func iadvizeAgent(g *gen) []Request {
	const n = 4
	ids := g.iadvizeIDs()
	avail := func(status string) []any {
		return []any{O{"channel", "CHAT", "status", status}, O{"channel", "CALL", "status", "UNAVAILABLE"}}
	}
	return []Request{
		g.iadvizeRequest(g.iaEvent(ids, iadvize.UserConnected, g.at(0, n), "userId", ids.op1)),
		g.iadvizeRequest(g.iaEvent(ids, iadvize.UserAvailabilityUpdated, g.at(1, n), "userId", ids.op1, "origin", "desk", "availabilities", avail("AVAILABLE"))),
		g.iadvizeRequest(g.iaEvent(ids, iadvize.UserAvailabilityUpdated, g.at(2, n), "userId", ids.op1, "origin", "desk", "availabilities", avail("UNAVAILABLE"))),
		g.iadvizeRequest(g.iaEvent(ids, iadvize.UserDisconnected, g.at(3, n), "userId", ids.op1)),
	}
}
