package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"hooklens/backend"
)

// Window sizes of timelines and entity lists.
const (
	defaultTimelineLimit = 1000
	maxTimelineLimit     = 10000
	defaultListLimit     = 100
	maxListLimit         = 1000
)

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func listLimit(n int) int {
	if n <= 0 {
		return defaultListLimit
	}
	return min(n, maxListLimit)
}

func timelineLimit(n int) int {
	if n <= 0 {
		return defaultTimelineLimit
	}
	return min(n, maxTimelineLimit)
}

// formatCursor and parseCursor encode a position in an ordered list: a time and a tie-breaker.
func formatCursor(at, id int64) string {
	return strconv.FormatInt(at, 36) + "." + strconv.FormatInt(id, 36)
}

func parseCursor(s string) (int64, int64, error) {
	a, b, ok := strings.Cut(s, ".")
	at, err1 := strconv.ParseInt(a, 36, 64)
	id, err2 := strconv.ParseInt(b, 36, 64)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, backend.Errorf(backend.EINVALID, "cursor %q is not valid", s)
	}
	return at, id, nil
}

// itemColumns are the columns scanItem reads, over entity_events x.
const itemColumns = `x.seq, x.t, x.received_at, x.timed, x.flag_count, x.delivery_id, x.duplicate_id, x.vendor,
	x.conversation_id, x.thread_id, x.event_type, x.status, x.status_of, x.verification, x.verify_reason, x.summary, x.actors`

func scanItem(sc scanner) (backend.TimelineItem, int64, error) {
	var it backend.TimelineItem
	var t, received int64
	var timed bool
	var actors string
	if err := sc.Scan(&it.Seq, &t, &received, &timed, &it.FlagCount, &it.DeliveryID, &it.DuplicateOf, &it.Vendor,
		&it.Conversation, &it.ThreadID, &it.EventType, &it.Status, &it.StatusOf, &it.Verification.Status,
		&it.Verification.Reason, &it.Summary, &actors); err != nil {
		return it, 0, err
	}
	it.ReceivedAt = fromMicros(received)
	if timed {
		at := fromMicros(t)
		it.OccurredAt = &at
	}
	var refs []actorRef
	_ = json.Unmarshal([]byte(actors), &refs)
	it.Actors = make([]backend.Actor, len(refs))
	for i, r := range refs {
		it.Actors[i] = backend.Actor{ID: r[0], Kind: r[1], Role: r[2], Name: r[3], Email: r[4]}
	}
	return it, t, nil
}

// window reads up to limit items after the cursor from `from` (which binds args), ordered by
// the columns order ("x.t, x.seq" or the agent's), and the cursor of the next window.
func window(ctx context.Context, q queryer, from, order, cursor string, limit int, args ...any) ([]backend.TimelineItem, string, error) {
	if cursor != "" {
		at, seq, err := parseCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		from, args = from+` AND (`+order+`) > (?, ?)`, append(args, at, seq)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+itemColumns+` `+from+` ORDER BY `+order+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("timeline: %w", err)
	}
	defer rows.Close()
	items := []backend.TimelineItem{}
	var ts []int64
	for rows.Next() {
		it, t, err := scanItem(rows)
		if err != nil {
			return nil, "", fmt.Errorf("timeline: %w", err)
		}
		items, ts = append(items, it), append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("timeline: %w", err)
	}
	if len(items) > limit {
		return items[:limit], formatCursor(ts[limit-1], items[limit-1].Seq), nil
	}
	return items, "", nil
}

// ConversationTimeline returns the conversation and a window of its events (retries included)
// in the order they happened, with their lifecycle checks, which always consider the whole
// conversation. It returns ENOTFOUND when there is no such conversation, EINVALID for a bad cursor.
func (db *DB) ConversationTimeline(ctx context.Context, vendor, id string, f backend.TimelineFilter) (*backend.Timeline, error) {
	tx, err := db.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	defer tx.Rollback()
	conv, err := findConversation(ctx, tx, vendor, id)
	if err != nil {
		return nil, err
	}
	items, next, err := window(ctx, tx, `FROM entity_events x WHERE x.vendor = ? AND x.conversation_id = ?
		AND x.conversation_id != ''`, "x.t, x.seq", f.Cursor,
		timelineLimit(f.Limit), vendor, id)
	if err != nil {
		return nil, err
	}
	tl := &backend.Timeline{Conversation: conv, Items: items, Next: next, Total: len(items)}
	if f.Cursor == "" && next == "" { // the whole conversation is here
		backend.CheckTimeline(tl.Items)
		return tl, nil
	}
	checks, totals, err := conversationChecks(ctx, tx, vendor, []string{id})
	if err != nil {
		return nil, err
	}
	for i := range tl.Items {
		tl.Items[i].Checks = checks[tl.Items[i].Seq]
	}
	tl.Total = totals[id]
	return tl, nil
}

