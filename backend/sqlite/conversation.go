package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"hooklens/backend"
)

// refreshConversation recomputes what depends on event order (first/last time, status, last
// summary) from the timeline indexes, and deletes the conversation when no event is left in it.
// org is the organization of the event being stored ("" keeps the known one).
func refreshConversation(w *entityTx, vendor, conv, org string) {
	if conv == "" || w.err != nil {
		return
	}
	const where = `FROM events WHERE vendor = ? AND conversation_id = ? AND conversation_id != '' AND t IS NOT NULL`
	var lastT, lastSeq, firstT int64
	err := w.queryRow(`SELECT t, seq `+where+` AND duplicate_of IS NULL ORDER BY t DESC, seq DESC LIMIT 1`,
		vendor, conv).Scan(&lastT, &lastSeq)
	if err == sql.ErrNoRows { // only retries left, whose first delivery moved elsewhere
		err = w.queryRow(`SELECT t, seq `+where+` ORDER BY t DESC, seq DESC LIMIT 1`, vendor, conv).Scan(&lastT, &lastSeq)
	}
	if err == sql.ErrNoRows {
		for _, table := range []string{"conversation_threads", "conversation_participants"} {
			w.exec(`DELETE FROM `+table+` WHERE vendor = ? AND conversation_id = ?`, vendor, conv)
		}
		w.exec(`DELETE FROM conversations WHERE vendor = ? AND external_id = ?`, vendor, conv)
		return
	} else if w.fail(err) {
		return
	}
	if w.fail(w.queryRow(`SELECT t `+where+` ORDER BY t, seq LIMIT 1`, vendor, conv).Scan(&firstT)) {
		return
	}
	status := conversationStatus(w, vendor, conv)
	w.exec(`UPDATE conversations SET first_at = ?, last_at = ?, last_seq = ?, status = ?,
		last_summary = coalesce((SELECT summary FROM events WHERE seq = ?), ''),
		organization = CASE WHEN ? != '' THEN ? ELSE organization END
		WHERE vendor = ? AND external_id = ?`, firstT, lastT, lastSeq, status, lastSeq, org, org, vendor, conv)
}

// conversationStatus is the status of the latest event that implies one; an open right after a
// close of the same thread (or of the whole conversation) reads as reopened.
func conversationStatus(w *entityTx, vendor, conv string) string {
	rows, err := w.query(`SELECT status, thread_id FROM events INDEXED BY events_status
		WHERE vendor = ? AND conversation_id = ? AND conversation_id != '' AND status_of = 'conversation' AND status != ''
		AND duplicate_of IS NULL AND t IS NOT NULL ORDER BY t DESC, seq DESC LIMIT 2`, vendor, conv)
	if w.fail(err) {
		return ""
	}
	defer rows.Close()
	var st, th [2]string
	n := 0
	for ; n < 2 && rows.Next(); n++ {
		if w.fail(rows.Scan(&st[n], &th[n])) {
			return ""
		}
	}
	w.fail(rows.Err())
	if n == 2 && st[0] == backend.StatusOpen && st[1] == backend.StatusClosed && th[0] == th[1] {
		return backend.StatusReopened
	}
	return st[0]
}

// conversationColumns are the columns scanConversation reads, over conversations c.
const conversationColumns = `c.id, c.vendor, c.external_id, c.organization, c.status, c.event_count, c.first_at,
	c.last_at, c.last_summary,
	(SELECT json_group_array(thread_id ORDER BY first_at, first_seq) FROM conversation_threads t
		WHERE t.vendor = c.vendor AND t.conversation_id = c.external_id),
	(SELECT json_group_array(json_array(p.actor_id, p.kind, p.role,
			CASE WHEN p.name != '' THEN p.name ELSE coalesce(a.name, '') END,
			CASE WHEN p.email != '' THEN p.email ELSE coalesce(a.email, '') END) ORDER BY p.first_at, p.actor_id, p.role)
		FROM conversation_participants p
		LEFT JOIN agents a ON a.vendor = p.vendor AND a.external_id = p.actor_id AND p.kind IN ('agent', 'bot')
		WHERE p.vendor = c.vendor AND p.conversation_id = c.external_id)`

