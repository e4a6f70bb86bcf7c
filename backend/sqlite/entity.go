package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"hooklens/backend"
)

// contribution is what one stored event adds to conversations and agents. It is read from the
// event's row (events.t set: the event is on the timelines), so that a re-decode, or retention
// before it deletes the event, can take exactly it back.
type contribution struct {
	contribKey
	actors []actorRef
}

type contribKey struct {
	seq       int64
	delivery  string // delivery id
	vendor    string
	conv      string
	thread    string
	eventType string
	t         int64 // occurred_at, else received_at
	timed     bool
	received  int64
	dupOf     int64  // seq of the first delivery when this one is a retry, else 0
	dupID     string // and its id
	status    string
	statusOf  string
}

// actorRef is one actor of an event: [id, kind, role, name, email].
type actorRef [5]string

// encodeActors is how events.actors stores an event's actors: [[id, kind, role, name, email], ...].
func encodeActors(as []backend.Actor) string {
	refs := make([]actorRef, len(as))
	for i, a := range as {
		refs[i] = actorRef{a.ID, a.Kind, a.Role, a.Name, a.Email}
	}
	b, _ := json.Marshal(refs)
	return string(b)
}

// decodeActors reads events.actors, in the form encodeActors writes or as the objects stored
// before migration 0005.
func decodeActors(s string) []backend.Actor {
	if strings.HasPrefix(s, "[{") {
		var as []backend.Actor
		_ = json.Unmarshal([]byte(s), &as)
		return nonNil(as)
	}
	return refActors(decodeActorRefs(s))
}

func refActors(refs []actorRef) []backend.Actor {
	as := make([]backend.Actor, len(refs))
	for i, r := range refs {
		as[i] = backend.Actor{ID: r[0], Kind: r[1], Role: r[2], Name: r[3], Email: r[4]}
	}
	return as
}

// distinctActors returns the actors of as that an event contributes and timelines show: those
// with an id, once per id, kind and role. It does not modify as.
func distinctActors(as []backend.Actor) []backend.Actor {
	out := make([]backend.Actor, 0, len(as))
	for _, a := range as {
		if a.ID != "" && !slices.ContainsFunc(out, func(x backend.Actor) bool { return x.ID == a.ID && x.Kind == a.Kind && x.Role == a.Role }) {
			out = append(out, a)
		}
	}
	return out
}

// contribActors are distinctActors as a contribution keeps them.
func contribActors(as []backend.Actor) []actorRef {
	var out []actorRef
	for _, a := range distinctActors(as) {
		out = append(out, actorRef{a.ID, a.Kind, a.Role, a.Name, a.Email})
	}
	return out
}

func isAgentKind(kind string) bool { return kind == backend.KindAgent || kind == backend.KindBot }

// agentRef is an agent or bot of an event, with the status the event gives it.
type agentRef struct{ id, kind, name, email, status string }

// agents returns the distinct agents and bots of c, in actor order. One that is the subject of
// an agent status event gets that status.
func (c *contribution) agents() []agentRef {
	var out []agentRef
	for _, a := range c.actors {
		if !isAgentKind(a[1]) {
			continue
		}
		i := slices.IndexFunc(out, func(r agentRef) bool { return r.id == a[0] })
		if i < 0 {
			out, i = append(out, agentRef{id: a[0], kind: a[1]}), len(out)
		}
		r := &out[i]
		r.name, r.email = firstNonEmpty(r.name, a[3]), firstNonEmpty(r.email, a[4])
		if a[2] == "subject" && c.statusOf == backend.StatusOfAgent {
			r.status = c.status
		}
	}
	return out
}

func (c *contribution) counted() bool { return c.dupOf == 0 }

// item is what the lifecycle checks read of c.
func (c *contribution) item() backend.TimelineItem {
	it := backend.TimelineItem{Seq: c.seq, DeliveryID: c.delivery, Vendor: c.vendor, EventType: c.eventType,
		ReceivedAt: fromMicros(c.received), Conversation: c.conv, ThreadID: c.thread, DuplicateOf: c.dupID,
		Status: c.status, StatusOf: c.statusOf}
	if c.timed {
		at := fromMicros(c.t)
		it.OccurredAt = &at
	}
	return it
}

