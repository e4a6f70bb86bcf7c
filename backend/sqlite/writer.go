package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hooklens/backend"
)

// maxBatch bounds how many writes share one transaction.
const maxBatch = 512

// lowWait bounds how long a background write waits while captures keep the writer busy.
const lowWait = 100 * time.Millisecond

// op is one write. fn runs inside the batch transaction; after runs once the batch is committed.
// done receives the outcome. fn must be repeatable: when one op of a batch fails, the batch is
// rolled back and each op runs again in its own transaction.
type op struct {
	fn    func(tx *sql.Tx) error
	after func()
	done  chan error
	low   bool // a background write (decoding): it yields to captures
}

// write hands fn to the writer goroutine and waits until its transaction is committed (or failed).
// It returns an EUNAVAILABLE error when the store is closed or the commit fails.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error, after func()) error {
	o := op{fn: fn, after: after, done: make(chan error, 1), low: backend.IsBackground(ctx)}
	select {
	case <-db.stop:
		return backend.Errorf(backend.EUNAVAILABLE, "store is closed")
	default:
	}
	if !o.low && len(db.ops) == 0 && db.wmu.TryLock() {
		// Nobody is writing and nothing waits: commit on this goroutine, sparing the two
		// goroutine hand-offs (a lone client's every write goes this way).
		select {
		case <-db.stop:
			db.wmu.Unlock()
			return backend.Errorf(backend.EUNAVAILABLE, "store is closed")
		default:
		}
		batch := []op{o}
		db.fill(&batch)
		db.commit(batch)
		db.wmu.Unlock()
		return <-o.done
	}
	queue := db.ops
	if o.low {
		queue = db.lows
	}
	select {
	case queue <- o:
	case <-db.stop:
		return backend.Errorf(backend.EUNAVAILABLE, "store is closed")
	case <-ctx.Done():
		return backend.Errorf(backend.EUNAVAILABLE, "store is busy: %v", ctx.Err())
	}
	// Once queued, the op is always answered: the writer drains the queue before it stops.
	return <-o.done
}

// writer commits the queued writes; one transaction at a time is written, here or inline by a
// caller that found the store idle (wmu). It takes the first waiting capture, adds whatever else
// is already queued (it never waits for more), and commits them in one transaction: with one
// client every write commits at once, with many they share commits. Background writes run alone
// when no capture waits, or when one has waited lowWait.
func (db *DB) writer() {
	defer close(db.stopped)
	batch := make([]op, 0, maxBatch)
	lastLow := time.Now()
	for {
		var first op
		select {
		case first = <-db.ops:
		default:
			select {
			case first = <-db.ops:
			case first = <-db.lows:
			case <-db.stop:
				db.drain()
				return
			}
		}
		db.wmu.Lock()
		if !first.low && len(db.lows) > 0 && time.Since(lastLow) > lowWait {
			db.commit([]op{<-db.lows}) // a starved background write goes first, once
			lastLow = time.Now()
		}
		if first.low {
			db.commit([]op{first})
			lastLow = time.Now()
		} else {
			batch = append(batch[:0], first)
			db.fill(&batch)
			db.commit(batch)
		}
		db.wmu.Unlock()
	}
}

// fill adds the captures already queued to batch.
func (db *DB) fill(batch *[]op) {
	for len(*batch) < maxBatch {
		select {
		case o := <-db.ops:
			*batch = append(*batch, o)
		default:
			return
		}
	}
}

// drain commits what was queued before stop.
func (db *DB) drain() {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	for {
		batch := make([]op, 0, maxBatch)
		db.fill(&batch)
		if len(batch) > 0 {
			db.commit(batch)
			continue
		}
		select {
		case o := <-db.lows:
			db.commit([]op{o})
		default:
			return
		}
	}
}

func (db *DB) commit(batch []op) {
	errs := make([]error, len(batch))
	err := db.commitTx(batch, errs)
	// A write that failed with a raw database error (not a domain error such as a conflict)
	// means the store itself is failing: full, read-only, locked.
	fault := err
	for _, e := range errs {
		if fault == nil && e != nil && backend.ErrorCode(e) == backend.EINTERNAL {
			fault = e
		}
	}
	db.mu.Lock()
	db.writeErr = fault
	db.mu.Unlock()
	db.checkpoint()
	for i, o := range batch {
		if err != nil {
			o.done <- backend.Errorf(backend.EUNAVAILABLE, "store cannot commit: %v", err)
			continue
		}
		if errs[i] == nil && o.after != nil {
			o.after()
		}
		o.done <- errs[i]
	}
}

func (db *DB) commitTx(batch []op, errs []error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("write panicked: %v", r)
		}
	}()
	tx, err := db.wdb.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, o := range batch {
		if errs[i] = o.fn(tx); errs[i] != nil {
			break
		}
	}
	for i := range batch {
		if errs[i] == nil {
			continue
		}
		if len(batch) == 1 {
			return nil // nothing to commit; the op's own error is reported
		}
		// Roll back the batch and give every op its own transaction, so that one failing write
		// (a conflict) neither commits partly nor takes the others down.
		tx.Rollback()
		for k := range batch {
			errs[k] = nil
			if err := db.commitTx(batch[k:k+1], errs[k:k+1]); err != nil {
				errs[k] = err
			}
		}
		return nil
	}
	return tx.Commit()
}

// ckptEvery is the least time between two background checkpoints; ckptEveryAlways under
// SyncAlways, where each checkpoint's syncs of the WAL and the database file queue before the
// journal's syncs that captures wait for: fewer, larger checkpoints delay fewer captures.
const (
	ckptEvery       = 250 * time.Millisecond
	ckptEveryAlways = time.Second
)

// startCheckpointer moves WAL checkpoints (which copy pages into the database file and fsync it)
// off the writer: SQLite would otherwise run them inside the commit that crosses the WAL's
// threshold, and that capture would wait for them. Without a connection of its own it leaves
// SQLite's automatic checkpoints on.
func (db *DB) startCheckpointer() {
	c, err := openPool(db.Path, false)
	if err != nil {
		return
	}
	c.SetMaxOpenConns(1)
	if _, err := db.wdb.Exec(`PRAGMA wal_autocheckpoint = 0`); err != nil {
		c.Close()
		return
	}
	_, _ = db.wdb.Exec(`PRAGMA journal_size_limit = 67108864`) // a restarted WAL shrinks back to 64 MiB
	db.ckpt, db.ckptWake, db.ckptDone = c, make(chan struct{}, 1), make(chan struct{})
	go db.checkpointer()
}

func (db *DB) checkpointer() {
	defer close(db.ckptDone)
	var last time.Time
	for {
		select {
		case <-db.ckptWake:
		case <-db.stop:
			return
		}
		every := ckptEvery
		if !db.syncOS.Load() {
			every = ckptEveryAlways
		}
		if wait := every - time.Since(last); wait > 0 {
			select {
			case <-time.After(wait):
			case <-db.stop:
				return
			}
		}
		db.ckptMu.Lock()
		_, _ = db.ckpt.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		db.ckptMu.Unlock()
		last = time.Now()
	}
}

// checkpoint tells the checkpointer that the WAL grew.
func (db *DB) checkpoint() {
	if db.ckptWake == nil {
		return
	}
	select {
	case db.ckptWake <- struct{}{}:
	default:
	}
}
