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

// selectionWhere returns the SQL conditions of sel over deliveries d joined with events e.
func (db *DB) selectionWhere(sel backend.Selection) ([]string, []any, error) {
	var where []string
	var args []any
	if len(sel.IDs) == 0 {
		where = append(where, "d.hidden = 0")
	} else {
		ids, _ := json.Marshal(sel.IDs)
		where, args = append(where, "d.id IN (SELECT value FROM json_each(?))"), append(args, string(ids))
	}
	if c := sel.Conversation; !c.IsZero() {
		where = append(where, "e.vendor = ? AND e.conversation_id = ?")
		args = append(args, c.Vendor, c.ID)
	}
	if a := sel.Agent; !a.IsZero() {
		where = append(where, "d.seq IN (SELECT seq FROM entity_agent_events WHERE vendor = ? AND agent_id = ?)")
		args = append(args, a.Vendor, a.ID)
	}
	if sel.Query != "" {
		q, err := backend.ParseQuery(sel.Query)
		if err != nil {
			return nil, nil, err
		}
		w, a := db.searchWhere(q)
		where, args = append(where, w...), append(args, a...)
	}
	return where, args, nil
}

type seqSize struct{ seq, size int64 }

// selectSeqs returns the seqs (and body sizes) of sel in order.
func (db *DB) selectSeqs(ctx context.Context, sel backend.Selection, order backend.Order) ([]seqSize, error) {
	db.settle(ctx)
	where, args, err := db.selectionWhere(sel)
	if err != nil {
		return nil, err
	}
	orderBy := "d.seq"
	if order == backend.ByEvent {
		orderBy = "coalesce(e.occurred_at, d.received_at), d.seq"
	}
	rows, err := db.rdb.QueryContext(ctx, `SELECT d.seq, d.size FROM deliveries d LEFT JOIN events e ON e.seq = d.seq
		WHERE `+strings.Join(where, " AND ")+` ORDER BY `+orderBy, args...)
	if err != nil {
		return nil, fmt.Errorf("select deliveries: %w", err)
	}
	return scanSeqs(rows)
}

// CountSelection returns how many deliveries sel picks and how many body bytes they hold; an
// EINVALID error for a bad query.
func (db *DB) CountSelection(ctx context.Context, sel backend.Selection) (n, bytes int64, err error) {
	seqs, err := db.selectSeqs(ctx, sel, backend.ByArrival)
	for _, s := range seqs {
		bytes += s.size
	}
	return int64(len(seqs)), bytes, err
}

// Batches of EachDelivery: at most this many deliveries or (past the first) body bytes at once.
const (
	eachBatch      = 256
	eachBatchBytes = 8 << 20
)

// EachDelivery calls fn for every delivery sel picks, in order, with headers and body. Only a
// batch of deliveries is in memory at a time, so it streams any number. It stops at the first
// error of fn and returns it; an EINVALID error for a bad query.
func (db *DB) EachDelivery(ctx context.Context, sel backend.Selection, order backend.Order, fn func(*backend.Item) error) error {
	if order == backend.ByEvent {
		seqs, err := db.selectSeqs(ctx, sel, order)
		if err != nil {
			return err
		}
		return db.eachBatch(ctx, seqs, fn)
	}
	where, args, err := db.selectionWhere(sel)
	if err != nil {
		return err
	}
	// Arrival order pages through the rows by seq; each page's rows are still in the page cache
	// when their bodies are read.
	for after := int64(0); ; {
		rows, err := db.rdb.QueryContext(ctx, `SELECT d.seq, d.size FROM deliveries d LEFT JOIN events e ON e.seq = d.seq
			WHERE d.seq > ? AND `+strings.Join(where, " AND ")+` ORDER BY d.seq LIMIT ?`, append([]any{after}, append(args, eachBatch)...)...)
		if err != nil {
			return fmt.Errorf("select deliveries: %w", err)
		}
		seqs, err := scanSeqs(rows)
		if err != nil || len(seqs) == 0 {
			return err
		}
		if err := db.eachBatch(ctx, seqs, fn); err != nil {
			return err
		}
		after = seqs[len(seqs)-1].seq
	}
}

func scanSeqs(rows *sql.Rows) ([]seqSize, error) {
	defer rows.Close()
	var out []seqSize
	for rows.Next() {
		var s seqSize
		if err := rows.Scan(&s.seq, &s.size); err != nil {
			return nil, fmt.Errorf("select deliveries: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// eachBatch reads the deliveries of seqs in byte-bounded batches and hands them to fn in order.
func (db *DB) eachBatch(ctx context.Context, seqs []seqSize, fn func(*backend.Item) error) error {
	for len(seqs) > 0 {
		n, bytes := 0, int64(0)
		for n < len(seqs) && n < eachBatch && (n == 0 || bytes+seqs[n].size <= eachBatchBytes) {
			bytes += seqs[n].size
			n++
		}
		items, err := db.fetchItems(ctx, seqs[:n])
		if err != nil {
			return err
		}
		for _, s := range seqs[:n] {
			it := items[s.seq]
			if it == nil {
				continue // deleted meanwhile
			}
			if err := fn(it); err != nil {
				return err
			}
		}
		seqs = seqs[n:]
	}
	return nil
}

// exportColumns are listColumns without what exports and replays do not use and cost per row:
// the summary, flags and actors (JSON to parse), and the duplicate_of and attempts subqueries.
// scanView reads them as an empty summary, no flags, no actors, no duplicate and one attempt.
const exportColumns = `d.seq, d.id, d.received_at, d.method, d.path, d.query, d.size, d.content_type,
	d.remote_addr, d.forwarded_for, d.forwarded_proto, d.forwarded_host, d.connecting_ip, d.refused,
	d.status, d.source, d.hidden,
	e.version, e.vendor, e.event_type, e.occurred_at, e.organization, e.conversation_id, e.thread_id,
	'', e.documented, e.verification, e.verify_reason, '[]', '[]', e.dedupe_hash,
	e.status, e.status_of, e.api_version, '', NULL, 1`

func (db *DB) fetchItems(ctx context.Context, seqs []seqSize) (map[int64]*backend.Item, error) {
	list := make([]byte, 0, 12*len(seqs))
	list = append(list, '[')
	for i, s := range seqs {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, s.seq, 10)
	}
	list = append(list, ']')
	rows, err := db.rdb.QueryContext(ctx, `SELECT `+exportColumns+`, d.enc, d.headers, d.body, i.origin, i.verification
		FROM deliveries d LEFT JOIN events e ON e.seq = d.seq LEFT JOIN imports i ON i.seq = d.seq
		WHERE d.seq IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("read deliveries: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]*backend.Item, len(seqs))
	for rows.Next() {
		var headers, body []byte
		var enc int
		var origin, verification sql.NullString
		v, seq, err := scanView(rows, &enc, &headers, &body, &origin, &verification)
		if err != nil {
			return nil, fmt.Errorf("read deliveries: %w", err)
		}
		if body, headers, err = unpack(enc, body, headers); err != nil {
			return nil, fmt.Errorf("read delivery %s: %w", v.ID, err)
		}
		v.Body = body
		if v.Headers, err = decodeHeaders(headers); err != nil {
			return nil, fmt.Errorf("read delivery %s: %w", v.ID, err)
		}
		it := &backend.Item{Seq: seq, DeliveryView: v, Origin: origin.String}
		if verification.String != "" {
			var ver backend.Verification
			if json.Unmarshal([]byte(verification.String), &ver) == nil {
				it.OriginVerification = &ver
			}
		}
		out[seq] = it
	}
	return out, rows.Err()
}
