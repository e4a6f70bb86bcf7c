package closer

import (
	"fmt"
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

// decodeLegacy fills ev from a legacy webhook: {customer{…}, timestamp, eventType}, and on a
// closing closedType, assignee and messageHistory. It carries no room: a customer has one
// conversation open at a time in this format, so the conversation is keyed by the customer
// ("customer:<id>"), which lets a created and its closed meet on one timeline.
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
	if cust.ID != "" {
		ev.Conversation = &backend.ConversationRef{ID: LegacyConversationPrefix + cust.ID}
	}
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
		ev.Summary = "Conversation closed" + who + legacyClosing(obj, ev)
		ev.Status, ev.StatusOf = StatusClosed, OfConversation
	case "":
		ev.Summary = "Closer legacy webhook with no eventType" + who
	default:
		ev.Summary = "Closer legacy webhook " + quote(raw) + who
	}
	ev.DedupeKey = dedupeKey(in, raw, cust.ID, decode.Str(obj, "timestamp"))
}

// LegacyConversationPrefix starts the conversation id of a legacy webhook, which names only
// the customer.
const LegacyConversationPrefix = "customer:"

// legacyClosing describes what a legacy closing adds: how it closed, who had it, and how many
// messages each side wrote. It adds the assignee as an actor.
func legacyClosing(obj map[string]any, ev *backend.Event) string {
	var parts []string
	if t := strings.TrimSpace(decode.Str(obj, "closedType")); t != "" {
		parts = append(parts, "as "+quote(t))
	}
	if a := decode.Obj(obj, "assignee"); a != nil {
		kind, what := backend.KindAgent, "agent"
		if b, ok := a["isBot"].(bool); ok && b {
			kind, what = backend.KindBot, "bot"
		}
		id, name := decode.Str(a, "id"), fullName(a)
		ev.Actors = decode.AddActor(ev.Actors, backend.Actor{ID: id, Kind: kind, Role: "assignee", Name: name})
		if name != "" {
			what += " " + name
		} else if id != "" {
			what += " " + id
		}
		parts = append(parts, "last with "+what)
	}
	if hist, ok := obj["messageHistory"].([]any); ok {
		n := map[string]int{}
		for _, m := range hist {
			if mo, ok := m.(map[string]any); ok {
				n[strings.ToUpper(decode.Str(decode.Obj(mo, "author"), "role"))]++
			}
		}
		parts = append(parts, fmt.Sprintf("%d message%s (%d from the customer, %d from agents)",
			len(hist), plural(len(hist)), n["CUSTOMER"], n["ADVISER"]))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
