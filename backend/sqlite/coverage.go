package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"hooklens/backend"
)

// probeKeep is how long probe results are kept.
const probeKeep = 90 * 24 * time.Hour

func micro(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicro(us int64) time.Time { return time.UnixMicro(us).UTC() }

// StartRun closes the runs a process left open as unclean at their last sign of life (the last
// heartbeat, or the last capture when it came later), forgets
// probes older than 90 days, and records a run starting at at.
func (db *DB) StartRun(ctx context.Context, at time.Time) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		// The last sign of life is the last heartbeat, or a capture received after it.
		var last sql.NullInt64
		if err := tx.QueryRow(`SELECT received_at FROM deliveries WHERE source = ? ORDER BY seq DESC LIMIT 1`,
			backend.SourceReceiver).Scan(&last); err != nil && err != sql.ErrNoRows {
			return err
		}
		if _, err := tx.Exec(`UPDATE runs SET seen_at = max(seen_at, ?) WHERE stopped_at IS NULL AND ? >= started_at`,
			last.Int64, last.Int64); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE runs SET stopped_at = seen_at, stop_kind = ? WHERE stopped_at IS NULL`, backend.RunUnclean); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM probes WHERE at < ?`, micro(at.Add(-probeKeep))); err != nil {
			return err
		}
		res, err := tx.Exec(`INSERT INTO runs (started_at, seen_at) VALUES (?, ?)`, micro(at), micro(at))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	}, nil)
	if err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return id, nil
}

// SeeRun records a sign of life of run id.
func (db *DB) SeeRun(ctx context.Context, id int64, at time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE runs SET seen_at = max(seen_at, ?) WHERE id = ? AND stopped_at IS NULL`, micro(at), id)
		return err
	}, nil)
	if err != nil {
		return fmt.Errorf("see run: %w", err)
	}
	return nil
}

// StopRun closes run id at at with end.
func (db *DB) StopRun(ctx context.Context, id int64, at time.Time, end string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE runs SET stopped_at = ?, seen_at = max(seen_at, ?), stop_kind = ? WHERE id = ?`, micro(at), micro(at), end, id)
		return err
	}, nil)
	if err != nil {
		return fmt.Errorf("stop run: %w", err)
	}
	return nil
}

// AddProbe records a probe result.
func (db *DB) AddProbe(ctx context.Context, p backend.Probe) error {
	ok := 0
	if p.OK {
		ok = 1
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO probes (at, ok, url, reason) VALUES (?, ?, ?, ?)`, micro(p.At), ok, p.URL, p.Reason)
		return err
	}, nil)
	if err != nil {
		return fmt.Errorf("add probe: %w", err)
	}
	return nil
}

// Coverage returns the runs overlapping [from, to] with the last one before from, and the
// probes in [from, to] with the last one before from (it says whether the tunnel was down at from).
func (db *DB) Coverage(ctx context.Context, from, to time.Time) ([]backend.Run, []backend.Probe, error) {
	return coverage(ctx, db.rdb, from, to)
}

const runColumns = `id, started_at, seen_at, stopped_at, stop_kind`

func scanRun(sc scanner) (backend.Run, error) {
	var r backend.Run
	var started, seen int64
	var stopped sql.NullInt64
	if err := sc.Scan(&r.ID, &started, &seen, &stopped, &r.End); err != nil {
		return r, err
	}
	r.Started, r.Seen = fromMicro(started), fromMicro(seen)
	if stopped.Valid {
		t := fromMicro(stopped.Int64)
		r.Stopped = &t
	}
	return r, nil
}

func coverage(ctx context.Context, q queryer, from, to time.Time) ([]backend.Run, []backend.Probe, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+runColumns+` FROM runs
		WHERE started_at <= ?2 AND (stopped_at IS NULL OR stopped_at >= ?1 OR seen_at >= ?1)
		   OR id = (SELECT id FROM runs WHERE started_at < ?1 ORDER BY started_at DESC LIMIT 1)
		ORDER BY started_at`, micro(from), micro(to))
	if err != nil {
		return nil, nil, fmt.Errorf("coverage: %w", err)
	}
	defer rows.Close()
	runs := []backend.Run{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("coverage: %w", err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("coverage: %w", err)
	}
	// The next run after the window bounds a gap that starts inside it.
	next, err := scanRun(q.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs WHERE started_at > ? ORDER BY started_at LIMIT 1`, micro(to)))
	if err == nil {
		runs = append(runs, next)
	} else if err != sql.ErrNoRows {
		return nil, nil, fmt.Errorf("coverage: %w", err)
	}
	prows, err := q.QueryContext(ctx, `SELECT at, ok, url, reason FROM probes
		WHERE at BETWEEN ?1 AND ?2 OR id = (SELECT id FROM probes WHERE at < ?1 ORDER BY at DESC LIMIT 1) ORDER BY at`, micro(from), micro(to))
	if err != nil {
		return nil, nil, fmt.Errorf("coverage: %w", err)
	}
	defer prows.Close()
	probes := []backend.Probe{}
	for prows.Next() {
		var p backend.Probe
		var at int64
		if err := prows.Scan(&at, &p.OK, &p.URL, &p.Reason); err != nil {
			return nil, nil, fmt.Errorf("coverage: %w", err)
		}
		p.At = fromMicro(at)
		probes = append(probes, p)
	}
	return runs, probes, prows.Err()
}

// explainRetryOnly says on the retry_only checks of items why the first attempt never reached
// Hooklens, from the coverage recorded around it (Rulebook.ExplainRetryOnly). It reads nothing
// when no item has the check.
func explainRetryOnly(ctx context.Context, q queryer, rules *backend.Rulebook, items []backend.TimelineItem) error {
	var from, to time.Time
	for i := range items {
		if !slices.ContainsFunc(items[i].Checks, func(c backend.Check) bool { return c.Code == backend.CheckRetryOnly }) {
			continue
		}
		first, received := items[i].At(), items[i].ReceivedAt
		if from.IsZero() || first.Before(from) {
			from = first
		}
		if received.After(to) {
			to = received
		}
	}
	if from.IsZero() {
		return nil
	}
	runs, probes, err := coverage(ctx, q, from, to)
	if err != nil || len(runs) == 0 {
		return err
	}
	// A run still going ended, as far as these items tell, when the last of them arrived.
	rules.ExplainRetryOnly(items, runs, rules.Gaps(runs, probes, from, to, to))
	return nil
}

var (
	_ backend.CoverageWriter = (*DB)(nil)
	_ backend.CoverageReader = (*DB)(nil)
)
