package livechat

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"hooklens/backend"
	"hooklens/backend/decode"
)

var (
	uuidRe  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	botIDRe = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
)

// user is what a payload tells about one user (from chat.users[] or payload.user).
type user struct {
	typ, name, email string
}

// kindOf classifies a LiveChat user id. A type known from the payload wins (an "agent" with
// a 32-hex id is a bot); else an email is an agent, a UUID a customer, 32 hex characters a bot.
func kindOf(id, typ string) string {
	switch typ {
	case "customer":
		return backend.KindCustomer
	case "agent":
		if botIDRe.MatchString(id) {
			return backend.KindBot
		}
		return backend.KindAgent
	case "bot":
		return backend.KindBot
	}
	switch {
	case strings.Contains(id, "@"):
		return backend.KindAgent
	case uuidRe.MatchString(id):
		return backend.KindCustomer
	case botIDRe.MatchString(id):
		return backend.KindBot
	}
	return backend.KindAgent
}

// learnUser records what u (a User object) says about its id.
func (s *state) learnUser(u any) {
	id := decode.Str(u, "id")
	if id == "" {
		return
	}
	s.users[id] = user{typ: decode.Str(u, "type"), name: decode.Str(u, "name"), email: decode.Str(u, "email")}
}

// actor adds id in role (typ is the user type when the payload states it) and returns its
// label for a summary ("agent smith@example.com", "customer Jane (b7ee…)").
func (s *state) actor(id, role, typ string) string {
	if id == "" {
		return ""
	}
	u := s.users[id]
	if typ == "" {
		typ = u.typ
	}
	a := backend.Actor{ID: id, Kind: kindOf(id, typ), Role: role, Name: u.name, Email: u.email}
	if a.Kind == backend.KindAgent && a.Email == "" && strings.Contains(id, "@") {
		a.Email = id
	}
	s.ev.Actors = decode.AddActor(s.ev.Actors, a)
	return label(a)
}

// system adds the system as author and returns its label.
func (s *state) system() string {
	s.ev.Actors = decode.AddActor(s.ev.Actors, backend.Actor{ID: "system", Kind: backend.KindSystem, Role: "author"})
	return "system"
}

// label names an actor for a summary, starting in lower case.
func label(a backend.Actor) string {
	switch a.Kind {
	case backend.KindCustomer:
		if a.Name != "" {
			return "customer " + decode.Truncate(a.Name, 40) + " (" + decode.Short(a.ID, 4) + ")"
		}
		return "customer " + decode.Short(a.ID, 8)
	case backend.KindBot:
		if a.Name != "" {
			return "bot " + decode.Truncate(a.Name, 40) + " (" + decode.Short(a.ID, 4) + ")"
		}
		return "bot " + decode.Short(a.ID, 8)
	case backend.KindSystem:
		return "system"
	}
	return "agent " + decode.Truncate(a.ID, 80)
}

// upper capitalizes the first letter of a label that starts a sentence.
func upper(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
