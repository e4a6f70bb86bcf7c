package closer

import (
	"slices"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// agentActions are the actions about an agent rather than a room.
var agentActions = []string{ActionLogin, ActionLogout, ActionStatusChange}

// business is one business event being decoded: the ids found in message.event.
type business struct {
	action     string
	e          map[string]any // message.event
	agentEvent bool           // about an agent's session or availability, not a room
	room       string
	thread     string
	agent      string // agentId
	adviser    string // adviserId
	assignee   string // assigneeId / assignee, adviserId or agentId on assignment events
	requester  string // requesterId
	guest      string // guestId
	customer   string // customerId
	author     string // authorId
	authorKind string
	authorSure bool // authorKind is known, not the plain-message default
	actors     []backend.Actor
}

// decodeBusiness fills ev from a business event: {"@timestamp", message{event, description, timestamp}}.
func decodeBusiness(in *decode.Input, obj map[string]any, ev *backend.Event) {
	msg := decode.Obj(obj, "message")
	action := strings.TrimSpace(decode.Str(msg, "description", "action"))
	b := &business{action: action, e: decode.Obj(msg, "event")}
	b.agentEvent = slices.Contains(agentActions, action) ||
		(!isKnownAction(action) && slices.Contains(decode.Strings(msg, "description", "category"), "agent"))
	b.collect()

	ev.EventType = action
	ev.OccurredAt = occurredAt(obj, msg, ev)
	ev.Organization = decode.Str(b.e, "orgId")
	if b.room != "" || b.thread != "" {
		ev.Conversation = &backend.ConversationRef{ID: b.room, ThreadID: b.thread}
	}
	ev.Actors = b.actors
	ev.Summary = b.summary()
	ev.Status, ev.StatusOf = b.status()
	id := b.room
	if id == "" {
		id = b.agent
	}
	ev.DedupeKey = dedupeKey(in, action, id, decode.Str(msg, "timestamp"))
}

// occurredAt returns when the event happened.
//
// Closer's envelope has two times. message.timestamp (epoch milliseconds) sits inside the
// business record next to the event data, so it is stamped by the Closer service that produced
// the event. "@timestamp" sits outside it, beside "message", which is the shape a log shipper
// (Logstash, Filebeat) gives a record it wraps: it stamps @timestamp when it handles the record
// unless told to copy the event's own time, so it is most likely the time the record was
// ingested into Closer's Elasticsearch pipeline. The draft samples cannot settle it (their
// two values are 2 h apart in the "wrong" order: hand-made examples), so we take the producer's
// time, message.timestamp, and fall back to @timestamp only when it is missing or unreadable.
// A present but unreadable time gets an invalid_value flag.
func occurredAt(obj, msg map[string]any, ev *backend.Event) *time.Time {
	var at *time.Time
	if v, ok := msg["timestamp"]; ok {
		if at = decode.Time(v); at == nil {
			badTime(ev, "message.timestamp", v, true)
		}
	}
	if v, ok := obj["@timestamp"]; ok {
		t := decode.Time(v)
		if t == nil {
			badTime(ev, "@timestamp", v, false)
		}
		if at == nil {
			at = t
		}
	}
	return at
}

// badTime flags a time that has the documented JSON type (a number when numeric, else a
// string) but cannot be read; a wrong type is left to the catalog check.
func badTime(ev *backend.Event, path string, v any, numeric bool) {
	t, want := decode.JSONType(v), "an ISO 8601 date-time such as 2021-10-28T08:52:59.726+0000"
	if numeric {
		want = "a number of milliseconds since 1970"
		if t != "integer" && t != "number" {
			return
		}
	} else if t != "string" {
		return
	}
	ev.Flags = append(ev.Flags, backend.Flag{Path: path, Code: FlagInvalidValue,
		Reason: path + " is " + quote(decode.String(v)) + ", not " + want})
}

func isKnownAction(a string) bool { return catalog.EventType(a) != nil }

// collect reads the ids of message.event and builds the actors, subject first.
func (b *business) collect() {
	e := b.e
	b.room, b.thread = decode.Str(e, "roomId"), decode.Str(e, "threadId")
	b.agent = decode.Str(e, "agentId")
	// adviserId is the SDK's name for an agent; it names the assignee only on assignment events
	// (on a follower or status event it is the follower or the agent who acted).
	b.adviser = decode.Str(e, "adviserId")
	b.assignee = first(decode.Str(e, "assigneeId"), decode.Str(e, "assignee"))
	if strings.Contains(b.action, "assign") {
		b.assignee = first(b.assignee, b.adviser)
	}
	if b.action == ActionAssigneeChange && b.assignee == "" {
		b.assignee = b.agent
	}
	b.requester = decode.Str(e, "requesterId")
	b.guest, b.customer = decode.Str(e, "guestId"), decode.Str(e, "customerId")
	b.author = decode.Str(e, "authorId")
	b.authorKind = b.kindOfAuthor()
	b.authorSure = b.authorKind != backend.KindCustomer || b.action != ActionMessageSent ||
		b.author == b.guest || b.author == b.customer || kindOf(b.authorHint()) != ""

	if b.agentEvent {
		b.add(backend.Actor{ID: b.agent, Kind: backend.KindAgent, Role: "subject",
			Name: fullName(e), Email: decode.Str(e, "email")})
	}
	b.add(backend.Actor{ID: b.author, Kind: b.authorKind, Role: "author"})
	b.add(backend.Actor{ID: b.assignee, Kind: backend.KindAgent, Role: "assignee"})
	b.add(backend.Actor{ID: b.requester, Kind: backend.KindAgent, Role: "requester"})
	for _, id := range []string{b.agent, b.adviser} {
		if !b.agentEvent && id != b.assignee {
			b.add(backend.Actor{ID: id, Kind: backend.KindAgent, Role: "participant"})
		}
	}
	guestRole := "participant"
	if b.action == ActionBackofficeDataChange {
		guestRole = "subject" // the data changed is the guest's
	}
	b.add(backend.Actor{ID: b.guest, Kind: backend.KindCustomer, Role: guestRole})
	b.add(backend.Actor{ID: b.customer, Kind: backend.KindCustomer, Role: "participant"})
}

func (b *business) add(a backend.Actor) { b.actors = decode.AddActor(b.actors, a) }

// kindOfAuthor decides whether authorId is an agent, a customer or a bot. An explicit type
// field wins; then an id equal to a known agent or guest id of the same event. Otherwise it is a
// guess: a form answer (FORM_SUBMIT, or MESSAGE_WITH_FORM carrying filled inputs) comes from the
// guest, other custom messages (notes, lead tags, meetings, calls) from an agent, and a plain
// message from the customer, since wrongly listing a guest among the agents would be worse than
// missing one agent message.
func (b *business) kindOfAuthor() string {
	e := b.e
	if kind := kindOf(b.authorHint()); kind != "" {
		return kind
	}
	switch a := b.author; {
	case a == "":
		return ""
	case a == b.agent || a == b.adviser || a == b.assignee || a == b.requester:
		return backend.KindAgent
	case a == b.guest || a == b.customer:
		return backend.KindCustomer
	}
	if b.action != ActionCustomMessageSent {
		if b.action == ActionMessageSent {
			return backend.KindCustomer
		}
		return backend.KindAgent
	}
	switch subtag := strings.ToUpper(decode.Str(e, "subtag")); {
	case subtag == "FORM_SUBMIT":
		return backend.KindCustomer
	case strings.Contains(subtag, "FORM") && filledInputs(decode.List(e, "payload", "inputs")) > 0:
		return backend.KindCustomer
	}
	return backend.KindAgent
}

// authorHint returns the first sender type field the event carries, if any.
func (b *business) authorHint() string {
	for _, k := range []string{"authorType", "authorKind", "authorRole", "senderType", "userType"} {
		if v := decode.Str(b.e, k); v != "" {
			return v
		}
	}
	return ""
}

// kindOf maps a sender type word to an actor kind, "" when it says nothing known.
func kindOf(s string) string {
	s = strings.ToLower(s)
	switch {
	case s == "":
		return ""
	case strings.Contains(s, "bot"):
		return backend.KindBot
	case strings.Contains(s, "guest"), strings.Contains(s, "customer"), strings.Contains(s, "visitor"), strings.Contains(s, "client"):
		return backend.KindCustomer
	case strings.Contains(s, "system"):
		return backend.KindSystem
	case strings.Contains(s, "agent"), strings.Contains(s, "adviser"), strings.Contains(s, "advisor"), strings.Contains(s, "admin"):
		return backend.KindAgent
	}
	return ""
}

// status returns the conversation or agent status the event implies.
func (b *business) status() (status, of string) {
	switch b.action {
	case ActionLogin:
		return StatusLoggedIn, OfAgent
	case ActionLogout:
		return StatusLoggedOut, OfAgent
	case ActionStatusChange:
		if s := strings.ToLower(strings.TrimSpace(decode.Str(b.e, "status"))); s != "" {
			return s, OfAgent
		}
	case ActionCreated, ActionReopened, ActionUnsnoozed, ActionThreadCreated:
		return StatusOpen, OfConversation
	case ActionClosed:
		return StatusClosed, OfConversation
	case ActionSnoozed:
		return StatusSnoozed, OfConversation
	case ActionAssigneeChange:
		if b.assignee != "" {
			return StatusAssigned, OfConversation
		}
	}
	return "", ""
}

// fullName joins firstName and lastName.
func fullName(m map[string]any) string {
	return strings.TrimSpace(strings.TrimSpace(decode.Str(m, "firstName")) + " " + strings.TrimSpace(decode.Str(m, "lastName")))
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// filledInputs counts form inputs that carry a value.
func filledInputs(l []any) int {
	n := 0
	for _, in := range l {
		if decode.Str(in, "value") != "" {
			n++
		}
	}
	return n
}
