package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"hooklens/backend"
)

// BulkItem is one delivery to load with what decoding it gives: Event and Text as the decoder
// makes them (ingest.Decode of ForDecode(Delivery)).
type BulkItem struct {
	Delivery *backend.Delivery
	Event    backend.Event
	Text     string
	Paths    []string // the body's field paths (decode.Paths), as the decoder gives them
}

// ForDecode returns the delivery as the decoder reads it back from the store (PendingDecode's
// columns only), so that decoding it before it is stored gives what the decoder would give.
func ForDecode(d *backend.Delivery) *backend.Delivery {
	return &backend.Delivery{ID: d.ID, ReceivedAt: d.ReceivedAt.UTC().Truncate(1000), Method: d.Method,
		Path: d.Path, Query: d.Query, Headers: d.Headers, Body: d.Body, Size: d.Size, ContentType: d.ContentType,
		RemoteAddr: d.RemoteAddr, Refused: d.Refused, Status: d.Status, Source: d.Source}
}

// BulkLoader stores many deliveries with their decoded events in large transactions, for tools
// that build big stores (the benchmark's generator). What it stores is what AddDelivery followed
// by the background decoder would store: deliveries, events, the search index,
// entities and running totals; it only gets there with fewer, bigger transactions, prepared
// statements, and retries found through memory. Use one loader per load, from one goroutine.
type BulkLoader struct {
	db      *DB
	version int
	first   map[dedupeRef]firstSeen // earliest non-retry delivery of each dedupe key loaded
	before  int64                   // last seq stored before the first Add; -1 until then
	cached  bool                    // the writer's page cache was enlarged

	// What the transaction being written adds to first and before; kept once it commits (the
	// writer may roll a transaction back and run it again).
	pend       map[dedupeRef]firstSeen
	pendBefore int64
}

// bulkCacheKiB is the writer's page cache during a bulk load: the indexes of a large store are
// written all over, and a small cache spills and re-reads pages at every batch.
const bulkCacheKiB = 256 << 10

type dedupeRef struct{ vendor, key string }

type firstSeen struct{ seq, received int64 }

// NewBulkLoader returns a loader that records events as decoded with decoder version.
func (db *DB) NewBulkLoader(version int) *BulkLoader {
	return &BulkLoader{db: db, version: version, first: map[dedupeRef]firstSeen{}, before: -1, pendBefore: -1}
}

// Close gives the writer back its usual page cache; it returns an EUNAVAILABLE error when the
// store is closed.
func (l *BulkLoader) Close(ctx context.Context) error {
	if !l.cached {
		return nil
	}
	l.cached = false
	return l.db.SetWriteCache(ctx, 0)
}

// SetWriteCache sets the writer's page cache to kib KiB (0: the usual, small one). A command that
// writes much at once (an import and the decoding that follows it) is faster with a large one:
// the indexes of a large store are written all over, and a small cache re-reads their pages at
// every batch. It returns an EUNAVAILABLE error when the store is closed.
func (db *DB) SetWriteCache(ctx context.Context, kib int) error {
	if kib <= 0 {
		kib = cacheSizeKiB
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`PRAGMA cache_size = ` + fmt.Sprint(-kib))
		return err
	}, nil)
}

