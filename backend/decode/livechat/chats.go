package livechat

import (
	"fmt"
	"sort"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// chatHandlers decode the chat, access, user, property, tag, status and customer actions.
var chatHandlers = map[string]handler{
	"incoming_chat":                   incomingChat,
	"chat_deactivated":                chatDeactivated,
	"chat_access_updated":             accessChanged("set to"),
	"chat_access_granted":             accessChanged("granted to"),
	"chat_access_revoked":             accessChanged("revoked from"),
	"access_set":                      accessChanged("set to"), // 3.1 only: no successor
	"follow_up_requested":             followUp,                // 3.1 only
	"chat_transferred":                chatTransferred,
	"user_added_to_chat":              userAdded,
	"user_removed_from_chat":          userRemoved,
	"chat_properties_updated":         propertiesChanged("updated"),
	"chat_properties_deleted":         propertiesChanged("deleted"),
	"thread_properties_updated":       propertiesChanged("updated"),
	"thread_properties_deleted":       propertiesChanged("deleted"),
	"event_properties_updated":        propertiesChanged("updated"),
	"event_properties_deleted":        propertiesChanged("deleted"),
	"thread_tagged":                   threadTag("tagged"),
	"thread_untagged":                 threadTag("untagged"),
	"routing_status_set":              routingStatusSet,
	"customer_session_fields_updated": sessionFieldsUpdated,
	"incoming_customer":               incomingCustomer,
	"events_marked_as_seen":           eventsSeen,
	"thread_summary_set":              threadSummarySet,
}

func incomingChat(s *state) {
	chat := decode.Get(s.p, "chat")
	th := decode.Get(chat, "thread")
	s.chat, s.thread = decode.Str(chat, "id"), decode.Str(th, "id")
	for _, u := range decode.List(chat, "users") {
		s.learnUser(u)
	}
	s.ev.Status, s.ev.StatusOf = "open", "conversation"
	s.ev.OccurredAt = decode.Time(decode.Get(th, "created_at"))
	events := decode.List(th, "events")
	if s.ev.OccurredAt == nil && len(events) > 0 {
		s.ev.OccurredAt = decode.Time(decode.Get(events[0], "created_at"))
	}
	var starter string
	if r := decode.Str(s.p, "requester_id"); r != "" {
		starter = s.actor(r, "requester", "")
	}
	var customers, staff []string
	for _, u := range decode.List(chat, "users") {
		id := decode.Str(u, "id")
		if kindOf(id, decode.Str(u, "type")) == backend.KindCustomer {
			customers = append(customers, s.actor(id, "requester", ""))
		} else {
			staff = append(staff, s.actor(id, "assignee", ""))
		}
	}
	for _, id := range decode.Strings(s.p, "transferred_from", "agent_ids") {
		s.actor(id, "transferred_from", "")
	}
	if starter == "" && len(customers) > 0 {
		starter = customers[0]
	}
	var b strings.Builder
	if starter != "" {
		fmt.Fprintf(&b, "%s started chat %s", upper(starter), orDefault(s.chat, "?"))
	} else {
		fmt.Fprintf(&b, "Chat %s started", orDefault(s.chat, "?"))
	}
	if s.thread != "" {
		fmt.Fprintf(&b, " (thread %s)", s.thread)
	}
	if len(staff) > 0 {
		fmt.Fprintf(&b, " with %s", list(staff, 3))
	}
	if n := len(events); n > 0 {
		fmt.Fprintf(&b, ", %d initial %s", n, plural(n, "event", "events"))
	}
	if r := decode.Str(th, "restricted_access"); r != "" && r != "false" {
		fmt.Fprintf(&b, ", access restricted (%s)", r)
	}
	s.summary = b.String()
}

func chatDeactivated(s *state) {
	s.ev.Status, s.ev.StatusOf = "closed", "conversation"
	by := "by the router"
	if id := decode.Str(s.p, "user_id"); id != "" {
		by = "by " + s.actor(id, "author", "")
	}
	s.summary = fmt.Sprintf("Chat %s", orDefault(s.chat, "?"))
	if s.thread != "" {
		s.summary += " thread " + s.thread
	}
	s.summary += " closed " + by
}

// accessChanged decodes chat_access_updated and its historic granted/revoked forms.
func accessChanged(verb string) handler {
	return func(s *state) {
		id, res := decode.Str(s.p, "id"), "chat"
		if decode.Str(s.p, "resource") == "thread" { // 3.1 bodies name a chat or a thread
			res, s.thread = "thread", id
		} else {
			s.chat = id
		}
		ids := decode.Strings(s.p, "access", "group_ids")
		what := "no groups"
		if len(ids) > 0 {
			what = groups(ids)
		}
		s.summary = fmt.Sprintf("Access to %s %s %s %s", res, orDefault(id, "?"), verb, what)
	}
}

func chatTransferred(s *state) {
	s.ev.Status, s.ev.StatusOf = "transferred", "conversation"
	by := s.actor(decode.Str(s.p, "requester_id"), "requester", "")
	var to []string
	if g := decode.Strings(s.p, "transferred_to", "group_ids"); len(g) > 0 {
		to = append(to, groups(g))
	}
	for _, id := range decode.Strings(s.p, "transferred_to", "agent_ids") {
		to = append(to, s.actor(id, "transferred_to", ""))
	}
	dest := "elsewhere"
	if len(to) > 0 {
		dest = strings.Join(to, " and ")
	}
	if len(to) > 2 {
		dest = list(to, 4)
	}
	if by != "" {
		s.summary = fmt.Sprintf("%s transferred chat %s to %s", upper(by), orDefault(s.chat, "?"), dest)
	} else {
		s.summary = fmt.Sprintf("Chat %s transferred to %s", orDefault(s.chat, "?"), dest)
	}
	if r := decode.Str(s.p, "reason"); r != "" {
		s.summary += " (" + r + ")"
	}
	if q := decode.Obj(s.p, "queue"); q != nil {
		s.summary += ", queued"
		if pos := decode.Str(q, "position"); pos != "" {
			s.summary += " at position " + pos
		}
	}
}

func userAdded(s *state) {
	u := decode.Get(s.p, "user")
	s.learnUser(u)
	typ := decode.Str(s.p, "user_type")
	who := s.actor(decode.Str(u, "id"), "subject", typ)
	s.changeMembership(who, "added", "to", "joined")
}

func userRemoved(s *state) {
	who := s.actor(decode.Str(s.p, "user_id"), "subject", decode.Str(s.p, "user_type"))
	s.changeMembership(who, "removed", "from", "left")
}

func (s *state) changeMembership(who, verb, prep, alone string) {
	who = orDefault(who, "a user")
	by := s.actor(decode.Str(s.p, "requester_id"), "requester", "")
	if by != "" {
		s.summary = fmt.Sprintf("%s %s %s %s chat %s", upper(by), verb, who, prep, orDefault(s.chat, "?"))
	} else {
		s.summary = fmt.Sprintf("%s %s chat %s", upper(who), alone, orDefault(s.chat, "?"))
	}
	if r := decode.Str(s.p, "reason"); r != "" {
		s.summary += " (" + r + ")"
	}
}

// propertiesChanged decodes the chat/thread/event properties actions.
func propertiesChanged(verb string) handler {
	return func(s *state) {
		var what string
		switch {
		case strings.HasPrefix(s.action, "event_"):
			what = fmt.Sprintf("Properties of event %s in chat %s", orDefault(decode.Str(s.p, "event_id"), "?"), orDefault(s.chat, "?"))
		case strings.HasPrefix(s.action, "thread_"):
			what = fmt.Sprintf("Properties of chat %s thread %s", orDefault(s.chat, "?"), orDefault(s.thread, "?"))
		default:
			what = fmt.Sprintf("Properties of chat %s", orDefault(s.chat, "?"))
		}
		names := propertyNames(decode.Obj(s.p, "properties"))
		s.summary = fmt.Sprintf("%s %s: %s", what, verb, orDefault(list(names, 3), "none"))
		if verb == "updated" {
			if r, ok := map[string]string{"1": "good", "0": "bad"}[decode.Str(s.p, "properties", "rating", "score")]; ok {
				s.summary += " — rated " + r
			}
		}
	}
}

func threadTag(verb string) handler {
	return func(s *state) {
		tag := decode.Str(s.p, "tag")
		s.disc = "tag:" + tag
		s.summary = fmt.Sprintf("Chat %s thread %s %s %q", orDefault(s.chat, "?"), orDefault(s.thread, "?"), verb, tag)
	}
}

// normalStatus spells a routing status the way people read it ("accepting_chats" → "accepting chats").
func normalStatus(st string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(st), "_", " "))
}

