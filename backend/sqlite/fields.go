package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"hooklens/backend"
)

// pathSets finds or adds the ids of path sets within one write transaction; a transaction
// that rolls back takes its new sets with it, so nothing outlives it.
type pathSets struct {
	tx  *sql.Tx
	ids map[string]int64
}

func newPathSets(tx *sql.Tx) *pathSets { return &pathSets{tx: tx, ids: map[string]int64{}} }

// id returns the id of the set of paths, adding it when new.
func (ps *pathSets) id(paths []string) (int64, error) {
	text := strings.Join(paths, "\n")
	if id, ok := ps.ids[text]; ok {
		return id, nil
	}
	var id int64
	err := ps.tx.QueryRow(`SELECT id FROM path_sets WHERE paths = ?`, text).Scan(&id)
	if err == sql.ErrNoRows {
		var res sql.Result
		if res, err = ps.tx.Exec(`INSERT INTO path_sets (paths) VALUES (?)`, text); err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, fmt.Errorf("path set: %w", err)
	}
	ps.ids[text] = id
	return id, nil
}

// CapturedFields returns, per event type of vendor, how many events the store holds (retries
// aside) and how many of them carry each field path, event types in name order. It reads the
// vendor's events once and each distinct path set once: a vendor sends few shapes, so the
// sets are few however many events there are.
func (db *DB) CapturedFields(ctx context.Context, vendor string) ([]backend.CapturedType, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT event_type, path_set, count(*) FROM events
		WHERE vendor = ? AND duplicate_of IS NULL GROUP BY event_type, path_set ORDER BY event_type`, vendor)
	if err != nil {
		return nil, fmt.Errorf("captured fields: %w", err)
	}
	type group struct {
		typ string
		set sql.NullInt64
		n   int
	}
	var groups []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.typ, &g.set, &g.n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("captured fields: %w", err)
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("captured fields: %w", err)
	}
	sets := map[int64][]string{}
	for _, g := range groups {
		if !g.set.Valid {
			continue
		}
		if _, ok := sets[g.set.Int64]; ok {
			continue
		}
		var text string
		if err := db.rdb.QueryRowContext(ctx, `SELECT paths FROM path_sets WHERE id = ?`, g.set.Int64).Scan(&text); err != nil {
			return nil, fmt.Errorf("captured fields: path set %d: %w", g.set.Int64, err)
		}
		var paths []string
		if text != "" {
			paths = strings.Split(text, "\n")
		}
		sets[g.set.Int64] = paths
	}
	var out []backend.CapturedType
	for _, g := range groups {
		if len(out) == 0 || out[len(out)-1].EventType != g.typ {
			out = append(out, backend.CapturedType{EventType: g.typ, Fields: map[string]int{}})
		}
		ct := &out[len(out)-1]
		ct.Events += g.n
		if !g.set.Valid {
			ct.Unknown += g.n
			continue
		}
		for _, p := range sets[g.set.Int64] {
			ct.Fields[p] += g.n
		}
	}
	return out, nil
}
