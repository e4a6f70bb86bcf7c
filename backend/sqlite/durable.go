package sqlite

import (
	"errors"

	"hooklens/backend"
)

// How captures become durable (issue 21). Under SyncAlways a capture returns once a group sync
// of the journal covered its record, and the journal lets records go (reset, or replaced after
// a failed sync) only once the database holds them durably: a checkpoint at FULL, which syncs
// the WAL and the database file. So after a power cut every acknowledged capture is in the
// database or in the journal. Under SyncOS nothing waits for the disk.

// SetSyncPolicy sets when Capture returns: SyncAlways (also for "") or SyncOS. Set it before the
// receiver starts.
func (db *DB) SetSyncPolicy(p backend.SyncPolicy) { db.syncOS.Store(p == backend.SyncOS) }

// SyncPolicy returns the policy Capture follows.
func (db *DB) SyncPolicy() backend.SyncPolicy {
	if db.syncOS.Load() {
		return backend.SyncOS
	}
	return backend.SyncAlways
}

// SyncStats returns the policy, the journal syncs and the captures journaled since Open, and why
// the journal is failing, if it is.
func (db *DB) SyncStats() backend.SyncStats {
	st := backend.SyncStats{Policy: db.SyncPolicy()}
	c := db.cap
	if c == nil {
		return st
	}
	c.mu.Lock()
	st.Captures = c.added
	c.mu.Unlock()
	st.Syncs = c.j.Syncs()
	if err := c.j.Failed(); err != nil {
		st.Error = err.Error()
	}
	return st
}

// syncCapture waits for the group sync that covers the record of generation gen ending at end.
// It returns an EUNAVAILABLE error when that sync failed: the capturer then replaces the journal
// once it has stored what the journal holds.
func (db *DB) syncCapture(gen uint64, end int64) error {
	err := db.cap.j.SyncTo(gen, end)
	if err == nil {
		return nil
	}
	db.cap.poke()
	return backend.Errorf(backend.EUNAVAILABLE, "not on disk: %v", err)
}

var errCheckpointBusy = errors.New("checkpoint: readers or a writer kept it from completing")

// syncStore makes every committed transaction durable: a checkpoint at FULL copies the WAL into
// the database file and syncs both. It holds off the writer meanwhile. It returns SQLite's error,
// or errCheckpointBusy when the checkpoint could not complete.
func (db *DB) syncStore() error {
	db.ckptMu.Lock() // never beside the background checkpointer's, which would make it busy
	defer db.ckptMu.Unlock()
	db.wmu.Lock()
	defer db.wmu.Unlock()
	var busy, frames, done int
	if err := db.wdb.QueryRow(`PRAGMA wal_checkpoint(FULL)`).Scan(&busy, &frames, &done); err != nil {
		return err
	}
	if busy != 0 {
		return errCheckpointBusy
	}
	if db.onDurable != nil {
		return db.onDurable()
	}
	return nil
}

// resetJournal empties the journal, which the capturer has moved entirely, once the database
// holds what it moved durably (under SyncAlways). When new captures arrived meanwhile, or the
// store cannot sync, the journal is kept: it is tried again after a later batch.
func (db *DB) resetJournal() {
	if !db.syncOS.Load() && db.syncStore() != nil {
		return
	}
	c := db.cap
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 0 { // the capturer alone moves them: these arrived after the checkpoint
		return
	}
	c.j.Lock()
	_ = c.j.ResetLocked() // on failure it keeps growing; records are skipped by id on replay
	c.j.Unlock()
}

var errPending = errors.New("captures are still to be stored")

// rotateJournal replaces a journal whose sync failed by a fresh one, once the database holds
// everything it held, durably. It returns why it could not.
func (db *DB) rotateJournal() error {
	if err := db.syncStore(); err != nil {
		return err
	}
	c := db.cap
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 0 {
		return errPending
	}
	c.j.Lock()
	defer c.j.Unlock()
	return c.j.RotateLocked()
}

// resetAt is the journal size past which resetJournal runs.
func (db *DB) resetAt() int64 {
	if db.journalResetAt > 0 {
		return db.journalResetAt
	}
	return journalResetSize
}
