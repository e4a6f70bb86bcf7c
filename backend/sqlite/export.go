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

// Ref names a conversation or an agent of one vendor.
type Ref struct {
	Vendor string `json:"vendor"`
	ID     string `json:"id"`
}

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.Vendor == "" && r.ID == "" }

// String returns "VENDOR/ID".
func (r Ref) String() string { return r.Vendor + "/" + r.ID }

// ParseRef reads "VENDOR/ID" (the id may itself hold slashes); it returns an EINVALID error when
// either part is missing.
func ParseRef(s string) (Ref, error) {
	vendor, id, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok || vendor == "" || id == "" {
		return Ref{}, backend.Errorf(backend.EINVALID, "%q is not VENDOR/ID (e.g. livechat/PJ0MRSHTDG)", s)
	}
	return Ref{Vendor: strings.ToLower(vendor), ID: id}, nil
}

// Selection picks deliveries for export and replay. Every field that is set must match; an empty
// selection is every visible delivery. Chosen IDs include hidden deliveries.
type Selection struct {
	Query        string   `json:"q,omitempty"`           // search expression (backend.ParseQuery)
	Conversation Ref      `json:"conversation,omitzero"` // one conversation
	Agent        Ref      `json:"agent,omitzero"`        // every event involving one agent
	IDs          []string `json:"ids,omitempty"`         // chosen deliveries
}

// Order is the order EachDelivery hands deliveries out in.
type Order int

const (
	// ByArrival is the order the receiver got them in.
	ByArrival Order = iota
	// ByEvent is the time the event happened (occurred_at, else received_at), ties by arrival.
	ByEvent
)

// Item is one selected delivery with headers and body, and its event without summary, flags
// and actors; Origin and OriginVerification say what the file recorded when it was imported
// (both empty otherwise).
type Item struct {
	Seq int64
	*backend.DeliveryView
	Origin             string
	OriginVerification *backend.Verification
}

// where returns the SQL conditions of sel over deliveries d joined with events e.
func (sel Selection) where(db *DB) ([]string, []any, error) {
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
func (db *DB) selectSeqs(ctx context.Context, sel Selection, order Order) ([]seqSize, error) {
	db.settle(ctx)
	where, args, err := sel.where(db)
	if err != nil {
		return nil, err
	}
	orderBy := "d.seq"
	if order == ByEvent {
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
func (db *DB) CountSelection(ctx context.Context, sel Selection) (n, bytes int64, err error) {
	seqs, err := db.selectSeqs(ctx, sel, ByArrival)
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
func (db *DB) EachDelivery(ctx context.Context, sel Selection, order Order, fn func(*Item) error) error {
	if order == ByEvent {
		seqs, err := db.selectSeqs(ctx, sel, order)
		if err != nil {
			return err
		}
		return db.eachBatch(ctx, seqs, fn)
	}
	where, args, err := sel.where(db)
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
func (db *DB) eachBatch(ctx context.Context, seqs []seqSize, fn func(*Item) error) error {
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
	e.status, e.status_of, NULL, 1`

func (db *DB) fetchItems(ctx context.Context, seqs []seqSize) (map[int64]*Item, error) {
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
	out := make(map[int64]*Item, len(seqs))
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
		it := &Item{Seq: seq, DeliveryView: v, Origin: origin.String}
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

// Import is one delivery read from an export file, with what the file said about it.
type Import struct {
	Delivery     *backend.Delivery
	Origin       string                // the delivery's source when it was exported
	Verification *backend.Verification // its verification when it was exported; nil if unknown
	File         string                // the file it comes from
}

// ImportDeliveries stores the deliveries of items in one transaction, keeping their ids and
// received times, and tells subscribers. It returns one error per item: nil when stored, an
// ECONFLICT error when a delivery with the same id exists (the item is skipped). The error it
// returns itself (EUNAVAILABLE) means nothing was stored.
func (db *DB) ImportDeliveries(ctx context.Context, items []Import) ([]error, error) {
	errs := make([]error, len(items))
	var added []string
	now := micros(db.Now())
	for _, it := range items {
		if it.Delivery.Source == "" {
			it.Delivery.Source = backend.SourceImport
		}
		if err := db.complete(it.Delivery); err != nil {
			return nil, err
		}
	}
	// Stored as they come, like captures: the decoder packs them when it writes their events.
	err := db.write(ctx, func(tx *sql.Tx) error {
		added = added[:0]
		ins, err := tx.Prepare(insertDeliveryOrSkip)
		if err != nil {
			return err
		}
		defer ins.Close()
		prov, err := tx.Prepare(`INSERT INTO imports (seq, origin, verification, file, imported_at) VALUES (?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer prov.Close()
		for i, it := range items {
			res, err := ins.Exec(deliveryValues(it.Delivery)...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				errs[i] = backend.Errorf(backend.ECONFLICT, "delivery %s already exists", it.Delivery.ID)
				continue
			}
			errs[i] = nil
			seq, err := res.LastInsertId()
			if err != nil {
				return err
			}
			verification := ""
			if it.Verification != nil {
				b, _ := json.Marshal(it.Verification)
				verification = string(b)
			}
			if _, err := prov.Exec(seq, it.Origin, verification, it.File, now); err != nil {
				return err
			}
			added = append(added, it.Delivery.ID)
		}
		return nil
	}, func() { db.hub.publish(added...) })
	if err != nil {
		if backend.ErrorCode(err) == backend.EINTERNAL {
			err = backend.Errorf(backend.EUNAVAILABLE, "store cannot commit: %v", err)
		}
		return nil, err
	}
	return errs, nil
}
