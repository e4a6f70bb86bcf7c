package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"

	"hooklens/backend"
)

// PendingDecode returns up to limit deliveries with seq > after whose event is missing or was
// made by another decoder version, oldest first, with headers and body.
func (db *DB) PendingDecode(ctx context.Context, after int64, version, limit int) ([]backend.Pending, error) {
	out, err := db.pendingDecode(ctx, after, version, limit)
	if err == nil && len(out) == 0 && db.settle(ctx) {
		// The captures acknowledged but not moved yet come next: the decoder does not go idle
		// before them. Only a decoder with nothing left gets here, so under load it does not
		// hurry the capturer.
		return db.pendingDecode(ctx, after, version, limit)
	}
	return out, err
}

func (db *DB) pendingDecode(ctx context.Context, after int64, version, limit int) ([]backend.Pending, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT d.seq, d.id, d.received_at, d.method, d.path, d.query,
		d.headers, d.body, d.size, d.content_type, d.remote_addr, d.refused, d.status, d.source, d.enc
		FROM deliveries d LEFT JOIN events e ON e.seq = d.seq
		WHERE d.seq > ? AND (e.seq IS NULL OR e.version != ?) ORDER BY d.seq LIMIT ?`, after, version, limit)
	if err != nil {
		return nil, fmt.Errorf("pending decode: %w", err)
	}
	defer rows.Close()
	var out []backend.Pending
	var raw [][2][]byte // body and stored headers of the deliveries kept raw, to pack
	var rawSeqs []int64
	for rows.Next() {
		var p backend.Pending
		var received int64
		var enc int
		var headers []byte
		d := &backend.Delivery{}
		if err := rows.Scan(&p.Seq, &d.ID, &received, &d.Method, &d.Path, &d.Query, &headers, &d.Body,
			&d.Size, &d.ContentType, &d.RemoteAddr, &d.Refused, &d.Status, &d.Source, &enc); err != nil {
			return nil, fmt.Errorf("pending decode: %w", err)
		}
		if enc == 0 {
			raw, rawSeqs = append(raw, [2][]byte{d.Body, headers}), append(rawSeqs, p.Seq)
		}
		var err error
		if d.Body, headers, err = unpack(enc, d.Body, headers); err != nil {
			return nil, fmt.Errorf("pending decode %s: %w", d.ID, err)
		}
		d.ReceivedAt = fromMicros(received)
		d.Headers, _ = decodeHeaders(headers)
		p.Delivery = d
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// One CPU: the decoder works beside the receiver, which must keep the other.
	packs := packAll(len(raw), false, func(i int) ([]byte, []byte, bool) { return raw[i][0], raw[i][1], true })
	db.packMu.Lock()
	for i, pk := range packs {
		if pk.enc != 0 {
			db.packs[rawSeqs[i]] = pk
		}
	}
	db.packMu.Unlock()
	return out, nil
}

// takePacks returns the packed forms PendingDecode made for the deliveries of evs, in their
// order, and forgets every one up to through (a batch read but never stored leaves nothing).
func (db *DB) takePacks(evs []backend.Decoded, through int64) []packed {
	out := make([]packed, len(evs))
	db.packMu.Lock()
	defer db.packMu.Unlock()
	for i := range evs {
		out[i] = db.packs[evs[i].Seq]
	}
	for seq := range db.packs {
		if seq <= through {
			delete(db.packs, seq)
		}
	}
	return out
}

// DecodedThrough returns the seq up to which every delivery was decoded with version, 0 if unknown.
func (db *DB) DecodedThrough(ctx context.Context, version int) (int64, error) {
	var v string
	err := db.rdb.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'decode.through'`).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	var mark struct {
		Version int
		Seq     int64
	}
	if json.Unmarshal([]byte(v), &mark) != nil || mark.Version != version {
		return 0, nil
	}
	return mark.Seq, nil
}

