package sqlite

import (
	"strings"

	"hooklens/backend"
)

// anyVendor returns "vendor IN (?, …)" with one placeholder for every vendor an event can have
// (the registered vendors and VendorUnknown), and its arguments followed by more.
func (db *DB) anyVendor(more ...any) (string, []any) {
	names := append(db.Rules.Vendors(), backend.VendorUnknown)
	args := make([]any, 0, len(names)+len(more))
	for _, n := range names {
		args = append(args, n)
	}
	return "vendor IN (?" + strings.Repeat(", ?", len(names)-1) + ")", append(args, more...)
}

// searchWhere turns the key:value terms of a query into SQL conditions over deliveries d joined
// with events e (free text is the caller's: it drives the query from the full-text index).
// Terms that match many rows (vendor, type, status, verification) are kept off the indexes with a
// unary "+", so a page is read newest first and stops early; terms that match few rows
// (conv, agent) go through their indexes.
func (db *DB) searchWhere(q backend.Query) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	for _, t := range q.Terms {
		switch t.Key {
		case "vendor":
			add("+e.vendor = ?", strings.ToLower(t.Value))
		case "type": // every name the event type has had (Rules.Renamed)
			names := db.Rules.EventNames(t.Value)
			a := make([]any, len(names))
			for i, n := range names {
				a[i] = n
			}
			add("+e.event_type IN (?"+strings.Repeat(", ?", len(names)-1)+")", a...)
		case "conv": // every vendor named, so that the index's first column is used
			in, a := db.anyVendor(t.Value)
			add("d.seq IN (SELECT seq FROM events WHERE "+in+" AND conversation_id = ?)", a...)
		case "agent":
			in, a := db.anyVendor(t.Value)
			add("d.seq IN (SELECT seq FROM entity_agent_events WHERE "+in+" AND agent_id = ?)", a...)
		case "status":
			add("+e.status = ?", strings.ToLower(t.Value))
		case "verified":
			switch strings.ToLower(t.Value) {
			case "yes", "true":
				add("+e.verification = ?", backend.VerifyVerified)
			case "no", "false":
				add("+e.verification IN (?, ?)", backend.VerifyMismatch, backend.VerifyUnsigned)
			default:
				add("+e.verification = ?", strings.ToLower(t.Value))
			}
		case "has":
			if t.Value == "gap" {
				idle, a := db.idleConversations()
				add("(d.seq IN (SELECT seq FROM events WHERE "+gapChecks+") OR d.seq IN (SELECT last_seq FROM conversations WHERE "+idle+"))", a...)
			} else {
				add("d.seq IN (SELECT seq FROM events WHERE flag_count > 0)")
			}
		case "method":
			add("d.method = ?", strings.ToUpper(t.Value))
		case "path":
			add("substr(d.path, 1, ?) = ?", len(t.Value), t.Value)
		}
	}
	return where, args
}

// ftsMatch quotes every free-text term as an FTS5 phrase, so punctuation (emails, paths) is safe.
func ftsMatch(text []string) string {
	parts := make([]string, 0, len(text))
	for _, t := range text {
		t = strings.ReplaceAll(t, "\x00", " ") // FTS5 reads a NUL as the end of the string
		parts = append(parts, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
	}
	return strings.Join(parts, " AND ")
}

// idleConversations is the condition on conversations of a no_close check, which the timeline
// adds when it is read (it depends on the clock, Rulebook.CheckInactivity): not closed, and
// nothing in it for longer than its vendor closes inactive conversations after.
func (db *DB) idleConversations() (string, []any) {
	var or []string
	var args []any
	now := db.Now()
	for _, v := range db.Rules.Vendors() {
		if r := db.Rules.Of(v); r.InactivityClose > 0 {
			or = append(or, "(vendor = ? AND last_at < ?)")
			args = append(args, v, micro(now.Add(-r.InactivityClose)))
		}
	}
	if len(or) == 0 {
		return "0", nil
	}
	return "status != '" + backend.StatusClosed + "' AND (" + strings.Join(or, " OR ") + ")", args
}

// gapChecks is the condition on events' stored checks of has:gap: a check of an event expected
// but not seen (backend.GapChecks).
var gapChecks = func() string {
	var or []string
	for _, c := range backend.GapChecks {
		or = append(or, `instr(checks, '"code":"`+c+`"') > 0`)
	}
	return "checks != '' AND (" + strings.Join(or, " OR ") + ")"
}()
