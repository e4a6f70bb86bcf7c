package livechat

import (
	"fmt"
	"sort"
	"strings"

	"hooklens/backend/decode"
)

// configHandlers decode the configuration actions (agents, bots, groups, tags, auto access).
var configHandlers = map[string]handler{
	"agent_created":         agentChanged("created"),
	"agent_updated":         agentChanged("updated"),
	"agent_approved":        agentChanged("approved"),
	"agent_suspended":       agentChanged("suspended"),
	"agent_unsuspended":     agentChanged("unsuspended"),
	"agent_deleted":         agentChanged("deleted"),
	"bot_created":           botChanged("created"),
	"bot_updated":           botChanged("updated"),
	"bot_deleted":           botChanged("deleted"),
	"group_created":         groupChanged("created"),
	"group_updated":         groupChanged("updated"),
	"group_deleted":         groupChanged("deleted"),
	"tag_created":           tagChanged("created"),
	"tag_updated":           tagChanged("updated"),
	"tag_deleted":           tagChanged("deleted"),
	"auto_accesses_updated": autoAccesses,
	"auto_access_added":     autoAccess("added"),
	"auto_access_updated":   autoAccess("updated"),
	"auto_access_deleted":   autoAccess("deleted"),
}

// agentStatus is the account status an agent_* action implies.
var agentStatus = map[string]string{
	"approved": "active", "unsuspended": "active", "suspended": "suspended", "deleted": "deleted",
}

func agentChanged(verb string) handler {
	return func(s *state) {
		id := firstStr(s.p, []string{"id"}, []string{"agent_id"}) // agent_id before 3.4
		s.users[id] = user{typ: "agent", name: decode.Str(s.p, "name")}
		who := s.actor(id, "subject", "")
		if st := agentStatus[verb]; st != "" {
			s.ev.Status, s.ev.StatusOf = st, "agent"
		}
		s.summary = fmt.Sprintf("%s %s", upper(orDefault(who, "an agent")), verb)
		if n := decode.Str(s.p, "name"); n != "" && verb == "created" {
			s.summary = fmt.Sprintf("Agent %s (%s) created", orDefault(id, "?"), decode.Truncate(n, 40))
		}
		if r := decode.Str(s.p, "role"); r != "" && verb == "created" {
			s.summary += " as " + r
		}
		if verb == "updated" {
			s.summary += changed(s.p)
		}
	}
}

func botChanged(verb string) handler {
	return func(s *state) {
		id := decode.Str(s.p, "id")
		s.users[id] = user{typ: "bot", name: decode.Str(s.p, "name")}
		who := s.actor(id, "subject", "bot")
		s.summary = fmt.Sprintf("%s %s", upper(orDefault(who, "a bot")), verb)
		if verb == "updated" {
			s.summary += changed(s.p)
		}
	}
}

func groupChanged(verb string) handler {
	return func(s *state) {
		s.summary = "Group " + orDefault(decode.Str(s.p, "id"), "?")
		if n := decode.Str(s.p, "name"); n != "" {
			s.summary += fmt.Sprintf(" %q", decode.Truncate(n, 40))
		}
		s.summary += " " + verb
		if verb == "updated" {
			s.summary += changed(s.p)
		}
		prios := decode.Obj(s.p, "agent_priorities")
		ids := make([]string, 0, len(prios))
		for id := range prios {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			s.actor(id, "member", "")
		}
		if len(ids) > 0 {
			s.summary += fmt.Sprintf(", %d %s", len(ids), plural(len(ids), "agent", "agents"))
		}
	}
}

func tagChanged(verb string) handler {
	return func(s *state) {
		name := decode.Str(s.p, "name")
		s.summary = fmt.Sprintf("Tag %q %s", decode.Truncate(name, 40), verb)
		if by := s.actor(decode.Str(s.p, "author_id"), "author", ""); by != "" {
			s.summary += " by " + by
		}
		if g := decode.Strings(s.p, "group_ids"); len(g) > 0 {
			s.summary += " for " + groups(g)
		}
		s.ev.OccurredAt = decode.Time(decode.Get(s.p, "created_at"))
	}
}

// autoAccesses decodes auto_accesses_updated, whose payload is a list of rule changes.
func autoAccesses(s *state) {
	rules, ok := s.p.([]any)
	if !ok {
		s.summary = "Auto access rules changed (payload is not a list)"
		return
	}
	s.summary = "Auto access rules changed: " + ruleChanges(rules)
}

// ruleChanges counts the rules of a list by status: "1 added, 2 updated".
func ruleChanges(rules []any) string {
	counts := map[string]int{}
	var order []string
	for _, r := range rules {
		st := orDefault(decode.Str(r, "status"), "changed")
		if counts[st] == 0 {
			order = append(order, st)
		}
		counts[st]++
	}
	var parts []string
	for _, st := range order {
		parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
	}
	return orDefault(strings.Join(parts, ", "), "none")
}

// autoAccess decodes the historic auto_access_* actions (merged into auto_accesses_updated in
// v3.5): one rule object. The documentation's auto_accesses_updated sample is labelled
// auto_access_added but carries a list; that is decoded as a list of changes.
func autoAccess(verb string) handler {
	return func(s *state) {
		if rules, ok := s.p.([]any); ok {
			s.summary = "Auto access rules changed: " + ruleChanges(rules)
			return
		}
		s.summary = fmt.Sprintf("Auto access rule %s %s", orDefault(decode.Str(s.p, "id"), "?"), verb)
		if d := decode.Str(s.p, "description"); d != "" {
			s.summary += ": " + quote(d)
		}
	}
}

// changed lists the fields an update carries besides id: ": name, work_scheduler".
func changed(p any) string {
	var ks []string
	for _, k := range sortedKeys(p) {
		if k != "id" {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return ""
	}
	return ": " + list(ks, 4)
}
