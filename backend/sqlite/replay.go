package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hooklens/backend"
)

// AddReplays stores records; a record whose delivery no longer exists is left out. It returns
// an EUNAVAILABLE error when the store cannot commit.
func (db *DB) AddReplays(ctx context.Context, recs []backend.ReplayRecord) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.Prepare(`INSERT INTO replays (seq, kind, run, target, started_at, duration_us, status,
			status_text, excerpt, truncated, error)
			SELECT seq, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM deliveries WHERE id = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range recs {
			excerpt := r.Excerpt
			if excerpt == nil {
				excerpt = []byte{}
			}
			if _, err := st.Exec(r.Kind, r.Run, r.Target, micros(r.StartedAt), r.Duration.Microseconds(), r.Status,
				r.StatusText, excerpt, r.Truncated, r.Error, r.DeliveryID); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}

// FindReplays returns the latest records of a delivery, newest first, at most limit (100 when
// limit <= 0); ENOTFOUND when the delivery does not exist.
func (db *DB) FindReplays(ctx context.Context, deliveryID string, limit int) ([]backend.ReplayRecord, error) {
	if limit <= 0 {
		limit = 100
	}
	seq, err := db.SeqOf(ctx, deliveryID)
	if err != nil {
		return nil, err
	}
	rows, err := db.rdb.QueryContext(ctx, `SELECT id, kind, run, target, started_at, duration_us, status,
		status_text, excerpt, truncated, error FROM replays WHERE seq = ? ORDER BY id DESC LIMIT ?`, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("find replays: %w", err)
	}
	defer rows.Close()
	out := []backend.ReplayRecord{}
	for rows.Next() {
		r := backend.ReplayRecord{DeliveryID: deliveryID}
		var started, dur int64
		if err := rows.Scan(&r.ID, &r.Kind, &r.Run, &r.Target, &started, &dur, &r.Status, &r.StatusText,
			&r.Excerpt, &r.Truncated, &r.Error); err != nil {
			return nil, fmt.Errorf("find replays: %w", err)
		}
		r.StartedAt, r.Duration = fromMicros(started), time.Duration(dur)*time.Microsecond
		out = append(out, r)
	}
	return out, rows.Err()
}

// LastSeq returns the arrival number of the latest delivery, 0 when there is none.
func (db *DB) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := db.rdb.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM deliveries`).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("last seq: %w", err)
	}
	return seq, nil
}

// ArrivedAfter returns up to limit deliveries with seq > after, in arrival order.
func (db *DB) ArrivedAfter(ctx context.Context, after int64, limit int) ([]backend.Arrival, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT seq, id, source, refused FROM deliveries
		WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("arrived after: %w", err)
	}
	defer rows.Close()
	var out []backend.Arrival
	for rows.Next() {
		var a backend.Arrival
		if err := rows.Scan(&a.Seq, &a.ID, &a.Source, &a.Refused); err != nil {
			return nil, fmt.Errorf("arrived after: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
