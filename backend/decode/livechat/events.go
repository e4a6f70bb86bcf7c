package livechat

import (
	"fmt"

	"hooklens/backend/decode"
)

// eventHandlers decode the chat event actions.
var eventHandlers = map[string]handler{
	"incoming_event":                 incomingEvent,
	"event_updated":                  eventUpdated,
	"event_deleted":                  eventDeleted,
	"incoming_rich_message_postback": postback,
}

func incomingEvent(s *state) {
	e := decode.Get(s.p, "event")
	if id := decode.Str(e, "id"); id != "" {
		s.disc = "event:" + id
	}
	s.ev.OccurredAt = decode.Time(decode.Get(e, "created_at"))
	s.summary = s.describeEvent(e)
}

func eventUpdated(s *state) {
	e := decode.Get(s.p, "event")
	s.ev.OccurredAt = decode.Time(decode.Get(e, "created_at"))
	s.summary = "Updated: " + s.describeEvent(e)
}

func eventDeleted(s *state) {
	id := decode.Str(s.p, "event_id")
	if id != "" {
		s.disc = "event:" + id
	}
	s.summary = fmt.Sprintf("Event %s deleted from chat %s", orDefault(id, "?"), orDefault(s.chat, "?"))
	if s.thread != "" {
		s.summary += " thread " + s.thread
	}
}

func postback(s *state) {
	who := s.actor(decode.Str(s.p, "user_id"), "author", "")
	pb := decode.Get(s.p, "postback")
	verb := "clicked"
	if t, ok := decode.Get(pb, "toggled").(bool); ok && !t {
		verb = "unselected"
	}
	s.summary = fmt.Sprintf("%s %s %q on event %s in chat %s", upper(orDefault(who, "a user")), verb,
		decode.Truncate(decode.Str(pb, "id"), 60), orDefault(decode.Str(s.p, "event_id"), "?"), orDefault(s.chat, "?"))
	if v := decode.Str(pb, "button_value"); v != "" {
		s.summary += " (" + quote(v) + ")"
	}
}

// describeEvent adds the author of the Event object e and says what it is, in one line.
func (s *state) describeEvent(e any) string {
	typ := decode.Str(e, "type")
	var who string
	if typ == "system_message" || typ == "system" {
		who = s.system()
	} else {
		who = s.actor(decode.Str(e, "author_id"), "author", "")
	}
	who = upper(orDefault(who, "someone"))
	where := s.inChat()
	if v := decode.Str(e, "visibility"); v == "agents" {
		where += " (agents only)"
	}
	switch typ {
	case "message":
		if pb := decode.Str(e, "postback", "value"); pb != "" && decode.Str(e, "text") == "" {
			return fmt.Sprintf("%s answered%s with %s", who, where, quote(pb))
		}
		return fmt.Sprintf("%s wrote%s: %s", who, where, quote(decode.Str(e, "text")))
	case "file":
		f := fmt.Sprintf("%s sent file %s%s", who, quote(decode.Str(e, "name")), where)
		if ct := decode.Str(e, "content_type"); ct != "" {
			f += " (" + ct + ")"
		}
		return f
	case "rich_message":
		title := ""
		for _, el := range decode.List(e, "elements") {
			if t := decode.Str(el, "title"); t != "" {
				title = ": " + quote(t)
				break
			}
		}
		return fmt.Sprintf("%s sent a %s rich message%s%s", who, orDefault(decode.Str(e, "template_id"), "rich"), where, title)
	case "filled_form":
		return fmt.Sprintf("%s filled %s%s", who, formPhrase(e), where)
	case "form":
		return fmt.Sprintf("%s sent %s to fill in%s", who, formPhrase(e), where)
	case "custom":
		return fmt.Sprintf("%s sent a custom event%s", who, where)
	case "system_message":
		text := decode.Str(e, "text")
		if text == "" {
			text = decode.Str(e, "system_message_type")
		}
		return fmt.Sprintf("System message%s: %s", where, quote(text))
	case "system":
		return fmt.Sprintf("System event %s/%s%s", orDefault(decode.Str(e, "source"), "?"), orDefault(decode.Str(e, "subtype"), "?"), where)
	case "":
		return fmt.Sprintf("%s sent an event%s", who, where)
	}
	return fmt.Sprintf("%s sent a %s event%s", who, typ, where)
}

// formPhrase names the form an event carries: "the prechat form" from form_type (or
// properties.lc2.form_type), else "a form".
func formPhrase(e any) string {
	t := decode.Str(e, "form_type")
	if t == "" {
		t = decode.Str(e, "properties", "lc2", "form_type")
	}
	if t == "" {
		return "a form"
	}
	return "the " + decode.Truncate(t, 40) + " form"
}