// AgentTimeline returns the agent and a window of the events involving it (retries included) in
// the order they happened. Items of a conversation carry the checks that conversation gives
// them; others only their own (duplicate, delivery_delay). It returns ENOTFOUND when there is no
// such agent, EINVALID for a bad cursor.
func (db *DB) AgentTimeline(ctx context.Context, vendor, id string, f backend.TimelineFilter) (*backend.Timeline, error) {
	tx, err := db.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	defer tx.Rollback()
	agent, err := findAgent(ctx, tx, vendor, id)
	if err != nil {
		return nil, err
	}
	items, next, err := window(ctx, tx, `FROM entity_agent_events a JOIN entity_events x ON x.vendor = a.vendor
		AND x.conversation_id = a.conversation_id AND x.t = a.t AND +x.seq = a.seq WHERE a.vendor = ? AND a.agent_id = ?`, "a.t, a.seq", f.Cursor,
		timelineLimit(f.Limit), vendor, id)
	if err != nil {
		return nil, err
	}
	tl := &backend.Timeline{Agent: agent, Items: items, Next: next, Total: len(items)}
	if f.Cursor != "" || next != "" {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entity_agent_events WHERE vendor = ? AND agent_id = ?`,
			vendor, id).Scan(&tl.Total); err != nil {
			return nil, fmt.Errorf("timeline: %w", err)
		}
	}
	var convs []string
	for _, it := range items {
		if it.Conversation != "" && !contains(convs, it.Conversation) {
			convs = append(convs, it.Conversation)
		}
	}
	checks, _, err := conversationChecks(ctx, tx, vendor, convs)
	if err != nil {
		return nil, err
	}
	for i := range tl.Items {
		if it := &tl.Items[i]; it.Conversation != "" {
			it.Checks = checks[it.Seq]
		} else {
			backend.CheckItem(it)
		}
	}
	return tl, nil
}

// conversationChecks computes the lifecycle checks of every event of the conversations convs
// from entity_events alone, by seq, and how many events each conversation has.
func conversationChecks(ctx context.Context, q queryer, vendor string, convs []string) (map[int64][]backend.Check, map[string]int, error) {
	checks, totals := map[int64][]backend.Check{}, map[string]int{}
	if len(convs) == 0 {
		return checks, totals, nil
	}
	ids, _ := json.Marshal(convs)
	rows, err := q.QueryContext(ctx, `SELECT seq, t, timed, received_at, delivery_id, duplicate_id, conversation_id,
		thread_id, event_type, status, status_of FROM entity_events
		WHERE vendor = ? AND conversation_id IN (SELECT value FROM json_each(?)) AND conversation_id != ''
		ORDER BY conversation_id, t, seq`, vendor, string(ids))
	if err != nil {
		return nil, nil, fmt.Errorf("timeline checks: %w", err)
	}
	defer rows.Close()
	var group []backend.TimelineItem
	flush := func() {
		backend.CheckTimeline(group)
		for _, it := range group {
			checks[it.Seq] = it.Checks
		}
		group = group[:0]
	}
	for rows.Next() {
		it := backend.TimelineItem{Vendor: vendor}
		var t, received int64
		var timed bool
		if err := rows.Scan(&it.Seq, &t, &timed, &received, &it.DeliveryID, &it.DuplicateOf, &it.Conversation,
			&it.ThreadID, &it.EventType, &it.Status, &it.StatusOf); err != nil {
			return nil, nil, fmt.Errorf("timeline checks: %w", err)
		}
		it.ReceivedAt = fromMicros(received)
		if timed {
			at := fromMicros(t)
			it.OccurredAt = &at
		}
		if len(group) > 0 && group[0].Conversation != it.Conversation {
			flush()
		}
		group = append(group, it)
		totals[it.Conversation]++
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("timeline checks: %w", err)
	}
	flush()
	return checks, totals, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// entitySearch builds the WHERE clause of a conversation or agent listing.
type entitySearch struct {
	vendor, status, id string   // columns
	text               []string // columns free text is looked for in
	textExists         string   // a subquery that also matches free text, one ? per pattern
	agent, conv        string   // conditions of agent: and conv:, one ? each
	events             string   // EXISTS over the entity's events; %s takes the event conditions
	where              []string
	args               []any
}

func (s *entitySearch) add(cond string, args ...any) {
	s.where, s.args = append(s.where, cond), append(s.args, args...)
}

func (s *entitySearch) whereSQL() string {
	if len(s.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(s.where, " AND ")
}

// build adds the filters, the parsed query and the cursor, a position in (at, id) order.
func (s *entitySearch) build(vendor, status, query, cursor, position string) error {
	if vendor != "" {
		s.add(s.vendor+" = ?", strings.ToLower(vendor))
	}
	if status != "" {
		s.add(s.status+" = ?", strings.ToLower(status))
	}
	if cursor != "" {
		at, id, err := parseCursor(cursor)
		if err != nil {
			return err
		}
		s.add(position+" < (?, ?)", at, id)
	}
	q, err := backend.ParseQuery(query)
	if err != nil {
		return err
	}
	var events []backend.Term
	for _, t := range q.Terms {
		switch t.Key {
		case "vendor":
			s.add(s.vendor+" = ?", strings.ToLower(t.Value))
		case "status":
			s.add(s.status+" = ?", strings.ToLower(t.Value))
		case "agent":
			s.add(s.agent, t.Value)
		case "conv":
			s.add(s.conv, t.Value)
		case "":
			s.addText(likePattern(t.Value))
		default:
			events = append(events, t)
		}
	}
	if len(events) > 0 {
		w, a := searchWhere(backend.Query{Terms: events})
		s.add(fmt.Sprintf(s.events, strings.Join(w, " AND ")), a...)
	}
	return nil
}

func (s *entitySearch) addText(pattern string) {
	var ors []string
	var args []any
	for _, col := range s.text {
		ors, args = append(ors, col+` LIKE ? ESCAPE '\'`), append(args, pattern)
	}
	if s.textExists != "" {
		ors = append(ors, "EXISTS ("+s.textExists+")")
		for range strings.Count(s.textExists, "?") {
			args = append(args, pattern)
		}
	}
	s.add("("+strings.Join(ors, " OR ")+")", args...)
}

var _ backend.TimelineReader = (*DB)(nil)
