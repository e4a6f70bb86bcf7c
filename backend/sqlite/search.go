package sqlite

import (
	"strings"

	"hooklens/backend"
)

// searchWhere turns a parsed query into SQL conditions over deliveries d joined with events e.
func searchWhere(q backend.Query) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	for _, t := range q.Terms {
		switch t.Key {
		case "vendor":
			add("e.vendor = ?", strings.ToLower(t.Value))
		case "type":
			add("e.event_type = ?", t.Value)
		case "conv":
			add("e.conversation_id = ?", t.Value)
		case "agent":
			add("EXISTS (SELECT 1 FROM event_actors a WHERE a.actor_id = ? AND a.seq = d.seq)", t.Value)
		case "status":
			add("e.status = ?", strings.ToLower(t.Value))
		case "verified":
			switch strings.ToLower(t.Value) {
			case "yes", "true":
				add("e.verification = ?", backend.VerifyVerified)
			case "no", "false":
				add("e.verification IN (?, ?)", backend.VerifyMismatch, backend.VerifyUnsigned)
			default:
				add("e.verification = ?", strings.ToLower(t.Value))
			}
		case "has":
			add("e.flag_count > 0")
		case "method":
			add("d.method = ?", strings.ToUpper(t.Value))
		case "path":
			add("substr(d.path, 1, ?) = ?", len(t.Value), t.Value)
		}
	}
	if text := q.Text(); len(text) > 0 {
		add("d.seq IN (SELECT rowid FROM search WHERE search MATCH ?)", ftsMatch(text))
	}
	return where, args
}

// ftsMatch quotes every free-text term as an FTS5 phrase, so punctuation (emails, paths) is safe.
func ftsMatch(text []string) string {
	parts := make([]string, 0, len(text))
	for _, t := range text {
		parts = append(parts, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
	}
	return strings.Join(parts, " AND ")
}
