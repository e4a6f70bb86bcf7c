package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"hooklens/backend"
)

// AddDelivery durably commits d and returns once it is in the database file. It assigns d.ID
// (UUIDv7) and d.ReceivedAt when empty. It returns an EUNAVAILABLE error when the store cannot
// commit, so the receiver answers 503 and the sender retries.
func (db *DB) AddDelivery(ctx context.Context, d *backend.Delivery) error {
	if err := db.complete(d); err != nil {
		return err
	}
	args := deliveryValues(d)
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(insertDelivery, args...)
		return deliveryConflict(d, err)
	}, func() { db.announce(d.ID) })
	if err != nil && backend.ErrorCode(err) == backend.EINTERNAL {
		return backend.Errorf(backend.EUNAVAILABLE, "store cannot commit: %v", err)
	}
	return err
}

// announceDelay gathers the deliveries committed within it into one notification: every
// subscriber (decoder, retention, forwarding, live views) is a goroutine that wakes up, and under
// load one wake-up per delivery costs more than storing it.
const announceDelay = 5 * time.Millisecond

// announce tells subscribers about a committed delivery, at most announceDelay later.
func (db *DB) announce(id string) {
	db.annMu.Lock()
	defer db.annMu.Unlock()
	db.annIDs = append(db.annIDs, id)
	if len(db.annIDs) == 1 {
		time.AfterFunc(announceDelay, func() {
			db.annMu.Lock()
			ids := db.annIDs
			db.annIDs = nil
			db.annMu.Unlock()
			db.hub.publish(backend.NewsCaptured, ids...)
		})
	}
}

// insertDelivery stores one delivery; its arguments are deliveryValues.
const insertDelivery = `INSERT INTO deliveries (id, received_at, method, path, query, headers, body, size,
	content_type, remote_addr, forwarded_for, forwarded_proto, forwarded_host, connecting_ip,
	refused, status, source, hidden)` + valuesClause

// insertDeliveryOrSkip is insertDelivery that skips a delivery whose id is stored already.
const (
	insertDeliveryOrSkip = insertDelivery + skipKnownID
	skipKnownID          = ` ON CONFLICT (id) DO NOTHING`
)

