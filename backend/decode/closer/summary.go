package closer

import (
	"fmt"
	"strconv"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// maxQuote caps quoted message text and listed values in a summary, in runes.
const maxQuote = 80

// maxListed caps how many tags, data entries or form answers a summary lists.
const maxListed = 5

// summary is the one-line description of a business event.
func (b *business) summary() string {
	e, room := b.e, "room "+orUnknown(b.room)
	switch b.action {
	case ActionLogin:
		return "Agent " + b.agentLabel() + " logged in"
	case ActionLogout:
		return "Agent " + b.agentLabel() + " logged out"
	case ActionStatusChange:
		st := strings.ToUpper(strings.TrimSpace(decode.Str(e, "status")))
		if st == "" {
			return "Agent " + b.agentLabel() + " changed status (no status given)"
		}
		s := "Agent " + b.agentLabel() + " is now " + st
		if r := strings.TrimSpace(decode.Str(e, "unavailableReason")); r != "" {
			s += ": " + decode.Truncate(r, maxQuote)
		}
		return s
	case ActionCreated:
		s := "Room " + orUnknown(b.room) + " created"
		if b.guest != "" {
			s += " for guest " + b.guest
		}
		return s
	case ActionBackofficeDataChange:
		s := "Back-office data of " + room + " changed"
		if b.guest != "" {
			s += " for guest " + b.guest
		}
		return s + pairs(decode.List(e, "backofficeData"), "key")
	case ActionTagChange:
		return tagSummary(e, room)
	case ActionAssigneeChange:
		s := "Room " + orUnknown(b.room) + " unassigned"
		if b.assignee != "" {
			s = "Room " + orUnknown(b.room) + " assigned to agent " + b.assignee
		}
		if b.requester != "" {
			s += " by agent " + b.requester
		}
		return s
	case ActionMessageSent:
		return b.messageSummary(room)
	case ActionCustomMessageSent:
		return b.customSummary(room)
	case ActionClosed:
		s := "Room " + orUnknown(b.room) + " closed"
		if sub := strings.TrimSpace(decode.Str(e, "sub_status")); sub != "" {
			s += " (" + decode.Truncate(sub, maxQuote) + ")"
		}
		return s
	case ActionReopened, ActionSnoozed, ActionUnsnoozed:
		return "Room " + orUnknown(b.room) + " " + b.action
	case ActionThreadCreated:
		return "Thread " + orUnknown(b.thread) + " started in " + room
	}
	return b.genericSummary()
}

// genericSummary describes an action the catalog does not know, or a missing one.
func (b *business) genericSummary() string {
	what := "Closer event with no action"
	if b.action != "" {
		what = "Closer event " + quote(b.action)
	}
	agent := first(b.agent, b.adviser, b.assignee)
	switch {
	case b.room != "" && agent != "":
		return what + " on room " + b.room + ", agent " + agent
	case b.room != "":
		return what + " on room " + b.room
	case b.agentEvent && b.agent != "":
		return what + " for agent " + b.agentLabel()
	case agent != "":
		return what + ", agent " + agent
	case b.thread != "":
		return what + " on thread " + b.thread
	}
	return what
}

func (b *business) messageSummary(room string) string {
	s := "Message in " + room
	if b.author != "" && b.authorSure {
		s += " from " + who(b.authorKind, b.author)
	} else if b.author != "" {
		s += " from " + b.author // the kind is only a guess: do not state it
	}
	if body := strings.TrimSpace(decode.Str(b.e, "body")); body != "" {
		return s + ": " + text(body)
	}
	return s + " (no text)"
}

// customSummary describes a structured message by its subtag.
func (b *business) customSummary(room string) string {
	e := b.e
	subtag := strings.TrimSpace(decode.Str(e, "subtag"))
	by := ""
	if b.author != "" {
		by = " by " + who(b.authorKind, b.author)
	}
	up := strings.ToUpper(subtag)
	switch {
	case up == "LEAD_TAGS_UPDATE":
		s := "Lead tags on " + room + " set" + by + ": " + list(decode.Strings(e, "payload", "tags"))
		if old := decode.Get(e, "payload", "oldTags"); old != nil {
			s += " (were: " + list(decode.Strings(e, "payload", "oldTags")) + ")"
		}
		return s
	case strings.Contains(up, "FORM"):
		inputs := decode.List(e, "payload", "inputs")
		form := "Form"
		if id := decode.Str(e, "payload", "formId"); id != "" {
			form = "Form " + id
		}
		if filledInputs(inputs) > 0 {
			return form + " submitted in " + room + by + pairs(inputs, "name")
		}
		return form + " sent in " + room + by
	case up == "NOTE":
		s := "Note added to " + room + by
		if t := first(decode.Str(e, "payload", "text"), decode.Str(e, "payload", "message"), decode.Str(e, "body")); t != "" {
			s += ": " + text(t)
		}
		return s
	case subtag == "":
		return "Custom message in " + room + by
	}
	return subtag + " message in " + room + by
}

func tagSummary(e map[string]any, room string) string {
	v := decode.Get(e, "tags")
	tags := decode.Strings(e, "tags")
	switch {
	case v == nil:
		return "Tags on " + room + " changed"
	case len(tags) == 0:
		return "Tags on " + room + " cleared"
	}
	return "Tags on " + room + " changed: " + list(tags)
}

// agentLabel is "Jane Doe (jane@x.com)", "Jane Doe", "jane@x.com" or the agent id.
func (b *business) agentLabel() string {
	name, email := fullName(b.e), strings.TrimSpace(decode.Str(b.e, "email"))
	switch {
	case name != "" && email != "":
		return name + " (" + email + ")"
	case name != "":
		return name
	case email != "":
		return email
	}
	return orUnknown(b.agent)
}

// who is "agent X", "customer X", "bot X" or just X.
func who(kind, id string) string {
	if kind == "" {
		return id
	}
	return kind + " " + id
}

// pairs lists up to maxListed "key=value" entries of a [{key|name, value}] list, after ": ".
func pairs(l []any, keyField string) string {
	var out []string
	for _, item := range l {
		k := decode.Str(item, keyField)
		if k == "" {
			continue
		}
		out = append(out, k+"="+decode.Truncate(decode.Str(item, "value"), maxQuote))
	}
	if len(out) == 0 {
		return ""
	}
	return ": " + list(out)
}

// list joins up to maxListed values with ", " and says how many more there are.
func list(l []string) string {
	if len(l) == 0 {
		return "(none)"
	}
	if len(l) <= maxListed {
		return strings.Join(l, ", ")
	}
	return strings.Join(l[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(l)-maxListed)
}

func orUnknown(id string) string {
	if id == "" {
		return "(unknown)"
	}
	return id
}

// quote quotes an identifier-like value, escaping what is odd in it.
func quote(s string) string { return strconv.Quote(s) }

// text quotes message text for a summary as written, on one line and cut to maxQuote runes.
func text(s string) string { return `"` + decode.Truncate(s, maxQuote) + `"` }

// legacyName is how a legacy customer is called: first and last name, else the random name.
func legacyName(c map[string]any) string {
	if n := fullName(c); n != "" {
		return n
	}
	return strings.TrimSpace(decode.Str(c, "randomName"))
}

// customerLabel is "Jane Doe (jane@x.com)" or the parts of it known, else the id.
func customerLabel(a backend.Actor) string {
	switch {
	case a.Name != "" && a.Email != "":
		return a.Name + " (" + a.Email + ")"
	case a.Name != "":
		return a.Name
	case a.Email != "":
		return a.Email
	}
	return orUnknown(a.ID)
}