func scanConversation(sc scanner) (*backend.Conversation, int64, error) {
	c := &backend.Conversation{}
	var id, first, last int64
	var threads, parts string
	if err := sc.Scan(&id, &c.Vendor, &c.ExternalID, &c.Organization, &c.Status, &c.EventCount, &first, &last,
		&c.LastSummary, &threads, &parts); err != nil {
		return nil, 0, err
	}
	c.FirstAt, c.LastAt = fromMicros(first), fromMicros(last)
	c.Threads, c.Participants = []string{}, []backend.Participant{}
	_ = json.Unmarshal([]byte(threads), &c.Threads)
	var rows []actorRef
	_ = json.Unmarshal([]byte(parts), &rows)
	for _, r := range rows {
		i := 0
		for i < len(c.Participants) && (c.Participants[i].ID != r[0] || c.Participants[i].Kind != r[1]) {
			i++
		}
		if i == len(c.Participants) {
			c.Participants = append(c.Participants, backend.Participant{ID: r[0], Kind: r[1], Roles: []string{}})
		}
		p := &c.Participants[i]
		p.Roles = append(p.Roles, r[2])
		p.Name, p.Email = firstNonEmpty(p.Name, r[3]), firstNonEmpty(p.Email, r[4])
	}
	return c, id, nil
}

// findConversation returns one conversation; ENOTFOUND when there is none.
func findConversation(ctx context.Context, q queryer, vendor, id string) (*backend.Conversation, error) {
	c, _, err := scanConversation(q.QueryRowContext(ctx, `SELECT `+conversationColumns+`
		FROM conversations c WHERE c.vendor = ? AND c.external_id = ?`, vendor, id))
	if err == sql.ErrNoRows {
		return nil, backend.Errorf(backend.ENOTFOUND, "conversation %s/%s not found", vendor, id)
	} else if err != nil {
		return nil, fmt.Errorf("find conversation: %w", err)
	}
	return c, nil
}

// FindConversations returns a page of conversations, latest activity first, and the next cursor
// ("" when done). The query understands vendor:, status:, agent:, conv: and free text (id,
// organization, participants, last summary), and type:, verified:, has:, method:, path: over the
// conversation's events. It returns EINVALID for a bad cursor or query.
func (db *DB) FindConversations(ctx context.Context, f backend.ConversationFilter) ([]*backend.Conversation, string, error) {
	s := &entitySearch{db: db,
		vendor: "c.vendor", status: "c.status", id: "c.external_id",
		text: []string{"c.external_id", "c.organization", "c.last_summary"},
		textExists: `SELECT 1 FROM conversation_participants p WHERE p.vendor = c.vendor AND p.conversation_id = c.external_id
			AND (p.actor_id LIKE ? ESCAPE '\' OR p.name LIKE ? ESCAPE '\' OR p.email LIKE ? ESCAPE '\')`,
		agent: `EXISTS (SELECT 1 FROM conversation_participants p WHERE p.vendor = c.vendor AND p.actor_id = ?
			AND p.conversation_id = c.external_id AND p.kind IN ('agent', 'bot'))`,
		conv: "c.external_id = ?",
		events: `EXISTS (SELECT 1 FROM events e JOIN deliveries d ON d.seq = e.seq
			WHERE e.vendor = c.vendor AND e.conversation_id = c.external_id AND e.conversation_id != ''
			AND e.t IS NOT NULL AND %s)`,
	}
	if err := s.build(f.Vendor, f.Status, f.Query, f.Cursor, "(c.last_at, c.id)"); err != nil {
		return nil, "", err
	}
	if f.Agent != "" {
		s.add(s.agent, f.Agent)
	}
	limit := listLimit(f.Limit)
	rows, err := db.rdb.QueryContext(ctx, `SELECT `+conversationColumns+` FROM conversations c`+s.whereSQL()+`
		ORDER BY c.last_at DESC, c.id DESC LIMIT ?`, append(s.args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find conversations: %w", err)
	}
	defer rows.Close()
	var out []*backend.Conversation
	var ids []int64
	for rows.Next() {
		c, id, err := scanConversation(rows)
		if err != nil {
			return nil, "", fmt.Errorf("find conversations: %w", err)
		}
		out, ids = append(out, c), append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find conversations: %w", err)
	}
	next := ""
	if len(out) > limit {
		out, next = out[:limit], formatCursor(micros(out[limit-1].LastAt), ids[limit-1])
	}
	return out, next, nil
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
	db                 *DB
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
		w, a := s.db.searchWhere(backend.Query{Terms: events})
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

// likePattern makes a LIKE pattern that finds s anywhere, with %, _ and \ taken literally.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