func (c *contribution) same(o *contribution) bool {
	return c.contribKey == o.contribKey && slices.Equal(c.actors, o.actors)
}

// updateEntities keeps conversations and agents current with a newly stored (or re-decoded)
// event: it takes back old, what the event contributed before (loadContribution), adds what it
// contributes now, and refreshes the conversations and agents it touches. Every step is an
// indexed lookup. With w.later, the conversations and agents the event surely still has events
// in are refreshed once for the whole batch (later.flush), not once per event.
func updateEntities(w *entityTx, d *backend.Decoded, old *contribution) error {
	nw, err := newContribution(w, d)
	if err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	if old != nil && nw != nil && old.same(nw) {
		w.refreshConv(nw.vendor, nw.conv, d.Event.Organization, true)
		return w.wrap()
	}
	replaceContribution(w, old, nw, d.Event.Organization)
	return w.wrap()
}

// replaceContribution replaces the contribution old (nil: none) by nw (nil: none).
func replaceContribution(w *entityTx, old, nw *contribution, org string) {
	type pair struct{ vendor, conv, agent string }
	var pairs []pair
	var agents []pair
	for _, c := range []*contribution{old, nw} {
		if c == nil {
			continue
		}
		for _, a := range c.agents() {
			if p := (pair{c.vendor, c.conv, a.id}); c.conv != "" && !slices.Contains(pairs, p) {
				pairs = append(pairs, p)
			}
			if p := (pair{c.vendor, "", a.id}); !slices.Contains(agents, p) {
				agents = append(agents, p)
			}
		}
	}
	before := make([]bool, len(pairs))
	for i, p := range pairs {
		before[i] = w.exists(`SELECT 1 FROM conversation_participants WHERE vendor = ? AND actor_id = ?
			AND conversation_id = ? AND kind IN ('agent', 'bot')`, p.vendor, p.agent, p.conv)
	}
	if old != nil {
		removeContribution(w, old)
	}
	if nw != nil {
		addContribution(w, nw)
	}
	for i, p := range pairs {
		after := w.exists(`SELECT 1 FROM conversation_participants WHERE vendor = ? AND actor_id = ?
			AND conversation_id = ? AND kind IN ('agent', 'bot')`, p.vendor, p.agent, p.conv)
		if after != before[i] {
			delta := 1
			if !after {
				delta = -1
			}
			w.exec(`UPDATE agents SET conversation_count = conversation_count + ? WHERE vendor = ? AND external_id = ?`,
				delta, p.vendor, p.agent)
		}
	}
	if old != nil && old.conv != "" && (nw == nil || nw.vendor != old.vendor || nw.conv != old.conv) {
		w.refreshConv(old.vendor, old.conv, "", false)
	}
	if nw != nil { // nw is in its conversation: it cannot be left empty
		w.refreshConv(nw.vendor, nw.conv, org, true)
	}
	var kept []string
	if nw != nil {
		for _, a := range nw.agents() {
			kept = append(kept, a.id)
		}
	}
	for _, a := range agents {
		w.refreshAgentOf(a.vendor, a.agent, nw != nil && a.vendor == nw.vendor && slices.Contains(kept, a.agent))
	}
}

// refreshes are the conversations and agents a batch of events refreshes once, at its end: those
// an event was added to (they cannot be left without events in between, so nothing would delete
// them). An entity that may have lost its last event is refreshed at once.
type refreshes struct {
	convs  map[[2]string]string // vendor, id → organization to set ("" keeps it)
	agents map[[2]string]bool
	order  [][3]string // kind ("c" or "a"), vendor, id
}

func newRefreshes() *refreshes {
	return &refreshes{convs: map[[2]string]string{}, agents: map[[2]string]bool{}}
}