// PutEvents stores decoded events (replacing older ones), links retries to their first delivery,
// indexes them for search, records that everything up to through is decoded with version, and
// tells subscribers.
func (db *DB) PutEvents(ctx context.Context, evs []backend.Decoded, version int, through int64) error {
	ids := make([]string, 0, len(evs))
	for _, e := range evs {
		ids = append(ids, e.Event.DeliveryID)
	}
	packs := db.takePacks(evs, through)
	return db.write(ctx, func(tx *sql.Tx) error {
		later, sets := newRefreshes(), newPathSets(tx)
		for i := range evs {
			if err := putEvent(tx, db.Rules, &evs[i], later, sets); err != nil {
				return fmt.Errorf("put event %s: %w", evs[i].Event.DeliveryID, err)
			}
			if p := &packs[i]; p.enc != 0 {
				if _, err := tx.Exec(packSQL, p.enc, p.body, p.headers, evs[i].Seq); err != nil {
					return fmt.Errorf("pack %s: %w", evs[i].Event.DeliveryID, err)
				}
			}
		}
		if err := later.flush(tx); err != nil {
			return err
		}
		// FTS5 flushes its pending terms at each statement savepoint: index last, all at once.
		for i := range evs {
			if _, err := tx.Exec(insertSearchSQL, evs[i].Seq, evs[i].Text); err != nil {
				return fmt.Errorf("index %s: %w", evs[i].Event.DeliveryID, err)
			}
		}
		mark, _ := json.Marshal(struct {
			Version int
			Seq     int64
		}{version, through})
		return putSetting(tx, "decode.through", string(mark))
	}, func() { db.hub.publish(backend.NewsDecoded, ids...) })
}

// packSQL stores a delivery's body and headers packed, those of the two that enc says.
const packSQL = `UPDATE deliveries SET body = CASE WHEN ?1 = 4 THEN ?2 ELSE body END, headers = ?3, enc = ?1
	WHERE seq = ?4 AND enc = 0`

