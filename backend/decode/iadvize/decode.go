package iadvize

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Statuses an event implies.
const (
	StatusOpen               = "open"
	StatusAssigned           = "assigned"
	StatusClosed             = "closed"
	StatusConnected          = "connected"
	StatusDisconnected       = "disconnected"
	StatusAvailable          = "available"
	StatusUnavailable        = "unavailable"
	StatusPartiallyAvailable = "partially available"
)

// Whose status Status is.
const (
	OfConversation = "conversation"
	OfAgent        = "agent"
)

// FlagInvalidValue marks a field whose value cannot be read as what it stands for (a createdAt
// that is not a date-time). Drift flags (types, enums, unknown fields) come from the registry.
const FlagInvalidValue = "invalid_value"

// actors collects the actors of an event without duplicates.
type actors []backend.Actor

func (a *actors) add(id, kind, role string) {
	if id == "" {
		return
	}
	for _, x := range *a {
		if x.ID == id && x.Kind == kind && x.Role == role {
			return
		}
	}
	*a = append(*a, backend.Actor{ID: id, Kind: kind, Role: role})
}

// name gives the actor id its display name and email, when the event carries them.
func (a actors) name(id, name, email string) {
	for i := range a {
		if a[i].ID == id {
			a[i].Name, a[i].Email = name, email
		}
	}
}

// userName reads the name and email of the user a user.* event is about. iAdvize documents only
// userId, but deliveries from the admin or the REST API can carry the user's fields, at the top
// level or in a "user" object: name, displayName, nickname, pseudo, or firstName and lastName.
func userName(d doc) (name, email string) {
	for _, o := range append([]doc{d}, d.objects("user")...) {
		if name == "" {
			name = personName(o)
		}
		if email == "" && strings.Contains(o.str("email"), "@") {
			email = oneLine(o.str("email"), 200)
		}
	}
	return name, email
}

func personName(o doc) string {
	for _, key := range []string{"name", "displayName", "nickname", "pseudo"} {
		if s := o.str(key); s != "" {
			return oneLine(s, 200)
		}
	}
	return oneLine(strings.TrimSpace(o.str("firstName")+" "+o.str("lastName")), 200)
}

// Decode fills ev from an iAdvize delivery. It never panics: a body that is not an object still
// gets a dedupe key and an invalid_body flag (unless Prepare already flagged the body), and its
// Summary is left empty for the registry to describe the body.
func (vendor) Decode(in *decode.Input, ev *backend.Event) {
	if ev == nil {
		return
	}
	d := newDoc(in)
	ev.DedupeKey = dedupeKey(in, d)
	as := actors{}
	if d.m == nil {
		// Leave Summary to the registry, which describes the body (size, parse error).
		ev.Actors = as
		if !flagged(in) {
			ev.Flags = append(ev.Flags, backend.Flag{Code: decode.FlagInvalidBody,
				Reason: "the body is not a JSON object or form fields, so no iAdvize event could be read from it"})
		}
		return
	}
	ev.EventType = oneLine(d.str("eventType"), 200)
	ev.Organization = d.str("clientId")
	occurredAt(d, ev)
	if c := d.str("conversationId"); c != "" {
		ev.Conversation = &backend.ConversationRef{ID: c}
	}
	ev.Summary = summarize(d, ev, &as)
	ev.Actors = as
}

// flagged reports whether Prepare already flagged the body as invalid.
func flagged(in *decode.Input) bool {
	if in == nil {
		return false
	}
	for _, f := range in.Flags {
		if f.Code == decode.FlagInvalidBody {
			return true
		}
	}
	return false
}

// occurredAt reads createdAt (when the event happened), falling back to sentAt.
func occurredAt(d doc, ev *backend.Event) {
	for _, key := range []string{"createdAt", "sentAt"} {
		s := d.str(key)
		if s == "" {
			continue
		}
		t, zoned, ok := parseTime(s)
		if !ok {
			ev.Flags = append(ev.Flags, backend.Flag{Path: key, Code: FlagInvalidValue,
				Reason: fmt.Sprintf("%s %q is not an ISO-8601 date-time", key, oneLine(s, 40))})
			continue
		}
		if !zoned {
			ev.Flags = append(ev.Flags, backend.Flag{Path: key, Code: FlagInvalidValue,
				Reason: fmt.Sprintf("%s %q has no time zone; read as UTC", key, oneLine(s, 40))})
		}
		ev.OccurredAt = &t
		return
	}
}

// dedupeKey is the eventId; else the correlation header, which iAdvize keeps across retries;
// else a hash of the raw body, since a retry resends the same bytes.
func dedupeKey(in *decode.Input, d doc) string {
	// A retry repeats the whole event, type included; keying on the type too keeps events that
	// share an id by mistake (the vendor's own doc samples do) apart.
	if id := d.str("eventId"); id != "" {
		return id + " " + d.str("eventType")
	}
	var body []byte
	if in != nil && in.Delivery != nil {
		if c := strings.TrimSpace(in.Delivery.Headers.Get(HeaderCorrelationID)); c != "" {
			return KeyPrefixCorrelation + c
		}
		body = in.Delivery.Body
	} else if in != nil {
		body = in.Body
	}
	sum := sha256.Sum256(body)
	return KeyPrefixBody + hex.EncodeToString(sum[:])
}