// flush refreshes what was put off.
func (r *refreshes) flush(tx *sql.Tx) error {
	w := &entityTx{tx: tx}
	for _, o := range r.order {
		k := [2]string{o[1], o[2]}
		if org, ok := r.convs[k]; ok && o[0] == "c" {
			delete(r.convs, k)
			refreshConversation(w, k[0], k[1], org)
		} else if r.agents[k] && o[0] == "a" {
			delete(r.agents, k)
			refreshAgent(w, k[0], k[1])
		}
	}
	r.order = r.order[:0]
	return w.wrap()
}

// refreshConv refreshes a conversation now, or at the end of the batch when later.
func (w *entityTx) refreshConv(vendor, conv, org string, later bool) {
	if conv == "" {
		return
	}
	k := [2]string{vendor, conv}
	if w.later != nil {
		prev, ok := w.later.convs[k]
		if org == "" {
			org = prev
		}
		if later {
			if !ok {
				w.later.order = append(w.later.order, [3]string{"c", vendor, conv})
			}
			w.later.convs[k] = org
			return
		}
		delete(w.later.convs, k)
	}
	refreshConversation(w, vendor, conv, org)
}

// refreshAgentOf refreshes an agent now, or at the end of the batch when later.
func (w *entityTx) refreshAgentOf(vendor, id string, later bool) {
	k := [2]string{vendor, id}
	if w.later != nil {
		if later {
			if !w.later.agents[k] {
				w.later.agents[k] = true
				w.later.order = append(w.later.order, [3]string{"a", vendor, id})
			}
			return
		}
		delete(w.later.agents, k)
	}
	refreshAgent(w, vendor, id)
}

// addContribution records c and adds it to its conversation and agents.
func addContribution(w *entityTx, c *contribution) {
	var tail convTail
	if c.conv != "" {
		tail = loadTail(w, c.vendor, c.conv)
	}
	w.exec(`UPDATE events SET t = ? WHERE seq = ?`, c.t, c.seq)
	if c.conv != "" {
		w.exec(`INSERT INTO conversations (vendor, external_id, first_at, last_at, last_seq) VALUES (?,?,?,?,?)
			ON CONFLICT (vendor, external_id) DO NOTHING`, c.vendor, c.conv, c.t, c.t, c.seq)
	}
	if c.conv != "" && c.counted() {
		w.exec(`UPDATE conversations SET event_count = event_count + 1 WHERE vendor = ? AND external_id = ?`, c.vendor, c.conv)
		if c.thread != "" {
			w.exec(`INSERT INTO conversation_threads (vendor, conversation_id, thread_id, n, first_at, first_seq)
				VALUES (?,?,?,1,?,?) ON CONFLICT DO UPDATE SET n = n + 1,
				first_seq = CASE WHEN (excluded.first_at, excluded.first_seq) < (first_at, first_seq) THEN excluded.first_seq ELSE first_seq END,
				first_at = min(first_at, excluded.first_at)`, c.vendor, c.conv, c.thread, c.t, c.seq)
		}
		for _, a := range c.actors {
			w.exec(`INSERT INTO conversation_participants (vendor, conversation_id, actor_id, kind, role, name, email, n, first_at)
				VALUES (?,?,?,?,?,?,?,1,?) ON CONFLICT DO UPDATE SET n = n + 1, first_at = min(first_at, excluded.first_at),
				name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END,
				email = CASE WHEN excluded.email != '' THEN excluded.email ELSE email END`,
				c.vendor, c.conv, a[0], a[1], a[2], a[3], a[4], c.t)
		}
	}
	for _, a := range c.agents() {
		w.exec(`INSERT INTO agents (vendor, external_id, kind, name, email) VALUES (?,?,?,?,?)
			ON CONFLICT (vendor, external_id) DO UPDATE SET kind = excluded.kind,
			name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END,
			email = CASE WHEN excluded.email != '' THEN excluded.email ELSE email END`, c.vendor, a.id, a.kind, a.name, a.email)
		w.exec(`INSERT INTO entity_agent_events (vendor, agent_id, t, seq, conversation_id, counted, status)
			VALUES (?,?,?,?,?,?,?)`, c.vendor, a.id, c.t, c.seq, c.conv, c.counted(), a.status)
		if c.counted() {
			w.exec(`UPDATE agents SET event_count = event_count + 1 WHERE vendor = ? AND external_id = ?`, c.vendor, a.id)
		}
	}
	storeChecks(w, c, tail)
}