// deliveryColumns is the number of columns insertDelivery sets; valuesClause is its last part.
const (
	deliveryColumns = 18
	valuesClause    = ` VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
)

// complete fills in what d gets as it is stored: an id (UUIDv7), the time, the source.
func (db *DB) complete(d *backend.Delivery) error {
	if d.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return backend.Errorf(backend.EINTERNAL, "new id: %v", err)
		}
		d.ID = id.String()
	}
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = db.Now()
	}
	d.ReceivedAt = d.ReceivedAt.UTC().Truncate(1000)
	if d.Source == "" {
		d.Source = backend.SourceReceiver
	}
	return nil
}

// deliveryValues returns the arguments of insertDelivery for a completed d.
func deliveryValues(d *backend.Delivery) []any {
	body := d.Body
	if body == nil && d.Refused == "" {
		body = []byte{}
	}
	return []any{d.ID, micros(d.ReceivedAt), d.Method, d.Path, d.Query, encodeHeaders(d.Headers), body, d.Size,
		d.ContentType, d.RemoteAddr, d.ForwardedFor, d.ForwardedProto, d.ForwardedHost, d.ConnectingIP,
		d.Refused, d.Status, d.Source, d.Hidden}
}

// deliveryConflict turns a duplicate id into an ECONFLICT error.
func deliveryConflict(d *backend.Delivery, err error) error {
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: deliveries.id") {
		return backend.Errorf(backend.ECONFLICT, "delivery %s already exists", d.ID)
	}
	return err
}

// CountDeliveries returns how many deliveries are stored (kept by a trigger, no scan).
func (db *DB) CountDeliveries(ctx context.Context) (int64, error) {
	db.settle(ctx)
	var n int64
	err := db.rdb.QueryRowContext(ctx, `SELECT deliveries FROM stats WHERE id = 1`).Scan(&n)
	return n, err
}

// listColumns are the columns of a delivery view without headers and body.
const listColumns = `d.seq, d.id, d.received_at, d.method, d.path, d.query, d.size, d.content_type,
	d.remote_addr, d.forwarded_for, d.forwarded_proto, d.forwarded_host, d.connecting_ip, d.refused,
	d.status, d.source, d.hidden,
	e.version, e.vendor, e.event_type, e.occurred_at, e.organization, e.conversation_id, e.thread_id,
	e.summary, e.documented, e.verification, e.verify_reason, e.flags, e.actors, e.dedupe_hash,
	e.status, e.status_of, e.api_version, e.version_info, (SELECT f.id FROM deliveries f WHERE f.seq = e.duplicate_of),
	CASE WHEN e.dedupe_hash != 0 AND e.duplicate_of IS NULL
		THEN (SELECT COUNT(*) FROM events x WHERE x.dedupe_hash = e.dedupe_hash AND x.dedupe_hash != 0) ELSE 1 END`

// FindDeliveryByID returns the delivery with headers and body; ENOTFOUND if there is none.
func (db *DB) FindDeliveryByID(ctx context.Context, id string) (*backend.DeliveryView, error) {
	db.settle(ctx)
	row := db.rdb.QueryRowContext(ctx, `SELECT `+listColumns+`, d.enc, d.headers, d.body
		FROM deliveries d LEFT JOIN events e ON e.seq = d.seq WHERE d.id = ?`, id)
	var headers, body []byte
	var enc int
	v, _, err := scanView(row, &enc, &headers, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "delivery %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find delivery: %w", err)
	}
	if body, headers, err = unpack(enc, body, headers); err != nil {
		return nil, fmt.Errorf("find delivery %s: %w", id, err)
	}
	v.Body = body
	if v.Headers, err = decodeHeaders(headers); err != nil {
		return nil, fmt.Errorf("find delivery %s: %w", id, err)
	}
	return v, nil
}

// FindDeliveries returns a page of deliveries newest first and the next cursor ("" when done).
func (db *DB) FindDeliveries(ctx context.Context, f backend.DeliveryFilter) ([]*backend.DeliveryView, string, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	db.settle(ctx)
	// Free text drives the query from the full-text index in rowid (= seq) order, so a page
	// stops after limit matches instead of collecting every match first.
	var q backend.Query
	if f.Query != "" {
		var err error
		if q, err = backend.ParseQuery(f.Query); err != nil {
			return nil, "", err
		}
	}
	key, from := "d.seq", "deliveries d"
	where, args := []string{"d.hidden = 0"}, []any{}
	if text := q.Text(); len(text) > 0 {
		key, from = "s.rowid", "search s JOIN deliveries d ON d.seq = s.rowid"
		where, args = []string{"search MATCH ?", "d.hidden = 0"}, []any{ftsMatch(text)}
	}
	if f.Cursor != "" {
		seq, err := strconv.ParseInt(f.Cursor, 36, 64)
		if err != nil || seq <= 0 {
			return nil, "", backend.Errorf(backend.EINVALID, "cursor %q is not valid", f.Cursor)
		}
		where, args = append(where, key+" < ?"), append(args, seq)
	}
	if f.Method != "" {
		where, args = append(where, "d.method = ?"), append(args, strings.ToUpper(f.Method))
	}
	if f.Path != "" {
		where, args = append(where, "substr(d.path, 1, ?) = ?"), append(args, len(f.Path), f.Path)
	}
	w, a := db.searchWhere(q)
	where, args = append(where, w...), append(args, a...)
	args = append(args, f.Limit+1)
	rows, err := db.rdb.QueryContext(ctx, `SELECT `+listColumns+`
		FROM `+from+` LEFT JOIN events e ON e.seq = d.seq
		WHERE `+strings.Join(where, " AND ")+` ORDER BY `+key+` DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", fmt.Errorf("find deliveries: %w", err)
	}
	defer rows.Close()
	var out []*backend.DeliveryView
	var seqs []int64
	for rows.Next() {
		v, seq, err := scanView(rows)
		if err != nil {
			return nil, "", fmt.Errorf("find deliveries: %w", err)
		}
		out, seqs = append(out, v), append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find deliveries: %w", err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = strconv.FormatInt(seqs[f.Limit-1], 36)
	}
	return out, next, nil
}

// FindDeliveriesByIDs returns the deliveries (without bodies) among ids that exist, in that order.
func (db *DB) FindDeliveriesByIDs(ctx context.Context, ids []string) ([]*backend.DeliveryView, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	db.settle(ctx)
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.rdb.QueryContext(ctx, `SELECT `+listColumns+`
		FROM deliveries d LEFT JOIN events e ON e.seq = d.seq
		WHERE d.id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("find deliveries by id: %w", err)
	}
	defer rows.Close()
	byID := make(map[string]*backend.DeliveryView, len(ids))
	for rows.Next() {
		v, _, err := scanView(rows)
		if err != nil {
			return nil, fmt.Errorf("find deliveries by id: %w", err)
		}
		byID[v.ID] = v
	}
	out := make([]*backend.DeliveryView, 0, len(byID))
	for _, id := range ids {
		if v := byID[id]; v != nil {
			out = append(out, v)
		}
	}
	return out, rows.Err()
}
