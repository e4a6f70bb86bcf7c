package livechat

import (
	"fmt"
	"sort"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// state is one delivery being decoded.
type state struct {
	in      *decode.Input
	ev      *backend.Event
	root    map[string]any
	p       any    // payload: an object for most actions, an array for auto_accesses_updated
	action  string // LiveChat action
	chat    string // conversation id
	thread  string
	disc    string // dedupe discriminator; "" means the payload hash
	users   map[string]user
	summary string
}

// handler decodes one action; it sets the summary and, where they differ from the common
// places (payload.chat_id, payload.thread_id), the conversation.
type handler func(*state)

// handlers maps each known action to its decoder (filled in init to avoid a cycle).
var handlers map[string]handler

func init() {
	handlers = map[string]handler{}
	for k, h := range chatHandlers {
		handlers[k] = h
	}
	for k, h := range eventHandlers {
		handlers[k] = h
	}
	for k, h := range configHandlers {
		handlers[k] = h
	}
}

// Decode fills ev from a LiveChat webhook.
func (vendor) Decode(in *decode.Input, ev *backend.Event) {
	root := in.Object()
	if root == nil {
		ev.Summary = "LiveChat delivery whose body is not a JSON object"
		return
	}
	s := &state{in: in, ev: ev, root: root, p: root["payload"], users: map[string]user{}}
	if family(root) != "" {
		decodeFamily(s)
		return
	}
	s.action = decode.Str(root, "action")
	ev.EventType = s.action
	ev.Organization = decode.Str(root, "organization_id")
	if ev.Organization == "" {
		ev.Organization = decode.Str(root, "license_id") // before v3.4
	}
	s.chat = decode.Str(s.p, "chat_id")
	s.thread = decode.Str(s.p, "thread_id")
	h := handlers[s.action]
	if h == nil { // an older name decodes like the one it became
		h = handlers[catalog.Canonical(s.action)]
	}
	if h != nil {
		h(s)
	} else {
		s.unknown()
	}
	if r := decode.Str(root, "requester", "user_id"); r != "" {
		s.actor(r, "requester", "")
	}
	if s.chat != "" || s.thread != "" {
		ev.Conversation = &backend.ConversationRef{ID: s.chat, ThreadID: s.thread}
	}
	ev.Summary = s.summary
	if ev.Summary == "" {
		ev.Summary = "LiveChat " + orDefault(s.action, "webhook without an action")
	}
	disc := s.disc
	if disc == "" {
		disc = decode.Hash(s.p)
	}
	ev.DedupeKey = decode.Key(Name, ev.Organization, s.action, s.chat, s.thread, disc)
}

// unknown decodes an action the catalog does not know: ids wherever they usually sit.
func (s *state) unknown() {
	p := s.p
	if s.chat == "" {
		s.chat = firstStr(p, []string{"chat", "id"}, []string{"active_chat", "chat_id"})
	}
	if s.thread == "" {
		s.thread = firstStr(p, []string{"chat", "thread", "id"}, []string{"thread", "id"}, []string{"active_chat", "thread_id"})
	}
	for _, u := range decode.List(p, "chat", "users") {
		s.learnUser(u)
	}
	for _, k := range []string{"user_id", "author_id", "agent_id"} {
		s.actor(decode.Str(p, k), "subject", "")
	}
	s.actor(decode.Str(p, "event", "author_id"), "author", "")
	s.actor(decode.Str(p, "requester_id"), "requester", "")
	s.ev.OccurredAt = decode.Time(decode.Get(p, "event", "created_at"))
	where := ""
	if s.chat != "" {
		where = " in chat " + s.chat
	}
	s.summary = fmt.Sprintf("LiveChat %s%s", orDefault(s.action, "webhook without an action"), where)
	if s.thread != "" {
		s.summary += " (thread " + s.thread + ")"
	}
}

func firstStr(doc any, paths ...[]string) string {
	for _, p := range paths {
		if v := decode.Str(doc, p...); v != "" {
			return v
		}
	}
	return ""
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// quote renders a message text for a summary: truncated, on one line, in double quotes.
func quote(text string) string {
	return `"` + decode.Truncate(text, 80) + `"`
}

// list joins up to max items with ", " and says how many more there are.
func list(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
}

// groups renders group ids: "group 19", "groups 0, 1".
func groups(ids []string) string {
	if len(ids) == 1 {
		return "group " + ids[0]
	}
	return "groups " + list(ids, 5)
}

// propertyNames lists "namespace.key" for a properties map (values: objects for updates,
// arrays of key names for deletions), sorted.
func propertyNames(props map[string]any) []string {
	var out []string
	for ns, v := range props {
		switch x := v.(type) {
		case map[string]any:
			for k := range x {
				out = append(out, ns+"."+k)
			}
		case []any:
			for _, k := range x {
				out = append(out, ns+"."+decode.String(k))
			}
		default:
			out = append(out, ns)
		}
	}
	sort.Strings(out)
	return out
}

// inChat is " in chat X" or "".
func (s *state) inChat() string {
	if s.chat == "" {
		return ""
	}
	return " in chat " + s.chat
}