// removeContribution takes c back from its conversation and agents and takes its event off the
// timelines.
func removeContribution(w *entityTx, c *contribution) {
	w.exec(`UPDATE events SET t = NULL, checks = '' WHERE seq = ?`, c.seq)
	if c.conv != "" { // other events' checks may change
		w.exec(`UPDATE conversations SET checks_stale = 1 WHERE vendor = ? AND external_id = ?`, c.vendor, c.conv)
	}
	if c.conv != "" && c.counted() {
		w.exec(`UPDATE conversations SET event_count = event_count - 1 WHERE vendor = ? AND external_id = ?`, c.vendor, c.conv)
		if c.thread != "" {
			k := []any{c.vendor, c.conv, c.thread}
			w.exec(`UPDATE conversation_threads SET n = n - 1 WHERE vendor = ? AND conversation_id = ? AND thread_id = ?`, k...)
			w.exec(`DELETE FROM conversation_threads WHERE vendor = ? AND conversation_id = ? AND thread_id = ? AND n <= 0`, k...)
			w.exec(`UPDATE conversation_threads SET (first_at, first_seq) = (SELECT t, seq FROM events
				WHERE vendor = ?1 AND conversation_id = ?2 AND conversation_id != '' AND t IS NOT NULL AND thread_id = ?3
				AND duplicate_of IS NULL ORDER BY t, seq LIMIT 1) WHERE vendor = ?1 AND conversation_id = ?2 AND thread_id = ?3 AND first_seq = ?4`,
				append(k, c.seq)...)
		}
		for _, a := range c.actors {
			k := []any{c.vendor, c.conv, a[0], a[1], a[2]}
			w.exec(`UPDATE conversation_participants SET n = n - 1
				WHERE vendor = ? AND conversation_id = ? AND actor_id = ? AND kind = ? AND role = ?`, k...)
			w.exec(`DELETE FROM conversation_participants
				WHERE vendor = ? AND conversation_id = ? AND actor_id = ? AND kind = ? AND role = ? AND n <= 0`, k...)
			w.exec(`UPDATE conversation_participants SET first_at = (SELECT min(x.t) FROM events x, json_each(x.actors) j
				WHERE x.vendor = ?1 AND x.conversation_id = ?2 AND x.conversation_id != '' AND x.t IS NOT NULL
				AND x.duplicate_of IS NULL
				AND coalesce(j.value ->> 0, j.value ->> 'id') = ?3 AND coalesce(j.value ->> 1, j.value ->> 'kind') = ?4
				AND coalesce(j.value ->> 2, j.value ->> 'role') = ?5)
				WHERE vendor = ?1 AND conversation_id = ?2 AND actor_id = ?3 AND kind = ?4 AND role = ?5 AND first_at = ?6`,
				append(k, c.t)...)
		}
	}
	for _, a := range c.agents() {
		w.exec(`DELETE FROM entity_agent_events WHERE vendor = ? AND agent_id = ? AND t = ? AND seq = ?`, c.vendor, a.id, c.t, c.seq)
		if c.counted() {
			w.exec(`UPDATE agents SET event_count = event_count - 1 WHERE vendor = ? AND external_id = ?`, c.vendor, a.id)
		}
	}
}