func routingStatusSet(s *state) {
	st := normalStatus(decode.Str(s.p, "status"))
	who := s.actor(decode.Str(s.p, "agent_id"), "subject", "")
	if st != "" {
		s.ev.Status, s.ev.StatusOf = st, "agent"
	}
	s.summary = fmt.Sprintf("%s is now %s", upper(orDefault(who, "an agent")), orDefault(st, "in an unknown status"))
}

func sessionFieldsUpdated(s *state) {
	s.chat = decode.Str(s.p, "active_chat", "chat_id")
	s.thread = decode.Str(s.p, "active_chat", "thread_id")
	who := s.actor(decode.Str(s.p, "id"), "subject", "customer")
	var keys []string
	for _, f := range decode.List(s.p, "session_fields") {
		for _, k := range sortedKeys(f) {
			keys = append(keys, k)
		}
	}
	s.summary = fmt.Sprintf("%s session fields updated%s: %s", upper(orDefault(who, "a customer")), s.inChat(), orDefault(list(keys, 4), "none"))
}

// incomingCustomer decodes the historic incoming_customer (removed in v3.6); the customer is
// in payload.customer, or the payload itself in older samples.
func incomingCustomer(s *state) {
	c := decode.Get(s.p, "customer")
	if c == nil {
		c = s.p
	}
	s.learnUser(c)
	who := s.actor(decode.Str(c, "id"), "subject", "customer")
	s.ev.OccurredAt = decode.Time(decode.Get(c, "created_at"))
	s.summary = fmt.Sprintf("New %s registered", orDefault(who, "customer"))
	if e := decode.Str(c, "email"); e != "" {
		s.summary += " (" + e + ")"
	}
}

