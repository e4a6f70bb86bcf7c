package livechat

import (
	"fmt"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// family tells a body of a separate LiveChat format: "app" for a Developer Console app webhook
// (event + applicationID + a license or organization), "v2" for the retired REST-era format
// (event_type + license_id + a token, an event id or chat/visitor data), "" for the main line.
func family(root map[string]any) string {
	if root == nil {
		return ""
	}
	if _, ok := root["action"]; ok {
		return ""
	}
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := root[k]; ok {
				return true
			}
		}
		return false
	}
	if _, ok := root["event"].(string); ok && has("applicationID") && has("licenseID", "organizationID", "clientID") {
		return "app"
	}
	if _, ok := root["event_type"].(string); ok && has("license_id") && has("token", "event_unique_id", "lc_version", "chat", "visitor", "ticket") {
		return "v2"
	}
	return ""
}

// familyUnsigned says why a body of a separate format is not verified.
var familyUnsigned = map[string]string{
	"app": "LiveChat app webhooks carry no secret_key",
	"v2":  "the retired v2 format carries no secret_key",
}

// decodeFamily decodes an app webhook or a v2 body.
func decodeFamily(s *state) {
	root, ev := s.root, s.ev
	if family(root) == "app" {
		appWebhook(s)
	} else {
		v2Webhook(s)
	}
	if s.chat != "" {
		ev.Conversation = &backend.ConversationRef{ID: s.chat}
	}
	ev.Summary = s.summary
	disc := decode.Str(root, "event_unique_id")
	if disc == "" {
		disc = decode.Hash(root)
	}
	ev.DedupeKey = decode.Key(Name, ev.Organization, ev.EventType, s.chat, "", disc)
}

// appVerbs say what each app webhook means, for its summary.
var appVerbs = map[string]string{
	"application_installed":   "installed",
	"application_uninstalled": "uninstalled",
	"payment_trialstarted":    "trial started",
	"payment_activated":       "payment activated",
	"payment_collected":       "payment collected",
	"payment_cancelled":       "payment cancelled",
}

func appWebhook(s *state) {
	root, ev := s.root, s.ev
	ev.EventType = decode.Str(root, "event")
	ev.Organization = firstStr(root, []string{"organizationID"}, []string{"licenseID"})
	ev.OccurredAt = decode.Time(decode.Get(root, "date"))
	app := firstStr(root, []string{"applicationName"}, []string{"applicationID"})
	if u := decode.Str(root, "userID"); u != "" {
		s.actor(u, "author", "agent")
	}
	verb := appVerbs[ev.EventType]
	if verb == "" {
		verb = ev.EventType
	}
	s.summary = fmt.Sprintf("App %q: %s", decode.Truncate(orDefault(app, "?"), 60), verb)
	if lic := decode.Str(root, "licenseID"); lic != "" {
		s.summary += " (license " + lic + ")"
	}
	if id := decode.Str(root, "payload", "paymentID"); id != "" {
		s.summary += ", payment " + decode.Short(id, 8)
	}
	if t := decode.Str(root, "payload", "total"); t != "" {
		s.summary += ", total " + t
	}
}

// v2Verbs say what each v2 event type means, for its summary.
var v2Verbs = map[string]string{
	"chat_started":            "started",
	"chat_ended":              "ended",
	"chat_changed":            "tagged",
	"visitor_queued":          "queued",
	"ticket_created":          "ticket created",
	"canned_response_changed": "canned response changed",
}

func v2Webhook(s *state) {
	root, ev := s.root, s.ev
	ev.EventType = decode.Str(root, "event_type")
	ev.Organization = decode.Str(root, "license_id")
	chat := decode.Get(root, "chat")
	s.chat = decode.Str(chat, "id")
	vis := decode.Get(root, "visitor")
	if id := decode.Str(vis, "id"); id != "" {
		s.users[id] = user{typ: "customer", name: decode.Str(vis, "name"), email: decode.Str(vis, "email")}
	}
	who := s.actor(decode.Str(vis, "id"), "requester", "customer")
	var agents []string
	for _, a := range decode.List(chat, "agents") {
		id := decode.Str(a, "login")
		s.users[id] = user{typ: "agent", name: decode.Str(a, "name"), email: id}
		agents = append(agents, s.actor(id, "assignee", "agent"))
	}
	switch ev.EventType {
	case "chat_ended":
		ev.Status, ev.StatusOf = "closed", "conversation"
		ev.OccurredAt = unixTime(decode.Get(chat, "ended_timestamp"))
	case "chat_started":
		ev.Status, ev.StatusOf = "open", "conversation"
		ev.OccurredAt = unixTime(decode.Get(chat, "started_timestamp"))
	}
	verb := v2Verbs[ev.EventType]
	if verb == "" {
		verb = ev.EventType
	}
	switch {
	case s.chat != "":
		s.summary = fmt.Sprintf("v2: chat %s %s", s.chat, verb)
		if who != "" {
			s.summary += " — " + who
		}
		if len(agents) > 0 {
			s.summary += " with " + list(agents, 3)
		}
	case ev.EventType == "ticket_created":
		s.summary = fmt.Sprintf("v2: ticket %s created", orDefault(decode.Str(root, "ticket", "id"), "?"))
		if sub := decode.Str(root, "ticket", "subject"); sub != "" {
			s.summary += ": " + quote(sub)
		}
	default:
		s.summary = "v2: " + verb
		if who != "" {
			s.summary += " — " + who
		}
	}
}

// unixTime reads Unix seconds (a number or a numeric string).
func unixTime(v any) *time.Time {
	var n int64
	if _, err := fmt.Sscan(decode.String(v), &n); err != nil || n <= 0 {
		return nil
	}
	t := time.Unix(n, 0).UTC()
	return &t
}