// newContribution reads what d contributes; nil for a hidden delivery.
func newContribution(w *entityTx, d *backend.Decoded) (*contribution, error) {
	var received int64
	var hidden bool
	var dup sql.NullInt64
	var id, dupID string
	err := w.queryRow(`SELECT e.delivery_id, e.received_at, d.hidden, e.duplicate_of, coalesce(f.delivery_id, '')
		FROM deliveries d JOIN events e ON e.seq = d.seq LEFT JOIN events f ON f.seq = e.duplicate_of
		WHERE d.seq = ?`, d.Seq).Scan(&id, &received, &hidden, &dup, &dupID)
	if err == sql.ErrNoRows || hidden {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	ev := &d.Event
	c := &contribution{contribKey: contribKey{seq: d.Seq, delivery: id, vendor: ev.Vendor, eventType: ev.EventType, t: received,
		received: received, dupOf: dup.Int64, dupID: dupID, status: ev.Status, statusOf: ev.StatusOf},
		actors: contribActors(ev.Actors)}
	if ev.OccurredAt != nil {
		c.t, c.timed = micros(*ev.OccurredAt), true
	}
	if c.status == "" {
		c.statusOf = ""
	}
	if ev.Conversation != nil && ev.Conversation.ID != "" {
		c.conv, c.thread = ev.Conversation.ID, ev.Conversation.ThreadID
	}
	return c, nil
}

// loadContribution returns what the event seq contributes, nil when nothing: read from its row
// as stored, so call it before the row is rewritten.
func loadContribution(w *entityTx, seq int64) (*contribution, error) {
	c := &contribution{contribKey: contribKey{seq: seq}}
	var dup sql.NullInt64
	var actors string
	err := w.queryRow(`SELECT x.delivery_id, x.vendor, x.conversation_id, x.thread_id, x.event_type, x.t,
		x.occurred_at IS NOT NULL, x.received_at, x.duplicate_of, coalesce(f.delivery_id, ''), x.status, x.status_of,
		x.actors FROM events x LEFT JOIN events f ON f.seq = x.duplicate_of WHERE x.seq = ? AND x.t IS NOT NULL`,
		seq).Scan(&c.delivery, &c.vendor, &c.conv, &c.thread, &c.eventType, &c.t, &c.timed, &c.received, &dup,
		&c.dupID, &c.status, &c.statusOf, &actors)
	if err == sql.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c.dupOf = dup.Int64
	if c.conv == "" { // as newContribution reads an event
		c.thread = ""
	}
	if c.status == "" {
		c.statusOf = ""
	}
	c.actors = contribActors(decodeActors(actors))
	return c, nil
}

// takeBack takes back the contributions of the events up to seq through, in the transaction
// that is about to delete them.
func takeBack(tx *sql.Tx, through int64) error {
	w := &entityTx{tx: tx}
	rows, err := tx.Query(`SELECT seq FROM events WHERE seq <= ? AND t IS NOT NULL`, through)
	if err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			rows.Close()
			return fmt.Errorf("entities: %w", err)
		}
		seqs = append(seqs, seq)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	for _, seq := range seqs {
		old, err := loadContribution(w, seq)
		if err != nil {
			return fmt.Errorf("entities: %w", err)
		}
		if old != nil {
			replaceContribution(w, old, nil, "")
		}
	}
	return w.wrap()
}

// entityTx runs statements in a write transaction and keeps the first error; later calls do nothing.
type entityTx struct {
	rules *backend.Rulebook
	tx    *sql.Tx
	err   error
	later *refreshes // nil: refresh at once
}

func (w *entityTx) exec(q string, args ...any) {
	if w.err == nil {
		_, w.err = w.tx.Exec(q, args...)
	}
}

func (w *entityTx) queryRow(q string, args ...any) *sql.Row { return w.tx.QueryRow(q, args...) }

func (w *entityTx) query(q string, args ...any) (*sql.Rows, error) { return w.tx.Query(q, args...) }

func (w *entityTx) fail(err error) bool {
	if err != nil && w.err == nil {
		w.err = err
	}
	return w.err != nil
}

func (w *entityTx) exists(q string, args ...any) bool {
	if w.err != nil {
		return false
	}
	var one int
	err := w.queryRow(q+` LIMIT 1`, args...).Scan(&one)
	if err == sql.ErrNoRows {
		return false
	}
	w.fail(err)
	return err == nil
}

func (w *entityTx) wrap() error {
	if w.err != nil {
		return fmt.Errorf("entities: %w", w.err)
	}
	return nil
}
