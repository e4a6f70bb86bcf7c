package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"hooklens/backend"
)

// refreshAgent recomputes the last activity and status of an agent from its timeline indexes,
// and deletes it when no event involves it any more.
func refreshAgent(w *entityTx, vendor, id string) {
	if w.err != nil {
		return
	}
	var last int64
	err := w.queryRow(`SELECT t FROM entity_agent_events WHERE vendor = ? AND agent_id = ?
		ORDER BY t DESC, seq DESC LIMIT 1`, vendor, id).Scan(&last)
	if err == sql.ErrNoRows {
		w.exec(`DELETE FROM agents WHERE vendor = ? AND external_id = ?`, vendor, id)
		return
	} else if w.fail(err) {
		return
	}
	w.exec(`UPDATE agents SET last_at = ?, status = coalesce((SELECT status FROM entity_agent_events
		INDEXED BY entity_agent_events_status WHERE vendor = ? AND agent_id = ? AND status != '' AND counted = 1 ORDER BY t DESC, seq DESC LIMIT 1), '')
		WHERE vendor = ? AND external_id = ?`, last, vendor, id, vendor, id)
}

// agentColumns are the columns scanAgent reads, over agents a.
const agentColumns = `a.id, a.vendor, a.external_id, a.kind, a.name, a.email, a.status, a.conversation_count,
	a.event_count, a.last_at`

func scanAgent(sc scanner) (*backend.Agent, int64, error) {
	a := &backend.Agent{}
	var id, last int64
	if err := sc.Scan(&id, &a.Vendor, &a.ExternalID, &a.Kind, &a.Name, &a.Email, &a.Status, &a.ConversationCount,
		&a.EventCount, &last); err != nil {
		return nil, 0, err
	}
	a.LastAt = fromMicros(last)
	return a, id, nil
}

// findAgent returns one agent; ENOTFOUND when there is none.
func findAgent(ctx context.Context, q queryer, vendor, id string) (*backend.Agent, error) {
	a, _, err := scanAgent(q.QueryRowContext(ctx, `SELECT `+agentColumns+` FROM agents a
		WHERE a.vendor = ? AND a.external_id = ?`, vendor, id))
	if err == sql.ErrNoRows {
		return nil, backend.Errorf(backend.ENOTFOUND, "agent %s/%s not found", vendor, id)
	} else if err != nil {
		return nil, fmt.Errorf("find agent: %w", err)
	}
	return a, nil
}

// FindAgents returns a page of agents and bots, latest activity first, and the next cursor
// ("" when done). The query understands vendor:, status:, agent: (id), conv: (took part in),
// free text (id, name, email), and type:, verified:, has:, method:, path: over the agent's
// events. It returns EINVALID for a bad cursor or query.
func (db *DB) FindAgents(ctx context.Context, f backend.AgentFilter) ([]*backend.Agent, string, error) {
	s := &entitySearch{db: db,
		vendor: "a.vendor", status: "a.status",
		text:  []string{"a.external_id", "a.name", "a.email"},
		agent: "a.external_id = ?",
		conv: `EXISTS (SELECT 1 FROM conversation_participants p WHERE p.vendor = a.vendor AND p.actor_id = a.external_id
			AND p.conversation_id = ?)`,
		events: `EXISTS (SELECT 1 FROM entity_agent_events x JOIN events e ON e.seq = x.seq JOIN deliveries d ON d.seq = x.seq
			WHERE x.vendor = a.vendor AND x.agent_id = a.external_id AND %s)`,
	}
	if err := s.build(f.Vendor, f.Status, f.Query, f.Cursor, "(a.last_at, a.id)"); err != nil {
		return nil, "", err
	}
	limit := listLimit(f.Limit)
	rows, err := db.rdb.QueryContext(ctx, `SELECT `+agentColumns+` FROM agents a`+s.whereSQL()+`
		ORDER BY a.last_at DESC, a.id DESC LIMIT ?`, append(s.args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find agents: %w", err)
	}
	defer rows.Close()
	var out []*backend.Agent
	var ids []int64
	for rows.Next() {
		a, id, err := scanAgent(rows)
		if err != nil {
			return nil, "", fmt.Errorf("find agents: %w", err)
		}
		out, ids = append(out, a), append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find agents: %w", err)
	}
	next := ""
	if len(out) > limit {
		out, next = out[:limit], formatCursor(micros(out[limit-1].LastAt), ids[limit-1])
	}
	return out, next, nil
}