// summarize sets actors and status for the event type and returns the one-line summary.
func summarize(d doc, ev *backend.Event, as *actors) string {
	conv := short(d.str("conversationId"))
	visitor := d.str("visitorId")
	typ := ev.EventType
	if c := catalog.Canonical(typ); c == LegacyStarted || c == LegacyClosed {
		typ = c // the August 2017 per-channel names mean what the plain ones do
	}
	switch typ {
	case ConversationPushed, LegacyStarted, LegacyTransferred:
		op := d.str("operatorId")
		as.add(op, backend.KindAgent, assigneeRole(ev.EventType))
		as.add(visitor, backend.KindCustomer, "requester")
		setStatus(ev, OfConversation, StatusOpen)
		if op != "" {
			setStatus(ev, OfConversation, StatusAssigned)
		}
		return pushedSummary(d, typ, conv, op)
	case ConversationClosed, LegacyClosed:
		// operatorIds since May 2020; before, the same array was named operatorId, and the
		// legacy events carry a single operatorId.
		ops := append(d.ids("operatorIds"), d.ids("operatorId")...)
		if op := d.str("operatorId"); op != "" {
			ops = append(ops, op)
		}
		for _, op := range ops {
			as.add(op, backend.KindAgent, "participant")
		}
		as.add(visitor, backend.KindCustomer, "participant")
		setStatus(ev, OfConversation, StatusClosed)
		return closedSummary(d, conv, *as)
	case UserCreated, UserUpdated, UserConnected, UserDisconnected:
		user := d.str("userId")
		as.add(user, backend.KindAgent, "subject")
		name, email := userName(d)
		as.name(user, name, email)
		verb := strings.TrimPrefix(ev.EventType, "user.")
		switch ev.EventType {
		case UserConnected:
			setStatus(ev, OfAgent, StatusConnected)
			verb = "connected (logged in to the admin or desk)"
		case UserDisconnected:
			setStatus(ev, OfAgent, StatusDisconnected)
			verb = "disconnected (logged out of the admin or desk)"
		}
		if name != "" {
			return fmt.Sprintf("User %s (%s) %s", oneLine(name, 80), orUnknown(short(user)), verb)
		}
		return fmt.Sprintf("User %s %s", orUnknown(short(user)), verb)
	case UserAvailabilityUpdated:
		return availabilitySummary(d, ev, as)
	case VisitorUpdated:
		op := d.str("operatorId")
		as.add(op, backend.KindAgent, "editor")
		as.add(visitor, backend.KindCustomer, "subject")
		if op == "" {
			return fmt.Sprintf("Visitor %s updated", orUnknown(short(visitor)))
		}
		return fmt.Sprintf("Operator %s updated visitor %s", short(op), orUnknown(short(visitor)))
	case SatisfactionAnswered:
		as.add(visitor, backend.KindCustomer, "author")
		return satisfactionSummary(d, conv)
	case LegacySatisfaction:
		op := d.str("operatorId")
		as.add(visitor, backend.KindCustomer, "author")
		as.add(op, backend.KindAgent, "rated")
		s := fmt.Sprintf("Visitor gave score %s on conversation %s", orUnknown(oneLine(d.str("score"), 20)), orUnknown(conv))
		if op != "" {
			s += ", handled by operator " + short(op)
		}
		return s
	case TransactionAttributed:
		op := d.str("operatorId")
		as.add(op, backend.KindAgent, "credited")
		return transactionSummary(d, conv, op)
	case ConnectorInstalled, ConnectorUninstalled:
		return connectorSummary(d, ev.EventType)
	}
	return genericSummary(d, ev, conv, as)
}

func assigneeRole(eventType string) string {
	if eventType == LegacyTransferred {
		return "transferred_to"
	}
	return "assignee"
}

func setStatus(ev *backend.Event, of, status string) { ev.Status, ev.StatusOf = status, of }

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// where describes channel and project (or the legacy website) for a summary: "(CHAT, project 1)".
func where(d doc) string {
	var parts []string
	if c := oneLine(d.str("channel"), 40); c != "" {
		parts = append(parts, c)
	}
	if p := oneLine(d.str("projectId"), 40); p != "" {
		parts = append(parts, "project "+p)
	} else if w := oneLine(d.str("websiteId"), 40); w != "" {
		parts = append(parts, "website "+w)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func pushedSummary(d doc, eventType, conv, op string) string {
	conv = orUnknown(conv)
	switch {
	case eventType == LegacyTransferred:
		from := short(d.str("transferredConversationId"))
		s := "Conversation " + orUnknown(from) + " transferred"
		if op != "" {
			s += " to operator " + short(op)
		}
		return s + " as conversation " + conv + where(d)
	case eventType == LegacyStarted && op != "":
		return "Conversation " + conv + " started with operator " + short(op) + where(d)
	case eventType == LegacyStarted:
		return "Conversation " + conv + " started" + where(d)
	case op != "":
		return "Conversation " + conv + " pushed to operator " + short(op) + where(d)
	}
	return "Conversation " + conv + " pushed with no operator" + where(d)
}

func closedSummary(d doc, conv string, as actors) string {
	var ops []string
	for _, a := range as {
		if a.Kind == backend.KindAgent {
			ops = append(ops, short(a.ID))
		}
	}
	s := "Conversation " + orUnknown(conv) + " closed" + where(d)
	switch len(ops) {
	case 0:
		return s + ", no operator involved"
	case 1:
		return s + ", handled by operator " + ops[0]
	}
	return s + ", handled by operators " + join(ops)
}
