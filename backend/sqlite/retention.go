package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"hooklens/backend"
)

// LastPruneKey is the setting that records the last pruning run that removed something.
const LastPruneKey = "retention.last_prune"

// pruneBatch is how many deliveries one write removes: small enough that captures queued behind
// it wait milliseconds, not seconds.
const pruneBatch = 256

// Stats returns how many deliveries are stored and the bytes of their headers and bodies.
func (db *DB) Stats(ctx context.Context) (deliveries, bytes int64, err error) {
	db.settle(ctx)
	err = db.rdb.QueryRowContext(ctx, `SELECT deliveries, bytes FROM stats WHERE id = 1`).Scan(&deliveries, &bytes)
	if err != nil {
		return 0, 0, fmt.Errorf("stats: %w", err)
	}
	return deliveries, bytes, nil
}

// PruneOldest deletes the oldest deliveries (hidden ones included) with their events, actors and
// search rows until the store is within r. It works in batches, each its own write, so captures
// keep committing in between. When it removed something it records the run under LastPruneKey
// and returns it; a zero Prune means nothing was over. It returns an EUNAVAILABLE error when the
// store cannot commit (what was pruned before that stays pruned).
func (db *DB) PruneOldest(ctx context.Context, r backend.Retention) (backend.Prune, error) {
	var total backend.Prune
	if !r.Enabled() {
		return total, nil
	}
	var err error
	for err == nil {
		var n, bytes int64
		err = db.write(ctx, func(tx *sql.Tx) (err error) {
			n, bytes, err = pruneBatchTx(tx, r)
			return err
		}, nil)
		if err != nil {
			break // n counts rows of a transaction that did not commit
		}
		total.Deliveries += n
		total.Bytes += bytes
		if n < pruneBatch {
			break
		}
	}
	if total.Deliveries == 0 {
		return total, err
	}
	total.At = db.Now().UTC().Truncate(time.Microsecond)
	mark, _ := json.Marshal(total)
	markErr := db.write(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
		// Retries whose first delivery was pruned: the oldest remaining one becomes the first.
		if _, err := tx.Exec(`UPDATE events SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL
			AND duplicate_of < (SELECT coalesce(min(seq), 0) FROM deliveries)`); err != nil {
			return err
		}
		return putSetting(tx, LastPruneKey, string(mark))
	}, nil)
	if err == nil {
		err = markErr
	}
	return total, err
}

// pruneBatchTx removes up to pruneBatch of the oldest deliveries while the totals exceed r; it
// returns how many it removed and their bytes.
func pruneBatchTx(tx *sql.Tx, r backend.Retention) (int64, int64, error) {
	var count, bytes int64
	if err := tx.QueryRow(`SELECT deliveries, bytes FROM stats WHERE id = 1`).Scan(&count, &bytes); err != nil {
		return 0, 0, err
	}
	if !r.Over(count, bytes) {
		return 0, 0, nil
	}
	rows, err := tx.Query(`SELECT seq, coalesce(length(body), 0) + length(headers) FROM deliveries
		ORDER BY seq LIMIT ?`, pruneBatch)
	if err != nil {
		return 0, 0, err
	}
	var last, n, freed int64
	for r.Over(count-n, bytes-freed) && rows.Next() {
		var seq, size int64
		if err := rows.Scan(&seq, &size); err != nil {
			rows.Close()
			return 0, 0, err
		}
		last, n, freed = seq, n+1, freed+size
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, 0, err
	}
	if err := rows.Close(); err != nil {
		return 0, 0, err
	}
	if n == 0 {
		return 0, 0, nil
	}
	// Conversations and agents give back what the events contributed (entity.go); events and
	// replays go through ON DELETE CASCADE; the stats trigger keeps the totals.
	if err := takeBack(tx, last); err != nil {
		return 0, 0, err
	}
	if _, err := tx.Exec(`DELETE FROM search WHERE rowid IN (SELECT seq FROM deliveries WHERE seq <= ?)`, last); err != nil {
		return 0, 0, err
	}
	if _, err := tx.Exec(`DELETE FROM deliveries WHERE seq <= ?`, last); err != nil {
		return 0, 0, err
	}
	return n, freed, nil
}

// LastPrune returns the last pruning run that removed something, nil when there was none.
func (db *DB) LastPrune(ctx context.Context) (*backend.Prune, error) {
	v, err := db.Setting(ctx, LastPruneKey)
	if err != nil || v == "" {
		return nil, err
	}
	var p backend.Prune
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return nil, fmt.Errorf("last prune: %w", err)
	}
	return &p, nil
}

// Pruner keeps the store within a retention policy: shortly after a burst of captures, on a timer,
// and when woken (the policy changed). Checking is a read of two counters; it writes only when
// the store is over.
type Pruner struct {
	DB *DB
	// Policy returns the retention in effect; it is called before each check.
	Policy func() backend.Retention
	// Settle is how long after the first capture of a burst the check runs (default 2 s).
	Settle time.Duration
	// Interval is the timer (default 5 min).
	Interval time.Duration
	// OnPrune, when set, is told of every run that removed something.
	OnPrune func(backend.Prune)
	Log     *slog.Logger

	wake chan struct{}
}

// NewPruner returns a pruner of db under policy.
func NewPruner(db *DB, policy func() backend.Retention) *Pruner {
	return &Pruner{DB: db, Policy: policy, Settle: 2 * time.Second, Interval: 5 * time.Minute,
		Log: slog.Default(), wake: make(chan struct{}, 1)}
}

// Wake makes the pruner check now.
func (p *Pruner) Wake() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run checks at start, then after bursts, on the timer and when woken, until ctx is done.
func (p *Pruner) Run(ctx context.Context) {
	sub := p.DB.Subscribe(backend.NewsCaptured) // only new rows can exceed a limit
	defer sub.Close()
	tick := time.NewTicker(p.Interval)
	defer tick.Stop()
	var settle <-chan time.Time
	p.check(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.C():
			sub.Take()
			if settle == nil {
				settle = time.After(p.Settle)
			}
			continue
		case <-settle:
		case <-tick.C:
		case <-p.wake:
		}
		settle = nil
		p.check(ctx)
	}
}

// check prunes when the store is over the policy.
func (p *Pruner) check(ctx context.Context) {
	r := p.Policy()
	if !r.Enabled() {
		return
	}
	n, bytes, err := p.DB.Stats(ctx)
	if err != nil || !r.Over(n, bytes) {
		return
	}
	res, err := p.DB.PruneOldest(ctx, r)
	if err != nil && ctx.Err() == nil {
		p.Log.Error("retention: prune", "err", err)
	}
	if res.Deliveries > 0 {
		p.Log.Info("retention: pruned", "deliveries", res.Deliveries, "bytes", res.Bytes)
		if p.OnPrune != nil {
			p.OnPrune(res)
		}
	}
}
