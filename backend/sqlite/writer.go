package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"hooklens/backend"
)

// maxBatch bounds how many writes share one transaction.
const maxBatch = 512

// op is one write. fn runs inside the batch transaction (under its own savepoint); after runs once
// the batch is committed. done receives the outcome.
type op struct {
	fn    func(tx *sql.Tx) error
	after func()
	done  chan error
}

// write hands fn to the writer goroutine and waits until its transaction is committed (or failed).
// It returns an EUNAVAILABLE error when the store is closed or the commit fails.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error, after func()) error {
	o := op{fn: fn, after: after, done: make(chan error, 1)}
	select {
	case <-db.stop:
		return backend.Errorf(backend.EUNAVAILABLE, "store is closed")
	default:
	}
	select {
	case db.ops <- o:
	case <-db.stop:
		return backend.Errorf(backend.EUNAVAILABLE, "store is closed")
	case <-ctx.Done():
		return backend.Errorf(backend.EUNAVAILABLE, "store is busy: %v", ctx.Err())
	}
	// Once queued, the op is always answered: the writer drains the queue before it stops.
	return <-o.done
}

// writer is the only goroutine that writes. It takes the first waiting op, adds whatever else is
// already queued (it never waits for more), and commits them in one transaction: with one client
// every write commits at once, with many they share commits.
func (db *DB) writer() {
	defer close(db.stopped)
	batch := make([]op, 0, maxBatch)
	for {
		select {
		case o := <-db.ops:
			batch = append(batch[:0], o)
		case <-db.stop:
			db.drain()
			return
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case o := <-db.ops:
				batch = append(batch, o)
			default:
				break fill
			}
		}
		db.commit(batch)
	}
}

// drain commits what was queued before stop.
func (db *DB) drain() {
	for {
		batch := make([]op, 0, maxBatch)
	fill:
		for len(batch) < maxBatch {
			select {
			case o := <-db.ops:
				batch = append(batch, o)
			default:
				break fill
			}
		}
		if len(batch) == 0 {
			return
		}
		db.commit(batch)
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
		if len(batch) == 1 {
			errs[i] = o.fn(tx)
			continue
		}
		if _, err := tx.Exec(`SAVEPOINT op`); err != nil {
			return err
		}
		if errs[i] = o.fn(tx); errs[i] != nil {
			if _, err := tx.Exec(`ROLLBACK TO op`); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`RELEASE op`); err != nil {
			return err
		}
	}
	if len(batch) == 1 && errs[0] != nil {
		return nil // nothing to commit; the op's own error is reported
	}
	return tx.Commit()
}
