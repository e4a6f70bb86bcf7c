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
	// A timeline's first window is small enough to answer at once on a big store (a busy agent's
	// events are spread over every conversation it took part in); the rest is paged.
	defaultTimelineLimit = 200
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

// itemColumns are the columns scanItem reads, over events x joined by itemJoins.
const itemColumns = `x.seq, x.t, x.received_at, x.occurred_at IS NOT NULL, x.flag_count, x.delivery_id, coalesce(f.delivery_id, ''),
	x.vendor, x.conversation_id, x.thread_id, x.event_type, x.status, ` + itemStatusOf + `,
	x.verification, x.verify_reason, x.summary, x.actors, x.checks, ` + itemFirstAnswer

// itemFirstAnswer is the status Hooklens answered the first delivery of a retry with (0 for others).
const itemFirstAnswer = `coalesce((SELECT status FROM deliveries WHERE seq = x.duplicate_of), 0)`

// itemStatusOf is what an item's status is of: nothing when it implies no status.
const itemStatusOf = `CASE WHEN x.status = '' THEN '' ELSE x.status_of END`

// itemJoins add to events x the first event of a retry.
const itemJoins = `LEFT JOIN events f ON f.seq = x.duplicate_of`

func scanItem(sc scanner) (backend.TimelineItem, int64, error) {
	var it backend.TimelineItem
	var t, received int64
	var timed bool
	var actors, checks string
	if err := sc.Scan(&it.Seq, &t, &received, &timed, &it.FlagCount, &it.DeliveryID, &it.DuplicateOf, &it.Vendor,
		&it.Conversation, &it.ThreadID, &it.EventType, &it.Status, &it.StatusOf, &it.Verification.Status,
		&it.Verification.Reason, &it.Summary, &actors, &checks, &it.FirstAnswer); err != nil {
		return it, 0, err
	}
	it.Checks = decodeChecks(checks)
	it.ReceivedAt = fromMicros(received)
	if timed {
		at := fromMicros(t)
		it.OccurredAt = &at
	}
	it.Actors = distinctActors(decodeActors(actors))
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
	// Room for a whole window up front (up to a thousand items): growing the slice item by item
	// copied the items over and over, an eighth of the time of a 1,000-event answer.
	items := make([]backend.TimelineItem, 0, min(limit, 1000)+1)
	var lastAt int64 // when the window's last item happened: the next window's cursor
	for rows.Next() {
		it, t, err := scanItem(rows)
		if err != nil {
			return nil, "", fmt.Errorf("timeline: %w", err)
		}
		if len(items) == limit-1 {
			lastAt = t
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("timeline: %w", err)
	}
	if len(items) > limit {
		return items[:limit], formatCursor(lastAt, items[limit-1].Seq), nil
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
	items, next, err := window(ctx, tx, `FROM events x `+itemJoins+` WHERE x.vendor = ? AND x.conversation_id = ?
		AND x.conversation_id != '' AND x.t IS NOT NULL`, "x.t, x.seq", f.Cursor, timelineLimit(f.Limit), vendor, id)
	if err != nil {
		return nil, err
	}
	tl := &backend.Timeline{Conversation: conv, Items: items, Next: next, Total: len(items)}
	stale, err := staleConversations(ctx, tx, vendor, []string{id})
	whole := f.Cursor == "" && next == ""
	switch {
	case err != nil:
	case whole && len(stale) > 0:
		db.Rules.CheckTimeline(tl.Items)
		err = explainRetryOnly(ctx, tx, db.Rules, tl.Items)
	case len(stale) > 0:
		err = recheck(ctx, tx, db.Rules, vendor, stale, tl.Items)
	}
	if err == nil && !whole {
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE vendor = ? AND conversation_id = ?
			AND conversation_id != '' AND t IS NOT NULL`, vendor, id).Scan(&tl.Total)
	}
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	if next == "" && len(tl.Items) > 0 {
		db.Rules.CheckInactivity(conv, tl.Items, db.Now())
	}
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
	items, next, err := window(ctx, tx, `FROM entity_agent_events a JOIN events x ON x.seq = a.seq `+itemJoins+`
		WHERE a.vendor = ? AND a.agent_id = ?`, "a.t, a.seq", f.Cursor,
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
	stale, err := staleConversations(ctx, tx, vendor, convs)
	if err == nil {
		err = recheck(ctx, tx, db.Rules, vendor, stale, tl.Items)
	}
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	return tl, nil
}

// staleConversations returns those of convs whose stored checks are out of date.
func staleConversations(ctx context.Context, q queryer, vendor string, convs []string) ([]string, error) {
	if len(convs) == 0 {
		return nil, nil
	}
	ids, _ := json.Marshal(convs)
	rows, err := q.QueryContext(ctx, `SELECT external_id FROM conversations WHERE vendor = ? AND checks_stale = 1
		AND external_id IN (SELECT value FROM json_each(?))`, vendor, string(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// recheck sets the checks of the items of the conversations convs by computing them over each
// whole conversation.
func recheck(ctx context.Context, q queryer, rules *backend.Rulebook, vendor string, convs []string, items []backend.TimelineItem) error {
	if len(convs) == 0 {
		return nil
	}
	all, _, err := loadCheckItems(ctx, q, vendor, convs)
	if err != nil {
		return err
	}
	for rest := all; len(rest) > 0; {
		n := 1
		for n < len(rest) && rest[n].Conversation == rest[0].Conversation {
			n++
		}
		rules.CheckTimeline(rest[:n])
		rest = rest[n:]
	}
	if err := explainRetryOnly(ctx, q, rules, all); err != nil {
		return err
	}
	checks := make(map[int64][]backend.Check, len(all))
	for _, it := range all {
		checks[it.Seq] = it.Checks
	}
	for i := range items {
		if c, ok := checks[items[i].Seq]; ok {
			items[i].Checks = c
		}
	}
	return nil
}

// loadCheckItems reads what the checks need of every event of the conversations convs, ordered
// by conversation then timeline, and the checks stored with each.
func loadCheckItems(ctx context.Context, q queryer, vendor string, convs []string) ([]backend.TimelineItem, []string, error) {
	ids, _ := json.Marshal(convs)
	rows, err := q.QueryContext(ctx, `SELECT x.seq, x.t, x.occurred_at IS NOT NULL, x.received_at, x.delivery_id, coalesce(f.delivery_id, ''),
		x.conversation_id, x.thread_id, x.event_type, x.status, `+itemStatusOf+`, x.checks, `+itemFirstAnswer+`
		FROM events x `+itemJoins+`
		WHERE x.vendor = ? AND x.conversation_id IN (SELECT value FROM json_each(?)) AND x.conversation_id != ''
		AND x.t IS NOT NULL ORDER BY x.conversation_id, x.t, x.seq`, vendor, string(ids))
	if err != nil {
		return nil, nil, fmt.Errorf("timeline checks: %w", err)
	}
	defer rows.Close()
	var items []backend.TimelineItem
	var stored []string
	for rows.Next() {
		it := backend.TimelineItem{Vendor: vendor}
		var t, received int64
		var timed bool
		var checks string
		if err := rows.Scan(&it.Seq, &t, &timed, &received, &it.DeliveryID, &it.DuplicateOf, &it.Conversation,
			&it.ThreadID, &it.EventType, &it.Status, &it.StatusOf, &checks, &it.FirstAnswer); err != nil {
			return nil, nil, fmt.Errorf("timeline checks: %w", err)
		}
		it.ReceivedAt = fromMicros(received)
		if timed {
			at := fromMicros(t)
			it.OccurredAt = &at
		}
		items, stored = append(items, it), append(stored, checks)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("timeline checks: %w", err)
	}
	return items, stored, nil
}

// convTail is what a conversation was before an event was added to it.
type convTail struct {
	stale  bool
	maxSeq int64
	state  backend.Lifecycle
	lastT  sql.NullInt64 // time of its last event
}

func loadTail(w *entityTx, vendor, conv string) convTail {
	var t convTail
	var state string
	err := w.queryRow(`SELECT checks_stale, max_seq, checks_state, (SELECT t FROM events WHERE vendor = ?1
		AND conversation_id = ?2 AND conversation_id != '' AND t IS NOT NULL ORDER BY t DESC, seq DESC LIMIT 1)
		FROM conversations WHERE vendor = ?1 AND external_id = ?2`, vendor, conv).Scan(&t.stale, &t.maxSeq, &state, &t.lastT)
	if err != sql.ErrNoRows && !w.fail(err) && state != "" && json.Unmarshal([]byte(state), &t.state) != nil {
		t.stale = true
	}
	return t
}

// storeChecks keeps the stored checks current once c is added. An event appended at the end of
// its conversation (latest both in time and in arrival) can change no other event's checks: it is
// checked on its own from the stored lifecycle state. Any other addition marks the conversation
// stale; the next append to a stale conversation checks it all again.
func storeChecks(w *entityTx, c *contribution, tail convTail) {
	it := c.item()
	var first *backend.TimelineItem
	if c.dupOf != 0 {
		var received int64
		err := w.queryRow(`SELECT received_at, coalesce((SELECT status FROM deliveries WHERE seq = ?1), 0) FROM events
			WHERE seq = ?1 AND vendor = ?2 AND conversation_id = ?3 AND t IS NOT NULL`,
			c.dupOf, c.vendor, c.conv).Scan(&received, &it.FirstAnswer)
		if err == nil {
			first = &backend.TimelineItem{ReceivedAt: fromMicros(received)}
		} else if err != sql.ErrNoRows {
			w.fail(err)
		}
	}
	appended := c.seq > tail.maxSeq && (!tail.lastT.Valid || c.t >= tail.lastT.Int64)
	key := []any{c.vendor, c.conv}
	switch {
	case c.conv == "":
		w.rules.CheckItem(&it, first)
		w.explainRetryOnly(&it)
		w.exec(`UPDATE events SET checks = ? WHERE seq = ?`, encodeChecks(it.Checks), c.seq)
	case appended && !tail.stale:
		w.rules.CheckItem(&it, first)
		w.explainRetryOnly(&it)
		tail.state.Step(w.rules, &it)
		state, _ := json.Marshal(tail.state)
		w.exec(`UPDATE events SET checks = ? WHERE seq = ?`, encodeChecks(it.Checks), c.seq)
		w.exec(`UPDATE conversations SET checks_state = ?, max_seq = ? WHERE vendor = ? AND external_id = ?`,
			append([]any{string(state), c.seq}, key...)...)
	case appended:
		rebuildChecks(w, c.vendor, c.conv)
	default:
		w.exec(`UPDATE conversations SET checks_stale = 1, max_seq = max(max_seq, ?) WHERE vendor = ? AND external_id = ?`,
			append([]any{c.seq}, key...)...)
	}
}

// explainRetryOnly says why, when it has a retry_only check (see the package function).
func (w *entityTx) explainRetryOnly(it *backend.TimelineItem) {
	if w.err != nil {
		return
	}
	items := []backend.TimelineItem{*it}
	if !w.fail(explainRetryOnly(context.Background(), w.tx, w.rules, items)) {
		*it = items[0]
	}
}

// rebuildChecks checks a whole conversation again and stores what changed.
func rebuildChecks(w *entityTx, vendor, conv string) {
	if w.err != nil {
		return
	}
	items, stored, err := loadCheckItems(context.Background(), w.tx, vendor, []string{conv})
	if w.fail(err) {
		return
	}
	state, _ := json.Marshal(w.rules.CheckTimeline(items))
	if w.fail(explainRetryOnly(context.Background(), w.tx, w.rules, items)) {
		return
	}
	var maxSeq int64
	for i, it := range items {
		if enc := encodeChecks(it.Checks); enc != stored[i] {
			w.exec(`UPDATE events SET checks = ? WHERE seq = ?`, enc, it.Seq)
		}
		maxSeq = max(maxSeq, it.Seq)
	}
	w.exec(`UPDATE conversations SET checks_state = ?, checks_stale = 0, max_seq = max(max_seq, ?)
		WHERE vendor = ? AND external_id = ?`, string(state), maxSeq, vendor, conv)
}

// decodeActorRefs reads events.actors ([[id, kind, role, name, email], ...] as
// json.Marshal wrote it) without encoding/json when no string holds an escape; nil when damaged.
func decodeActorRefs(s string) []actorRef {
	if s == "[]" || s == "" {
		return nil
	}
	if strings.IndexByte(s, '\\') >= 0 {
		var refs []actorRef
		_ = json.Unmarshal([]byte(s), &refs)
		return refs
	}
	refs := make([]actorRef, 0, strings.Count(s, "],"))
	rest, ok := strings.CutPrefix(s, "[")
	for ok && len(rest) > 1 {
		var r actorRef
		if rest, ok = strings.CutPrefix(rest, "["); !ok {
			break
		}
		for i := range r {
			var v string
			if rest, ok = strings.CutPrefix(rest, `"`); !ok {
				break
			}
			if v, rest, ok = strings.Cut(rest, `"`); !ok {
				break
			}
			r[i] = v
			sep := ","
			if i == len(r)-1 {
				sep = "]"
			}
			if rest, ok = strings.CutPrefix(rest, sep); !ok {
				break
			}
		}
		if !ok {
			break
		}
		refs = append(refs, r)
		rest, _ = strings.CutPrefix(rest, ",")
	}
	if !ok || rest != "]" {
		var refs []actorRef
		_ = json.Unmarshal([]byte(s), &refs)
		return refs
	}
	return refs
}

func encodeChecks(cs []backend.Check) string {
	if len(cs) == 0 {
		return ""
	}
	b, _ := json.Marshal(cs)
	return string(b)
}

func decodeChecks(s string) []backend.Check {
	var cs []backend.Check
	if s == "" || json.Unmarshal([]byte(s), &cs) != nil || cs == nil {
		return []backend.Check{}
	}
	return cs
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

var _ backend.TimelineReader = (*DB)(nil)