func eventsSeen(s *state) {
	who := s.actor(decode.Str(s.p, "user_id"), "author", "")
	seen := decode.Str(s.p, "seen_up_to")
	s.ev.OccurredAt = decode.Time(seen)
	s.summary = fmt.Sprintf("%s saw the events%s up to %s", upper(orDefault(who, "a user")), s.inChat(), orDefault(seen, "?"))
}

func threadSummarySet(s *state) {
	sum := decode.Get(s.p, "summary")
	s.ev.OccurredAt = decode.Time(decode.Get(sum, "updated_at"))
	s.summary = fmt.Sprintf("Summary of chat %s thread %s set", orDefault(s.chat, "?"), orDefault(s.thread, "?"))
	if st := decode.Str(sum, "status"); st != "" {
		s.summary += " (" + st + ")"
	}
	if t := decode.Str(sum, "text"); t != "" {
		s.summary += ": " + quote(t)
	}
}

func sortedKeys(v any) []string {
	m, _ := v.(map[string]any)
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// followUp decodes the 3.1 follow_up_requested: a customer asked to be contacted later.
func followUp(s *state) {
	who := s.actor(decode.Str(s.p, "customer_id"), "requester", "customer")
	s.summary = fmt.Sprintf("%s asked for a follow-up%s", upper(orDefault(who, "a customer")), s.inChat())
}
