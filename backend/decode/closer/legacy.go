package closer

import (
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// legacyType maps a legacy eventType to the event type Closer's old page names. Only
// ThreadCreatedEvent is documented; the value for a closed conversation is not, so any
// eventType naming a closing (or the page's own name) is taken for conversation.closed.
// Anything else is kept as sent, and the registry reports it as undocumented.
func legacyType(et string) string {
	l := strings.ToLower(strings.TrimSpace(et))
	switch {
	case l == "":
		return ""
	case l == "threadcreatedevent" || l == LegacyConversationCreated:
		return LegacyConversationCreated
	case l == LegacyConversationClosed || strings.Contains(l, "closed"):
		return LegacyConversationClosed
	}
	return et
}

// decodeLegacy fills ev from a legacy webhook: {customer{…}, timestamp, eventType}. It carries
// no room, so the event has no conversation; the customer is its only actor.
func decodeLegacy(in *decode.Input, obj map[string]any, ev *backend.Event) {
	raw := decode.Str(obj, "eventType")
	ev.EventType = legacyType(raw)
	c := decode.Obj(obj, "customer")
	if v, ok := obj["timestamp"]; ok {
		if ev.OccurredAt = decode.Time(v); ev.OccurredAt == nil {
			badTime(ev, "timestamp", v, true)
		}
	}
	cust := backend.Actor{ID: decode.Str(c, "id"), Kind: backend.KindCustomer, Role: "participant",
		Name: legacyName(c), Email: strings.TrimSpace(decode.Str(c, "email"))}
	ev.Actors = decode.AddActor(ev.Actors, cust)
	if decode.Str(c, "apiKey") != "" {
		ev.Flags = append(ev.Flags, backend.Flag{Path: "customer.apiKey", Code: FlagSensitiveField,
			Reason: "customer.apiKey is a credential: redact it before sharing or exporting this delivery"})
	}

	who := ""
	if cust.ID != "" || cust.Name != "" || cust.Email != "" {
		who = " for customer " + customerLabel(cust)
	}
	switch ev.EventType {
	case LegacyConversationCreated:
		ev.Summary = "Conversation created" + who
		ev.Status, ev.StatusOf = StatusOpen, OfConversation
	case LegacyConversationClosed:
		ev.Summary = "Conversation closed" + who
		ev.Status, ev.StatusOf = StatusClosed, OfConversation
	case "":
		ev.Summary = "Closer legacy webhook with no eventType" + who
	default:
		ev.Summary = "Closer legacy webhook " + quote(raw) + who
	}
	ev.DedupeKey = dedupeKey(in, raw, cust.ID, decode.Str(obj, "timestamp"))
}