// putEvent stores one event, all but its search row (the caller's).
func putEvent(tx *sql.Tx, rules *backend.Rulebook, d *backend.Decoded, later *refreshes, sets *pathSets) error {
	dupOf, err := firstAttempt(tx, rules, d)
	if err != nil {
		return err
	}
	// What the event contributed so far is read before its row is rewritten.
	w := &entityTx{rules: rules, tx: tx, later: later}
	old, err := loadContribution(w, d.Seq)
	if err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	var existed bool // a re-decode: take back what the event had
	if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM events WHERE seq = ?)`, d.Seq).Scan(&existed); err != nil {
		return err
	}
	if existed {
		if _, err := tx.Exec(`DELETE FROM search WHERE rowid = ?`, d.Seq); err != nil {
			return err
		}
	}
	set, err := sets.id(d.Paths)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(putEventSQL, eventValues(d, dupOf, set)...); err != nil {
		return err
	}
	return updateEntities(w, d, old)
}

// clusterAfter is how many events (retries aside) a conversation has before its next ones are
// stored together (migrations/0006_cluster.sql says the same number). A timeline read costs a
// page per event stored apart, about 7 µs each on a cached page, so a conversation's first
// clusterAfter events cost at most ~1 ms however far apart they arrived, and the rest a few
// pages. Short conversations, most of them, stay in arrival order, where inbox pages, exports
// and the decoder read neighbouring rows.
const clusterAfter = 128

// putEventSQL stores an event; eventValues are its arguments. A new row's place (pos) is its
// seq or, once its conversation counts clusterAfter events, the conversation's id above the seq
// (43 bits: seq stays unique in pos whatever the id). Rewriting an event keeps its place and
// its timeline columns (t, checks), which entity.go keeps.
const putEventSQL = `INSERT INTO events (pos, seq, version, vendor, event_type, occurred_at,
	organization, conversation_id, thread_id, summary, documented, verification, verify_reason,
	flags, flag_count, actors, dedupe_hash, duplicate_of, status, status_of, received_at, delivery_id, path_set,
	api_version, version_info)
	SELECT coalesce((SELECT ((c.id & 1048575) << 43) | ?1 FROM conversations c WHERE c.vendor = ?3 AND c.external_id = ?7
		AND ?7 != '' AND c.event_count >= ?20), ?1),
	?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19, d.received_at, d.id, ?21, ?22, ?23
	FROM deliveries d WHERE d.seq = ?1
	ON CONFLICT (seq) DO UPDATE SET version = excluded.version, vendor = excluded.vendor,
	event_type = excluded.event_type, occurred_at = excluded.occurred_at, organization = excluded.organization,
	conversation_id = excluded.conversation_id, thread_id = excluded.thread_id, summary = excluded.summary,
	documented = excluded.documented, verification = excluded.verification, verify_reason = excluded.verify_reason,
	flags = excluded.flags, flag_count = excluded.flag_count, actors = excluded.actors,
	dedupe_hash = excluded.dedupe_hash, duplicate_of = excluded.duplicate_of, status = excluded.status,
	status_of = excluded.status_of, path_set = excluded.path_set, api_version = excluded.api_version,
	version_info = excluded.version_info`

// eventValues are putEventSQL's arguments; pathSet is the id of the body's path set, or nil
// when the paths are not known.
func eventValues(d *backend.Decoded, dupOf, pathSet any) []any {
	ev := &d.Event
	var occurred any
	if ev.OccurredAt != nil {
		occurred = micros(*ev.OccurredAt)
	}
	conv, thread := "", ""
	if ev.Conversation != nil {
		conv, thread = ev.Conversation.ID, ev.Conversation.ThreadID
	}
	flags, _ := json.Marshal(nonNil(ev.Flags))
	return []any{d.Seq, d.Version, ev.Vendor, ev.EventType, occurred, ev.Organization, conv, thread, ev.Summary,
		ev.Documented, ev.Verification.Status, ev.Verification.Reason, string(flags), len(ev.Flags),
		encodeActors(ev.Actors), dedupeHash(ev.Vendor, ev.DedupeKey), dupOf, ev.Status, ev.StatusOf, clusterAfter, pathSet,
		ev.APIVersion, encodeVersionInfo(ev)}
}

// versionInfo is what the version_info column holds: the version evidence and the notes.
type versionInfo struct {
	Evidence []backend.VersionEvidence `json:"evidence,omitempty"`
	Notes    []backend.Flag            `json:"notes,omitempty"`
}

// encodeVersionInfo returns the version_info of ev: "" when it has neither evidence nor notes.
func encodeVersionInfo(ev *backend.Event) string {
	if len(ev.VersionEvidence) == 0 && len(ev.Notes) == 0 {
		return ""
	}
	b, _ := json.Marshal(versionInfo{Evidence: ev.VersionEvidence, Notes: ev.Notes})
	return string(b)
}

// decodeVersionInfo fills ev's evidence and notes from a version_info column.
func decodeVersionInfo(s string, ev *backend.Event) {
	if s == "" {
		return
	}
	var vi versionInfo
	if json.Unmarshal([]byte(s), &vi) == nil {
		ev.VersionEvidence, ev.Notes = vi.Evidence, vi.Notes
	}
}

// dedupeHash is what events keeps of a vendor's dedupe key: 64 bits of FNV-1a, never 0 (0 means
// no key). Among a million distinct keys, the chance that two share a hash is about 3 in 10^8.
func dedupeHash(vendor, key string) int64 {
	if key == "" {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(vendor))
	h.Write([]byte{0})
	h.Write([]byte(key))
	if v := int64(h.Sum64()); v != 0 {
		return v
	}
	return 1
}

// firstAttemptSQL finds the first delivery of an event: ?1 its dedupe hash, ?2 the highest seq
// to consider. "dedupe_hash != 0" lets SQLite use the partial index events_dedupe.
const firstAttemptSQL = `SELECT e.seq, f.received_at FROM events e JOIN deliveries f ON f.seq = e.seq
	WHERE e.dedupe_hash = ?1 AND e.dedupe_hash != 0 AND e.seq <= ?2 AND e.duplicate_of IS NULL
	ORDER BY e.seq LIMIT 1`

// firstAttempt returns the seq of the first delivery of the same event when d is a retry, else nil.
func firstAttempt(tx *sql.Tx, rules *backend.Rulebook, d *backend.Decoded) (any, error) {
	ev := &d.Event
	if ev.DedupeKey == "" {
		return nil, nil
	}
	var seq, received, mine int64
	err := tx.QueryRow(firstAttemptSQL, dedupeHash(ev.Vendor, ev.DedupeKey), d.Seq-1).Scan(&seq, &received)
	if err == sql.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if err := tx.QueryRow(`SELECT received_at FROM deliveries WHERE seq = ?`, d.Seq).Scan(&mine); err != nil {
		return nil, err
	}
	if w := rules.DedupeWindow(ev.Vendor); w > 0 && mine-received > w.Microseconds() {
		return nil, nil
	}
	return seq, nil
}

// InvalidateEvents marks every event of vendor (all vendors when "") for re-decoding.
func (db *DB) InvalidateEvents(ctx context.Context, vendor string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE events SET version = 0 WHERE ? = '' OR vendor = ?`, vendor, vendor); err != nil {
			return err
		}
		_, err := tx.Exec(`DELETE FROM settings WHERE key = 'decode.through'`)
		return err
	}, nil)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// SeqOf returns the seq of a delivery id, for tests and tools.
func (db *DB) SeqOf(ctx context.Context, id string) (int64, error) {
	db.settle(ctx)
	var seq int64
	err := db.rdb.QueryRowContext(ctx, `SELECT seq FROM deliveries WHERE id = ?`, id).Scan(&seq)
	if err == sql.ErrNoRows {
		return 0, backend.Errorf(backend.ENOTFOUND, "delivery %s not found", id)
	}
	return seq, err
}