// insertPackedDelivery is insertDelivery with the delivery's enc (pack.go) last.
const insertPackedDelivery = `INSERT INTO deliveries (id, received_at, method, path, query, headers, body, size,
	content_type, remote_addr, forwarded_for, forwarded_proto, forwarded_host, connecting_ip,
	refused, status, source, hidden, enc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

// Positions of the body and headers in deliveryValues.
const (
	argHeaders = 5
	argBody    = 6
)

// insertSearchSQL indexes an event's text.
const insertSearchSQL = `INSERT INTO search (rowid, text) VALUES (?, ?)`

// Add durably stores items, in order, in one transaction. It assigns missing ids and times as
// AddDelivery does. It returns an ECONFLICT error when an id exists, EUNAVAILABLE when the
// store cannot commit; then nothing of items is stored.
func (l *BulkLoader) Add(ctx context.Context, items []BulkItem) error {
	args := make([][]any, len(items))
	ids := make([]string, len(items))
	for i := range items {
		if err := l.db.complete(items[i].Delivery); err != nil {
			return err
		}
		args[i], ids[i] = deliveryValues(items[i].Delivery), items[i].Delivery.ID
	}
	// Packed as the decoder packs what the receiver stored (PutEvents).
	packs := packAll(len(items), true, func(i int) ([]byte, []byte, bool) {
		return args[i][argBody].([]byte), args[i][argHeaders].([]byte), true
	})
	for i, p := range packs {
		args[i][argBody], args[i][argHeaders] = p.body, p.headers
		args[i] = append(args[i], p.enc)
	}
	err := l.db.write(ctx, func(tx *sql.Tx) error {
		if !l.cached {
			if _, err := tx.Exec(`PRAGMA cache_size = ` + fmt.Sprint(-bulkCacheKiB)); err != nil {
				return err
			}
			l.cached = true
		}
		l.pend, l.pendBefore = map[dedupeRef]firstSeen{}, l.before
		return l.load(tx, items, args)
	}, func() {
		for ref, f := range l.pend {
			l.first[ref] = f
		}
		l.before = l.pendBefore
		l.db.hub.publish(backend.NewsCaptured|backend.NewsDecoded, ids...)
	})
	if err != nil && backend.ErrorCode(err) == backend.EINTERNAL {
		return backend.Errorf(backend.EUNAVAILABLE, "store cannot commit: %v", err)
	}
	return err
}

func (l *BulkLoader) load(tx *sql.Tx, items []BulkItem, args [][]any) error {
	var before int64
	if err := tx.QueryRow(`SELECT coalesce(max(seq), 0) FROM deliveries`).Scan(&before); err != nil {
		return err
	}
	if l.pendBefore < 0 {
		l.pendBefore = before
	}
	covered, err := decodedThrough(tx, l.version, before)
	if err != nil {
		return err
	}
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	for _, q := range []string{insertPackedDelivery, putEventSQL, insertSearchSQL} {
		if stmts[q], err = tx.Prepare(q); err != nil {
			return err
		}
	}
	seqs := make([]int64, len(items))
	for i := range items {
		res, err := stmts[insertPackedDelivery].Exec(args[i]...)
		if err != nil {
			return deliveryConflict(items[i].Delivery, err)
		}
		if seqs[i], err = res.LastInsertId(); err != nil {
			return err
		}
	}
	later, sets := newRefreshes(), newPathSets(tx)
	for i := range items {
		d := &backend.Decoded{Seq: seqs[i], Version: l.version, Event: items[i].Event, Text: items[i].Text, Paths: items[i].Paths}
		if err := l.putEvent(tx, stmts, d, micros(items[i].Delivery.ReceivedAt), later, sets); err != nil {
			return fmt.Errorf("put event %s: %w", items[i].Delivery.ID, err)
		}
	}
	if err := later.flush(tx); err != nil {
		return err
	}
	// FTS5 flushes its pending terms at each statement savepoint: index last, all at once.
	for i := range items {
		if _, err := stmts[insertSearchSQL].Exec(seqs[i], items[i].Text); err != nil {
			return err
		}
	}
	if !covered || len(items) == 0 {
		return nil
	}
	mark, _ := json.Marshal(struct {
		Version int
		Seq     int64
	}{l.version, seqs[len(seqs)-1]})
	return putSetting(tx, "decode.through", string(mark))
}

// decodedThrough reports whether every delivery up to seq before is decoded with version.
func decodedThrough(tx *sql.Tx, version int, before int64) (bool, error) {
	if before == 0 {
		return true, nil
	}
	var v string
	err := tx.QueryRow(`SELECT value FROM settings WHERE key = 'decode.through'`).Scan(&v)
	if err == sql.ErrNoRows {
		return false, nil
	} else if err != nil {
		return false, err
	}
	var mark struct {
		Version int
		Seq     int64
	}
	return json.Unmarshal([]byte(v), &mark) == nil && mark.Version == version && mark.Seq >= before, nil
}

// putEvent is putEvent for a delivery that has no event yet (nothing to take back).
func (l *BulkLoader) putEvent(tx *sql.Tx, stmts map[string]*sql.Stmt, d *backend.Decoded, received int64, later *refreshes, sets *pathSets) error {
	dupOf, err := l.firstAttempt(tx, d, received)
	if err != nil {
		return err
	}
	set, err := sets.id(d.Paths)
	if err != nil {
		return err
	}
	if _, err := stmts[putEventSQL].Exec(eventValues(d, dupOf, set)...); err != nil {
		return err
	}
	return updateEntities(&entityTx{rules: l.db.Rules, tx: tx, later: later}, d, nil)
}

// firstAttempt is firstAttempt with the earliest delivery of each key kept in memory.
func (l *BulkLoader) firstAttempt(tx *sql.Tx, d *backend.Decoded, received int64) (any, error) {
	if d.Event.DedupeKey == "" {
		return nil, nil
	}
	ref := dedupeRef{d.Event.Vendor, d.Event.DedupeKey}
	f, ok := l.pend[ref]
	if !ok {
		f, ok = l.first[ref]
	}
	if !ok && l.pendBefore > 0 { // a key first seen in this load may be older than the load
		err := tx.QueryRow(firstAttemptSQL, dedupeHash(ref.vendor, ref.key), l.pendBefore).Scan(&f.seq, &f.received)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		ok = err == nil
	}
	if !ok { // the first delivery of this event
		l.pend[ref] = firstSeen{d.Seq, received}
		return nil, nil
	}
	l.pend[ref] = f
	if w := l.db.Rules.DedupeWindow(d.Event.Vendor); w > 0 && received-f.received > w.Microseconds() {
		return nil, nil
	}
	return f.seq, nil
}
